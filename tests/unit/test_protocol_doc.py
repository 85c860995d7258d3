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


@pytest.mark.parametrize(
    ("model", "tag"),
    [(m, "type") for m in MESSAGES] + [(m, "op") for m in OPS],
    ids=lambda v: v.__name__ if isinstance(v, type) else v,
)
def test_every_message_and_op_is_documented_with_its_fields(
    model: type[BaseModel], tag: str
) -> None:
    name = _literal(model, tag)
    row = next((ln for ln in DOC.splitlines() if ln.startswith(f"| `{name}` |")), None)
    assert row is not None, f"{tag} {name} missing from docs/protocol.md"
    for field in model.model_fields:
        if field != tag:
            assert f"`{field}`" in row, f"{tag} {name}.{field} not described"


def test_documented_limits_match_the_code() -> None:
    assert f"protocol version {protocol.PROTOCOL_VERSION}" in DOC.lower() or (
        f"(version {protocol.PROTOCOL_VERSION})" in DOC
    )
    assert f"{protocol.MAX_MESSAGE_BYTES // 1024} KiB" in DOC
    assert protocol.TOKEN_ENV in DOC


def test_documented_frame_rules_match_the_code() -> None:
    assert f"at most **{protocol.MAX_FRAME_T_S:g} s**" in DOC
    assert f"by at most **{protocol.MAX_FRAME_STEP_S:g} s**" in DOC
    assert f"within **1 ± {protocol.QUAT_NORM_TOLERANCE:g}**" in DOC
    assert f"at most {protocol.MAX_BUTTONS} buttons" in DOC


def test_documented_serve_timeout_matches_the_code() -> None:
    from pacewise.cli.serve import CONNECT_TIMEOUT_S

    assert f"(default **{CONNECT_TIMEOUT_S:g} s**)" in DOC
    assert "exits with code **3**" in DOC
