"""The actions a behaviour may take on the game world.

These are what level code produces; the runtime carries them to Godot unchanged (as the `ops`
of a `commands` message, see docs/protocol.md). Defined here, below the runtime, so that level
scripts never depend on how they are carried.

These models are the one source of the ops: their names and each field's default, bounds and
choices are generated into the Godot side's `PwProtocol` (`pacewise.runtime.protocol_gen`); run
`tools/gen-protocol` after changing one.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from pacewise.motion.tracking_frame import Quat, Vec3

NodePath = Annotated[str, Field(min_length=1, max_length=512)]


class _Op(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SetProperty(_Op):
    op: Literal["set"] = "set"
    node: NodePath
    prop: str
    value: Any


class CallMethod(_Op):
    op: Literal["call"] = "call"
    node: NodePath
    method: str
    args: list[Any] = []


class Spawn(_Op):
    """Instance a scene under `parent` with a fixed `name`, so its path is known at once."""

    op: Literal["spawn"] = "spawn"
    scene: str = Field(pattern=r"^res://.+\.tscn$")
    parent: NodePath
    name: str = Field(pattern=r"^[A-Za-z0-9_]+$")
    position: Vec3 = [0.0, 0.0, 0.0]
    props: dict[str, Any] = {}


class Free(_Op):
    op: Literal["free"] = "free"
    node: NodePath


class ConnectSignal(_Op):
    """Forward a node's signal to Python as `signal` messages."""

    op: Literal["connect"] = "connect"
    node: NodePath
    signal: str


class LoadLevel(_Op):
    op: Literal["load_level"] = "load_level"
    scene: str = Field(pattern=r"^res://.+\.tscn$")


class UnloadLevel(_Op):
    op: Literal["unload_level"] = "unload_level"


class PoseTarget(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    p: Vec3
    q: Quat | None = None


class RigPose(_Op):
    """Move the scripted rig's head and hands (ignored by the XR rig)."""

    op: Literal["rig_pose"] = "rig_pose"
    head: PoseTarget
    left: PoseTarget
    right: PoseTarget


class ShowText(_Op):
    """Show text on the calm panel in front of the player; empty text hides it."""

    op: Literal["text"] = "text"
    text: str = Field(max_length=2000)


class AskPain(_Op):
    """Ask a 0-10 rating on the panel; the answer comes back as the panel's `answered`.

    The anchors name the ends of the scale: pain by default, harm for graded-exposure probes.
    """

    op: Literal["ask_pain"] = "ask_pain"
    prompt: str = Field(max_length=500)
    low: str = Field(default="no pain", max_length=60)
    high: str = Field(default="worst pain imaginable", max_length=60)


class AskChoice(_Op):
    """Ask a question with a few answers; the answer comes back as the panel's `chosen`."""

    op: Literal["ask_choice"] = "ask_choice"
    prompt: str = Field(max_length=500)
    choices: list[Annotated[str, Field(min_length=1, max_length=60)]] = Field(
        min_length=2, max_length=6
    )


CueName = Literal["tick", "tock", "breath_in", "breath_out", "success", "chime", "soft_alert"]


class Cue(_Op):
    """Play a short generated sound: pacing ticks, breath guides, a gentle success."""

    op: Literal["cue"] = "cue"
    name: CueName
    volume_db: float = Field(default=-6.0, ge=-40.0, le=6.0)


class RigMode(_Op):
    """Seated (local space plus a height offset) or standing (floor-level space)."""

    op: Literal["rig_mode"] = "rig_mode"
    posture: Literal["seated", "standing"]
    height_offset_m: float = Field(default=0.0, ge=-1.0, le=1.0)


class Recenter(_Op):
    """Make the way the player faces now the forward direction (-Z)."""

    op: Literal["recenter"] = "recenter"


class Haptic(_Op):
    op: Literal["haptic"] = "haptic"
    hand: Literal["left", "right"]
    amplitude: float = Field(default=0.5, ge=0.0, le=1.0)
    duration_s: float = Field(default=0.1, ge=0.0, le=2.0)


class Screenshot(_Op):
    """Save what the player sees as a PNG (only when Godot renders, never headless)."""

    op: Literal["screenshot"] = "screenshot"
    path: str = Field(pattern=r"^/.+\.png$", max_length=1000)


class Quit(_Op):
    op: Literal["quit"] = "quit"
    code: int = Field(default=0, ge=0, le=125)


Op = Annotated[
    SetProperty
    | CallMethod
    | Spawn
    | Free
    | ConnectSignal
    | LoadLevel
    | UnloadLevel
    | RigPose
    | ShowText
    | AskPain
    | AskChoice
    | Cue
    | RigMode
    | Recenter
    | Haptic
    | Screenshot
    | Quit,
    Field(discriminator="op"),
]
