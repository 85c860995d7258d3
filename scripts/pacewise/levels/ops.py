"""The actions a behaviour may take on the game world.

These are what level code produces; the runtime carries them to Godot unchanged (as the `ops`
of a `commands` message, see docs/protocol.md). Defined here, below the runtime, so that level
scripts never depend on how they are carried.
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
    """Ask a 0-10 pain rating on the panel; the answer comes back as the panel's `answered`."""

    op: Literal["ask_pain"] = "ask_pain"
    prompt: str = Field(max_length=500)


class Haptic(_Op):
    op: Literal["haptic"] = "haptic"
    hand: Literal["left", "right"]
    amplitude: float = Field(default=0.5, ge=0.0, le=1.0)
    duration_s: float = Field(default=0.1, ge=0.0, le=2.0)


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
    | Haptic
    | Quit,
    Field(discriminator="op"),
]
