"""The bridge's wire protocol: every message either side sends, as pydantic models.

docs/protocol.md describes the same messages for people; a test keeps the two in step.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from pacewise.levels.ops import Op
from pacewise.motion.tracking_frame import DevicePose, TrackingFrame

PROTOCOL_VERSION = 1
MAX_MESSAGE_BYTES = 256 * 1024
TOKEN_ENV = "PACEWISE_BRIDGE_TOKEN"


class _Msg(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# Godot -> Python


class Hello(_Msg):
    """First message after the handshake: who is talking and how it runs."""

    type: Literal["hello"] = "hello"
    protocol: int
    godot_version: str = Field(max_length=200)
    rig: Literal["xr", "scripted", "desktop"]
    physics_hz: int = Field(ge=10, le=1000)
    lockstep: bool = False
    resumed: bool = False


class Frame(_Msg):
    """One physics tick: its number, its session time and the tracked poses."""

    type: Literal["frame"] = "frame"
    n: int = Field(ge=0)
    t: float = Field(ge=0.0)
    head: DevicePose
    left: DevicePose
    right: DevicePose
    buttons: dict[str, bool] = {}

    def tracking(self) -> TrackingFrame:
        return TrackingFrame(t=self.t, head=self.head, left=self.left, right=self.right)


class Signal(_Msg):
    """A node's signal, forwarded because Python asked for it with a `connect` op."""

    type: Literal["signal"] = "signal"
    node: str = Field(max_length=512)
    signal: str = Field(max_length=200)
    args: list[Any] = []


class BehaviourReady(_Msg):
    """A PyBehaviour node entered the tree and wants its Python behaviour."""

    type: Literal["behaviour_ready"] = "behaviour_ready"
    node: str = Field(max_length=512)
    script: str = Field(max_length=512)
    params: dict[str, Any] = {}


class BehaviourExit(_Msg):
    type: Literal["behaviour_exit"] = "behaviour_exit"
    node: str = Field(max_length=512)


class LevelLoaded(_Msg):
    type: Literal["level_loaded"] = "level_loaded"
    scene: str
    root: str


class OpFailed(_Msg):
    """A command Godot could not carry out; the game goes on."""

    type: Literal["op_failed"] = "op_failed"
    op: str
    message: str = Field(max_length=2000)


class StopPressed(_Msg):
    """The player pressed stop (button or panel): always honoured at once."""

    type: Literal["stop"] = "stop"
    source: str = Field(default="button", max_length=100)


GodotMessage = Annotated[
    Hello | Frame | Signal | BehaviourReady | BehaviourExit | LevelLoaded | OpFailed | StopPressed,
    Field(discriminator="type"),
]


# Python -> Godot


class Welcome(_Msg):
    type: Literal["welcome"] = "welcome"
    protocol: int = PROTOCOL_VERSION
    session_id: str


class Commands(_Msg):
    """The ops to apply on the next frame; `ack` names the frame they answer (lock-step)."""

    type: Literal["commands"] = "commands"
    ack: int = Field(ge=-1)
    ops: list[Op] = []


class ErrorReply(_Msg):
    """Answer to a message that could not be read; never fatal."""

    type: Literal["error"] = "error"
    message: str


PythonMessage = Annotated[Welcome | Commands | ErrorReply, Field(discriminator="type")]

_godot_adapter: TypeAdapter[GodotMessage] = TypeAdapter(GodotMessage)
_python_adapter: TypeAdapter[PythonMessage] = TypeAdapter(PythonMessage)


class BadMessage(ValueError):
    """A message that is not valid JSON or not one of the protocol's messages."""


def parse_godot(text: str | bytes) -> GodotMessage:
    if len(text) > MAX_MESSAGE_BYTES:
        raise BadMessage(f"message of {len(text)} bytes is over the limit of {MAX_MESSAGE_BYTES}")
    try:
        return _godot_adapter.validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "message"
        raise BadMessage(f"{where}: {first['msg']}") from None


def parse_python(text: str | bytes) -> PythonMessage:
    """Read a Python-side message (used by tests acting as Godot)."""
    try:
        return _python_adapter.validate_json(text)
    except ValidationError as exc:
        raise BadMessage(str(exc.errors()[0]["msg"])) from None


def encode(message: BaseModel) -> str:
    return message.model_dump_json(exclude_none=True)
