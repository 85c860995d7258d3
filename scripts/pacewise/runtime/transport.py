"""The engine link as an interface, and an in-memory Godot for fast tests of the session.

A session is an `EngineHandler`: Godot's messages in, ops out. A transport carries them. The
WebSocket bridge (runtime/bridge.py) is the real one. `InMemoryGodot` is the other: it plays
Godot's part without an engine, so every phase, stop moment and safety rule of the session can
be tested in milliseconds. It does what the real game does with each op that matters to the
flow: the scripted rig takes `rig_pose`, the panel takes questions and the synthetic patient's
answers, a loaded level announces its PwPyBehaviour nodes (read from the scene file), a hand
touching a spawned target emits `touched`, and `quit` ends the run. The real-Godot tests keep
checking that the real engine behaves the same way.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pacewise.levels.ops import (
    AskChoice,
    AskPain,
    CallMethod,
    ConnectSignal,
    Free,
    LoadLevel,
    Op,
    Quit,
    RigPose,
    ShowText,
    Spawn,
    UnloadLevel,
)
from pacewise.runtime.protocol import (
    BehaviourExit,
    BehaviourReady,
    Frame,
    GodotMessage,
    Hello,
    LevelLoaded,
    Signal,
    StopPressed,
)

LEVEL_ROOT = "/root/Main/Level"
PANEL = "/root/Main/Panel"
BRIDGE = "/root/PwBridge"
#: A hand this close to a target's centre touches it (target radius plus hand radius).
TOUCH_M = 0.15


class EngineHandler(Protocol):
    """What a transport drives: a session that turns Godot's messages into ops."""

    session_id: str

    def on_message(self, message: GodotMessage) -> Sequence[Op]: ...

    def on_disconnect(self) -> None: ...

    @property
    def finished(self) -> bool: ...


@dataclass
class _Level:
    scene: str
    root: str
    behaviours: list[str]


@dataclass
class InMemoryGodot:
    """Plays Godot's side of the bridge for one handler, frame by frame, in the same thread."""

    handler: EngineHandler
    project_root: Path
    hz: int = 90
    rig: str = "scripted"
    #: What Godot would show and do, for tests to look at.
    texts: list[str] = field(default_factory=list)
    questions: list[AskPain | AskChoice] = field(default_factory=list)
    ops: list[Op] = field(default_factory=list)
    quit_code: int | None = None
    frame_n: int = 0
    head: list[float] = field(default_factory=lambda: [0.0, 1.6, -0.08])
    left: list[float] = field(default_factory=lambda: [-0.2, 0.9, -0.1])
    right: list[float] = field(default_factory=lambda: [0.2, 0.9, -0.1])
    head_q: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0, 1.0])
    tracked: bool = True
    level: _Level | None = None
    targets: dict[str, list[float]] = field(default_factory=dict)
    connected: set[tuple[str, str]] = field(default_factory=set)
    question_open: bool = False

    @property
    def t(self) -> float:
        return self.frame_n / self.hz

    def send(self, message: GodotMessage) -> None:
        """Deliver one message and apply the ops it produced, as Godot does next frame."""
        for op in self.handler.on_message(message):
            self.apply(op)

    def hello(self, *, resumed: bool = False) -> None:
        self.send(
            Hello(
                protocol=1,
                godot_version="in-memory",
                rig="scripted" if self.rig == "scripted" else "desktop",
                physics_hz=self.hz,
                lockstep=True,
                resumed=resumed,
            )
        )

    def press_stop(self, source: str = "test") -> None:
        """Godot's own half of stop: the question goes at once, then Python is told."""
        self.question_open = False
        self.send(StopPressed(source=source))

    def step(self) -> None:
        """One physics tick: a frame to the session, and touches from the hands."""
        ok = self.tracked
        self.send(
            Frame.model_validate(
                {
                    "n": self.frame_n,
                    "t": self.t,
                    "head": {"p": self.head, "q": self.head_q, "ok": ok},
                    "left": {"p": self.left, "ok": ok},
                    "right": {"p": self.right, "ok": ok},
                }
            )
        )
        self.frame_n += 1
        self._touches()

    def run(self, max_s: float = 3600.0, *, until: Any = None) -> None:
        """Step until the session quits, `until()` is true, or `max_s` of session time."""
        while self.quit_code is None and self.t < max_s:
            if until is not None and until():
                return
            self.step()

    def answer(self, value: int) -> None:
        self.question_open = False
        self.send(Signal(node=PANEL, signal="answered", args=[value]))

    def choose(self, index: int) -> None:
        self.question_open = False
        self.send(Signal(node=PANEL, signal="chosen", args=[index]))

    # --- applying ops ------------------------------------------------------------------

    def apply(self, op: Op) -> None:
        self.ops.append(op)
        if isinstance(op, RigPose):
            self.head, self.left, self.right = list(op.head.p), list(op.left.p), list(op.right.p)
            if op.head.q is not None:
                self.head_q = list(op.head.q)
        elif isinstance(op, ShowText):
            self.texts.append(op.text)
        elif isinstance(op, AskPain | AskChoice):
            self.questions.append(op)
            self.question_open = True
        elif isinstance(op, CallMethod):
            self._call(op)
        elif isinstance(op, ConnectSignal):
            self.connected.add((op.node, op.signal))
        elif isinstance(op, LoadLevel):
            self._load(op.scene)
        elif isinstance(op, UnloadLevel):
            self._unload()
        elif isinstance(op, Spawn):
            self.targets[f"{op.parent}/{op.name}"] = list(op.position)
        elif isinstance(op, Free):
            for path in [p for p in self.targets if p == op.node or p.startswith(op.node + "/")]:
                del self.targets[path]
        elif isinstance(op, Quit):
            self.quit_code = op.code

    def _call(self, op: CallMethod) -> None:
        if op.node == PANEL and op.method == "cancel_question":
            self.question_open = False
        elif op.node == PANEL and op.method == "answer" and self.question_open:
            self.answer(int(op.args[0]))
        elif op.node == PANEL and op.method == "choose" and self.question_open:
            self.choose(int(op.args[0]))
        elif op.node == BRIDGE and op.method == "press_stop":
            self.press_stop(str(op.args[0]) if op.args else "button")

    def _load(self, scene: str) -> None:
        from pacewise.runtime.level_check import read_behaviour_nodes

        self._unload()
        path = self.project_root / scene.removeprefix("res://")
        nodes = read_behaviour_nodes(path) if path.is_file() else []
        root = f"{LEVEL_ROOT}/{_root_name(path)}"
        self.level = _Level(scene, root, [f"{root}/{n.node}" for n in nodes])
        self.send(LevelLoaded(scene=scene, root=root))
        for node, entry in zip(self.level.behaviours, nodes, strict=True):
            self.send(BehaviourReady(node=node, script=entry.script_path, params=entry.parameters))

    def _unload(self) -> None:
        level, self.level = self.level, None
        if level is None:
            return
        self.targets.clear()
        for node in level.behaviours:
            self.send(BehaviourExit(node=node))

    def _touches(self) -> None:
        for path, where in list(self.targets.items()):
            if (path, "touched") not in self.connected:
                continue
            for hand, p in (("left", self.left), ("right", self.right)):
                if math.dist(where, p) <= TOUCH_M:
                    self.connected.discard((path, "touched"))
                    self.send(Signal(node=path, signal="touched", args=[hand]))
                    break


def _root_name(scene: Path) -> str:
    if scene.is_file():
        for line in scene.read_text(encoding="utf-8").splitlines():
            if line.startswith("[node name="):
                return line.split('"')[1]
    return "Level"
