"""What a level's Python behaviour sees: its node, its parameters, and the session.

Designers subclass `Behaviour` in a `.py` file and pick that file in a PyBehaviour node's
inspector. Everything a behaviour does to the world goes through `NodeRef` and becomes an op
that lands in Godot on the next frame; anything that must react within a frame (a hand touching
a target lighting it up) is done by the Godot node itself, and Python is told by a signal.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal, Protocol

from pydantic import BaseModel, ConfigDict

from pacewise.domain.session import Repetition
from pacewise.levels.ops import (
    CallMethod,
    ConnectSignal,
    Cue,
    Free,
    Haptic,
    Op,
    SetProperty,
    ShowText,
    Spawn,
)
from pacewise.motion.tracking_frame import TrackingFrame

Vector = Sequence[float]


class OpSink(Protocol):
    """Where ops go; the runtime sends them with the reply to the next frame."""

    def emit(self, op: Op) -> None: ...


#: Standard adult proportions as fractions of standing height (stature).
EYE_HEIGHT_OF_STATURE = 0.936
SHOULDER_HEIGHT_OF_STATURE = 0.818  # acromion
ARM_REACH_OF_STATURE = 0.36  # shoulder to controller grip

Point3 = tuple[float, float, float]


class Calibration(BaseModel):
    """The patient's neutral posture, measured at the start of the session."""

    model_config = ConfigDict(frozen=True)

    head: Point3
    left_hand: Point3
    right_hand: Point3
    facing_yaw_deg: float = 0.0
    posture: str = "standing"
    shoulder_height_m: float
    arm_reach_m: float

    @classmethod
    def from_neutral(
        cls, head: Point3, left_hand: Point3, right_hand: Point3, posture: str = "standing"
    ) -> Calibration:
        """Shoulder height and reach from the standing eye height and standard proportions."""
        stature = head[1] / EYE_HEIGHT_OF_STATURE
        return cls(
            head=head,
            left_hand=left_hand,
            right_hand=right_hand,
            posture=posture,
            shoulder_height_m=SHOULDER_HEIGHT_OF_STATURE * stature,
            arm_reach_m=ARM_REACH_OF_STATURE * stature,
        )

    @property
    def stature_m(self) -> float:
        """The standing height these proportions imply."""
        return self.shoulder_height_m / SHOULDER_HEIGHT_OF_STATURE


class LevelPlan(BaseModel):
    """Today's dose for one exercise, from the prescription and the pacing engine.

    `quota` is in `unit`: repetitions, or seconds for marching and breathing. Targets never
    exceed `max_deg`, the prescription's cap.
    """

    model_config = ConfigDict(frozen=True)

    exercise: str
    unit: Literal["reps", "seconds"] = "reps"
    quota: int
    target_deg: tuple[float, ...] = ()
    max_deg: float = 60.0
    position: Literal["seated", "standing"] = "standing"
    tempo_s: float | None = None
    cadence_per_min: float | None = None
    feedback_gain: float = 1.0
    reason: str = ""


class SessionView(Protocol):
    """The session as a behaviour may use it: facts about the patient, questions, progress."""

    @property
    def calibration(self) -> Calibration: ...

    def plan(self, exercise: str) -> LevelPlan: ...

    def report(self, **progress: int | float) -> None: ...

    def finish(self) -> None: ...

    def report_rep(self, rep: Repetition) -> None:
        """Keep one counted repetition (angle, side, quality) with the session."""
        ...

    def begin_movement(self) -> None:
        """The patient is asked to start moving now (after the level's questions, if any)."""
        ...

    def ask_scale(self, key: str, prompt: str, low: str, high: str) -> None:
        """Ask a 0-10 rating; the answer arrives at the behaviour's `on_answer(key, value)`."""
        ...


_names = itertools.count(1)
_SAFE = re.compile(r"[^A-Za-z0-9_]")


class NodeRef:
    """A handle on a node in the behaviour's subtree."""

    def __init__(self, path: str, sink: OpSink) -> None:
        self.path = path
        self._sink = sink

    def __repr__(self) -> str:
        return f"NodeRef({self.path!r})"

    def child(self, relative: str) -> NodeRef:
        return NodeRef(f"{self.path}/{relative.strip('/')}", self._sink)

    def set(self, prop: str, value: Any) -> None:
        self._sink.emit(SetProperty(node=self.path, prop=prop, value=value))

    def call(self, method: str, *args: Any) -> None:
        self._sink.emit(CallMethod(node=self.path, method=method, args=list(args)))

    def connect(self, signal: str) -> None:
        """Have this node's `signal` delivered to the behaviour's `on_signal`."""
        self._sink.emit(ConnectSignal(node=self.path, signal=signal))

    def spawn(
        self,
        scene: str,
        *,
        name: str | None = None,
        position: Vector = (0.0, 0.0, 0.0),
        **props: Any,
    ) -> NodeRef:
        """Instance `scene` as a child of this node; returns its handle at once."""
        stem = _SAFE.sub("_", scene.rsplit("/", 1)[-1].removesuffix(".tscn"))
        name = name or f"{stem}_{next(_names)}"
        self._sink.emit(
            Spawn(
                scene=scene,
                parent=self.path,
                name=name,
                position=[float(v) for v in position],
                props=props,
            )
        )
        return self.child(name)

    def free(self) -> None:
        self._sink.emit(Free(node=self.path))

    def say(self, text: str) -> None:
        """Show calm text on the panel in front of the patient (empty text hides it)."""
        self._sink.emit(ShowText(text=text))

    def cue(self, name: str, volume_db: float = -6.0) -> None:
        """Play one of the game's generated sounds (see ops.CueName)."""
        self._sink.emit(Cue.model_validate({"name": name, "volume_db": volume_db}))

    def haptic(self, hand: str, amplitude: float = 0.5, duration_s: float = 0.1) -> None:
        if hand not in ("left", "right"):
            raise ValueError(f"hand must be 'left' or 'right', not {hand!r}")
        self._sink.emit(
            Haptic(
                hand="left" if hand == "left" else "right",
                amplitude=amplitude,
                duration_s=duration_s,
            )
        )


class Behaviour:
    """Base class of a level's gameplay. Override the hooks you need.

    `params` are the PyBehaviour node's inspector parameters; `session` gives the patient's
    calibration and today's plan. Time is the frame's `t`, never the wall clock.
    """

    #: The exercise this behaviour trains (a key of the prescription).
    exercise: str = ""
    #: The inspector parameters this behaviour understands, with their types. Never the dose:
    #: how much the patient does comes from the plan and the pacing engine, not from a level.
    parameters: ClassVar[dict[str, type]] = {}
    #: Attributes a reloaded behaviour takes over from the old one (see `on_reload`).
    keep: ClassVar[tuple[str, ...]] = ()

    def __init__(self, node: NodeRef, params: Mapping[str, Any], session: SessionView) -> None:
        self.node = node
        self.params = dict(params)
        self.session = session

    @classmethod
    def check(
        cls, params: Mapping[str, Any], plan: LevelPlan, calibration: Calibration
    ) -> list[str]:
        """Problems this level would have for `plan` and this body (e.g. unreachable targets)."""
        return []

    def on_ready(self) -> None:
        """The node is in the tree and the session is calibrated."""

    def on_frame(self, frame: TrackingFrame) -> None:
        """Every physics tick, with head and hand poses."""

    def on_signal(self, node: str, signal: str, args: list[Any]) -> None:
        """A signal this behaviour connected to was emitted."""

    def on_answer(self, key: str, value: int) -> None:
        """The patient answered a question this behaviour asked with `session.ask_scale`."""

    def on_exit(self) -> None:
        """The node left the tree or the behaviour is being reloaded."""

    def on_reload(self, old: Behaviour) -> None:
        """This behaviour replaces `old` after its file was edited (after `on_ready`).

        By default it takes over the attributes named in `keep`, so the level carries on where
        it was: its count, its calibration. What `old` spawned has been freed already.
        """
        for name in self.keep:
            if hasattr(old, name):
                setattr(self, name, getattr(old, name))
