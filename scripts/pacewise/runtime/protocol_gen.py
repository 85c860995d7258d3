"""Writes the Godot side's protocol constants from the Python models, so both share one source.

The pydantic models in `pacewise.runtime.protocol` (messages) and `pacewise.levels.ops` (ops) are
the schema. This renders from them `addons/pacewise/bridge/pw_protocol.gd` (`class_name
PwProtocol`): the protocol version, the size limit, the token's environment variable, every
message type and op name, and each op field's default, bounds and choices. The bridge and the
command applier use those constants instead of repeating the strings.

    python -m pacewise.runtime.protocol_gen           # rewrite the file
    python -m pacewise.runtime.protocol_gen --check   # exit 1 if the file is stale

tests/unit/test_protocol_gen.py fails while the file on disk differs from what this renders.
"""

from __future__ import annotations

import argparse
import json
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import annotated_types
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from pacewise.levels import ops
from pacewise.runtime import protocol

TARGET = Path(__file__).resolve().parents[3] / "addons" / "pacewise" / "bridge" / "pw_protocol.gd"
GENERATOR = "python -m pacewise.runtime.protocol_gen"
WIDTH = 100


def members(union: object) -> list[type[BaseModel]]:
    """The models of a discriminated union such as `protocol.GodotMessage` or `ops.Op`."""
    inner = typing.get_args(union)[0]
    return list(typing.get_args(inner))


def tag(model: type[BaseModel], field: str) -> str:
    """The fixed value of a model's discriminator field (`type` or `op`)."""
    return str(typing.get_args(model.model_fields[field].annotation)[0])


def godot_messages() -> list[str]:
    return [tag(m, "type") for m in members(protocol.GodotMessage)]


def python_messages() -> list[str]:
    return [tag(m, "type") for m in members(protocol.PythonMessage)]


def op_names() -> list[str]:
    return [tag(m, "op") for m in members(ops.Op)]


def constant_name(text: str) -> str:
    return text.upper()


def _literal(value: Any) -> str:
    """A GDScript literal for a JSON-like value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        return text if any(c in text for c in ".e") else text + ".0"
    if isinstance(value, str):
        return json.dumps(value)  # JSON's escapes (\", \\, \n, \uXXXX) are GDScript's too
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no GDScript literal for {value!r}")


def _type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "String"
    if isinstance(value, list | tuple):
        if value and all(isinstance(v, str) for v in value):
            return "Array[String]"
        return "Array"
    return "Dictionary"


def _const(name: str, value: Any) -> str:
    line = f"const {name}: {_type(value)} = {_literal(value)}"
    if len(line.expandtabs(4)) <= WIDTH or not isinstance(value, list | tuple):
        return line
    items = "".join(f"\t{_literal(v)},\n" for v in value)
    return f"const {name}: {_type(value)} = [\n{items}]"


def _is_list(annotation: Any) -> bool:
    return typing.get_origin(annotation) is list


def _choices(annotation: Any) -> list[str] | None:
    if typing.get_origin(annotation) is Literal:
        return [str(v) for v in typing.get_args(annotation)]
    return None


def field_constants(model: type[BaseModel], prefix: str, skip: str) -> Iterator[tuple[str, Any]]:
    """Each field's default (`DEFAULT_<OP>_<FIELD>`), bounds (`_MIN`/`_MAX`, exclusive
    `_ABOVE`/`_BELOW`, for lists `_MIN_ITEMS`/`_MAX_ITEMS`) and choices (`_CHOICES`)."""
    for field, info in model.model_fields.items():
        if field == skip:
            continue
        name = f"{prefix}_{constant_name(field)}"
        if info.default is not PydanticUndefined and info.default is not None:
            default = info.default
            yield f"DEFAULT_{name}", list(default) if isinstance(default, tuple) else default
        for rule in info.metadata:
            if isinstance(rule, annotated_types.Ge):
                yield f"{name}_MIN", rule.ge
            elif isinstance(rule, annotated_types.Gt):
                yield f"{name}_ABOVE", rule.gt  # exclusive
            elif isinstance(rule, annotated_types.Le):
                yield f"{name}_MAX", rule.le
            elif isinstance(rule, annotated_types.Lt):
                yield f"{name}_BELOW", rule.lt  # exclusive
            elif isinstance(rule, annotated_types.MinLen) and _is_list(info.annotation):
                yield f"{name}_MIN_ITEMS", rule.min_length
            elif isinstance(rule, annotated_types.MaxLen) and _is_list(info.annotation):
                yield f"{name}_MAX_ITEMS", rule.max_length
        choices = _choices(info.annotation)
        if choices is not None:
            yield f"{name}_CHOICES", choices


Section = tuple[str, list[tuple[str, Any]]]


def sections() -> list[Section]:
    """Every constant of PwProtocol, in order, under the comment that heads its group."""
    fields: list[tuple[str, Any]] = []
    for model in members(protocol.GodotMessage):
        fields += field_constants(model, constant_name(tag(model, "type")), "type")
    for model in members(ops.Op):
        fields += field_constants(model, constant_name(tag(model, "op")), "op")
    return [
        (
            "",
            [
                ("VERSION", protocol.PROTOCOL_VERSION),
                ("MAX_MESSAGE_BYTES", protocol.MAX_MESSAGE_BYTES),
                ("TOKEN_ENV", protocol.TOKEN_ENV),
            ],
        ),
        ("Messages Godot sends.", [(f"MSG_{constant_name(n)}", n) for n in godot_messages()]),
        ("Messages Python sends.", [(f"MSG_{constant_name(n)}", n) for n in python_messages()]),
        ("", [("GODOT_MESSAGES", godot_messages()), ("PYTHON_MESSAGES", python_messages())]),
        (
            "Ops: what a `commands` message asks Godot to do.",
            [(f"OP_{constant_name(n)}", n) for n in op_names()],
        ),
        ("", [("OPS", op_names())]),
        ("Fields Godot reads or sends: defaults, bounds and choices, as the models say.", fields),
    ]


def constants() -> dict[str, Any]:
    """What PwProtocol must hold, name by name (a Godot test reads the real class against it)."""
    return {name: value for _, group in sections() for name, value in group}


def render() -> str:
    """The whole of pw_protocol.gd, as it must be on disk."""
    out = [
        "class_name PwProtocol",
        "extends RefCounted",
        "## The bridge protocol's names and numbers for the Godot side (see docs/protocol.md).",
        "##",
        "## GENERATED from the Python models (pacewise.runtime.protocol, pacewise.levels.ops) by",
        f"## `{GENERATOR}`. Do not edit: change the models and run it again;",
        "## tests/unit/test_protocol_gen.py fails while this file is stale.",
    ]
    for comment, group in sections():
        out.append("")
        if comment:
            out.append(f"# {comment}")
        out += [_const(name, value) for name, value in group]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    parser.add_argument("--out", type=Path, default=TARGET, help="the file to write or check")
    args = parser.parse_args(argv)
    text = render()
    current = args.out.read_text(encoding="utf-8") if args.out.exists() else None
    if args.check:
        if current != text:
            print(f"{args.out} is stale: run `{GENERATOR}`", file=sys.stderr)
            return 1
        return 0
    if current != text:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
