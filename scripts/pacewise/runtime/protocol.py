"""The bridge's wire protocol: every message either side sends, as pydantic models.

These models (with the ops in `pacewise.levels.ops`) are the protocol's one source: the Godot
side's constants (`addons/pacewise/bridge/pw_protocol.gd`) are generated from them by
`python -m pacewise.runtime.protocol_gen`, and docs/protocol.md describes the same messages for
people; tests keep all three in step.

A frame is checked here against the tracking recording format's rules (docs/recording-format.md)
before anything records it: finite numbers, unit quaternions, boolean buttons, and times that are
plausible on their own (`Frame`) and after the frame before (`frame_time_problem`).
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from pacewise.levels.ops import Op
from pacewise.motion.tracking_frame import DevicePose, TrackingFrame

PROTOCOL_VERSION = 1
MAX_MESSAGE_BYTES = 256 * 1024
TOKEN_ENV = "PACEWISE_BRIDGE_TOKEN"

#: A frame's `t` may not exceed a day of session time (a session's hard cap is an hour).
MAX_FRAME_T_S = 86_400.0
#: Consecutive frames are one physics tick apart (at least 10 Hz: 0.1 s); more than this is a
#: jump no real game makes (one frame with t=1e9 once ended a session).
MAX_FRAME_STEP_S = 1.0
#: How far a quaternion's length may be from 1 (Godot's are within about 1e-6; the recording
#: reader allows 0.05, so anything accepted here is a valid recording).
QUAT_NORM_TOLERANCE = 0.01
#: Buttons held at once; a frame naming more is not from a real rig.
MAX_BUTTONS = 32


class _Msg(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


def _only_finite(value: Any) -> Any:
    """Free-form JSON (signal arguments, parameters) with no NaN or infinity anywhere in it."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("NaN and infinite numbers are refused (finite numbers only)")
    if isinstance(value, list):
        for item in value:
            _only_finite(item)
    elif isinstance(value, dict):
        for item in value.values():
            _only_finite(item)
    return value


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


class _Strict(_Msg):
    """No coercion: a string is never a number, and 1 or "true" is never a boolean."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False, strict=True)


class WirePose(_Strict):
    """One device as a frame carries it: the recording format's shape, checked strictly."""

    p: Annotated[list[float], Field(min_length=3, max_length=3)]
    q: Annotated[list[float], Field(min_length=4, max_length=4)] | None = None
    ok: bool = True

    @field_validator("q")
    @classmethod
    def _unit(cls, q: list[float] | None) -> list[float] | None:
        if q is not None and abs(math.sqrt(sum(v * v for v in q)) - 1.0) > QUAT_NORM_TOLERANCE:
            raise ValueError(
                f"is not a unit quaternion (length {math.sqrt(sum(v * v for v in q)):.4g}, "
                f"allowed 1 ± {QUAT_NORM_TOLERANCE})"
            )
        return q

    def device(self) -> DevicePose:
        return DevicePose(p=self.p, q=self.q, ok=self.ok)


class Frame(_Strict):
    """One physics tick: its number, its session time and the tracked poses."""

    type: Literal["frame"] = "frame"
    n: int = Field(ge=0)
    t: float = Field(ge=0.0, le=MAX_FRAME_T_S)
    head: WirePose
    left: WirePose
    right: WirePose
    buttons: Annotated[
        dict[Annotated[str, Field(min_length=1, max_length=40)], bool],
        Field(max_length=MAX_BUTTONS),
    ] = {}

    def tracking(self) -> TrackingFrame:
        return TrackingFrame(
            t=self.t, head=self.head.device(), left=self.left.device(), right=self.right.device()
        )


def frame_time_problem(previous_t: float | None, t: float) -> str | None:
    """Why a frame's time cannot follow the previous frame's on one connection, or None."""
    if previous_t is None:
        return None
    if t <= previous_t:
        return f"t: {t:g} does not come after the previous frame's {previous_t:g}"
    if t - previous_t > MAX_FRAME_STEP_S:
        return (
            f"t: {t:g} jumps {t - previous_t:g} s past the previous frame "
            f"(at most {MAX_FRAME_STEP_S:g} s)"
        )
    return None


class Signal(_Msg):
    """A node's signal, forwarded because Python asked for it with a `connect` op."""

    type: Literal["signal"] = "signal"
    node: str = Field(max_length=512)
    signal: str = Field(max_length=200)
    args: Annotated[list[Any], AfterValidator(_only_finite)] = []


class BehaviourReady(_Msg):
    """A PyBehaviour node entered the tree and wants its Python behaviour."""

    type: Literal["behaviour_ready"] = "behaviour_ready"
    node: str = Field(max_length=512)
    script: str = Field(max_length=512)
    params: Annotated[dict[str, Any], AfterValidator(_only_finite)] = {}


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
    """A validated message from Godot; BadMessage names what is wrong, in one sentence.

    Numbers must be finite everywhere in a message: NaN, Infinity and numbers too large for a
    double (`1e400`, read as infinity) are refused in typed fields by the models' config, and
    in free-form payloads (signal arguments, behaviour parameters) by `_only_finite`.
    """
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
