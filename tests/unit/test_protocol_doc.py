"""docs/protocol.md describes every message and op the code defines."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from pacewise.levels import ops
from pacewise.runtime import protocol

DOC = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text()


def _members(union: object) -> list[type[BaseModel]]:
    inner = typing.get_args(union)[0]
    return list(typing.get_args(inner))


def _literal(model: type[BaseModel], field: str) -> str:
    return str(typing.get_args(model.model_fields[field].annotation)[0])


MESSAGES = _members(protocol.GodotMessage) + _members(protocol.PythonMessage)
OPS = _members(ops.Op)


@pytest.mark.parametrize("model", MESSAGES, ids=lambda m: m.__name__)
def test_every_message_is_documented_with_its_fields(model: type[BaseModel]) -> None:
    name = _literal(model, "type")
    row = next((ln for ln in DOC.splitlines() if ln.startswith(f"| `{name}` |")), None)
    assert row is not None, f"message {name} missing from docs/protocol.md"
    for field in model.model_fields:
        if field != "type":
            assert f"`{field}`" in row, f"{name}.{field} not described"


@pytest.mark.parametrize("model", OPS, ids=lambda m: m.__name__)
def test_every_op_is_documented_with_its_fields(model: type[BaseModel]) -> None:
    name = _literal(model, "op")
    row = next((ln for ln in DOC.splitlines() if ln.startswith(f"| `{name}` |")), None)
    assert row is not None, f"op {name} missing from docs/protocol.md"
    for field in model.model_fields:
        if field != "op":
            assert f"`{field}`" in row, f"op {name}.{field} not described"


def test_documented_limits_match_the_code() -> None:
    assert f"protocol version {protocol.PROTOCOL_VERSION}" in DOC.lower() or (
        f"(version {protocol.PROTOCOL_VERSION})" in DOC
    )
    assert f"{protocol.MAX_MESSAGE_BYTES // 1024} KiB" in DOC
    assert protocol.TOKEN_ENV in DOC
