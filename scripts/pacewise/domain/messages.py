"""Turns pydantic's validation errors into sentences a clinician can act on."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails


def _value(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict | list):
        return "a " + type(value).__name__
    return str(value)


def sentence(error: ErrorDetails, drop_prefix: tuple[str, ...] = ()) -> str:
    loc = [str(part) for part in error["loc"]]
    if tuple(loc[: len(drop_prefix)]) == drop_prefix:
        loc = loc[len(drop_prefix) :]
    where = ".".join(loc) or "the file"
    kind = error["type"]
    ctx = error.get("ctx", {})
    given = error.get("input")
    if kind == "missing":
        return f"{where} is missing"
    if kind == "extra_forbidden":
        return f"{where} is not a known setting (check the spelling)"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return f"{where} {_value(given)} is not a whole number"
    if kind in {"float_parsing", "float_type"}:
        return f"{where} {_value(given)} is not a number"
    if kind == "finite_number":
        return f"{where} {_value(given)} is not a finite number: give an ordinary number"
    if kind in {"bool_parsing", "bool_type"}:
        return f"{where} {_value(given)} is not true or false"
    if kind in {"greater_than_equal", "greater_than"}:
        bound = ctx.get("ge", ctx.get("gt"))
        return f"{where} {_value(given)} is below the minimum of {bound}"
    if kind in {"less_than_equal", "less_than"}:
        bound = ctx.get("le", ctx.get("lt"))
        return f"{where} {_value(given)} is above the maximum of {bound}"
    if kind == "enum":
        return f"{where} {_value(given)} is not one of: {ctx.get('expected', '')}"
    if kind in {"dict_type", "model_type", "list_type"}:
        return f"{where} has the wrong shape ({error['msg'].lower()})"
    message = error["msg"]
    message = message.removeprefix("Value error, ")
    return f"{where}: {message}"


def sentences(error: ValidationError, drop_prefix: tuple[str, ...] = ()) -> list[str]:
    return [sentence(item, drop_prefix) for item in error.errors()]
