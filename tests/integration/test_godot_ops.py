"""Real Godot, headless, driven over the real bridge by a scripted Python side.

Checks what only the engine can answer: bad ops are reported and survived, and Godot's physics
(not Python) decides which target a hand touches.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from pacewise.levels.ops import (
    CallMethod,
    ConnectSignal,
    Op,
    PoseTarget,
    Quit,
    RigPose,
    SetProperty,
    Spawn,
)
from pacewise.runtime.launcher import Mode, play_session
from pacewise.runtime.protocol import Frame, GodotMessage, Hello, OpFailed, Signal

LEVEL = "/root/Main/Level"
TARGET = "res://addons/pacewise/props/pw_target.tscn"
NEAR = [0.45, 1.1, -0.45]
FAR = [-0.6, 1.1, -0.6]


class Script:
    """Frame 1: bad ops and two targets. Then the right hand moves into the near one."""

    session_id = "ops-test"

    def __init__(self) -> None:
        self.finished = False
        self.hello: Hello | None = None
        self.failures: list[OpFailed] = []
        self.signals: list[Signal] = []
        self.frames = 0

    def on_disconnect(self) -> None:
        pass

    def _pose(self, right: list[float]) -> RigPose:
        return RigPose(
            head=PoseTarget(p=[0.0, 1.6, 0.0]),
            left=PoseTarget(p=[-0.25, 0.9, -0.1]),
            right=PoseTarget(p=right),
        )

    def on_message(self, message: GodotMessage) -> Sequence[Op]:
        if isinstance(message, Hello):
            self.hello = message
        elif isinstance(message, OpFailed):
            self.failures.append(message)
        elif isinstance(message, Signal):
            self.signals.append(message)
        if not isinstance(message, Frame):
            return []
        self.frames += 1
        n = message.n
        if n == 1:
            return [
                SetProperty(node="/root/Main/Nope", prop="visible", value=False),
                SetProperty(node=LEVEL, prop="no_such_property", value=1),
                CallMethod(node=LEVEL, method="no_such_method"),
                Spawn(scene="res://scenes/none.tscn", parent=LEVEL, name="Ghost"),
                Spawn(
                    scene=TARGET, parent=LEVEL, name="Near", position=NEAR, props={"label": "near"}
                ),
                Spawn(scene=TARGET, parent=LEVEL, name="Far", position=FAR),
                ConnectSignal(node=f"{LEVEL}/Near", signal="touched"),
                ConnectSignal(node=f"{LEVEL}/Far", signal="touched"),
                SetProperty(node=f"{LEVEL}/Near", prop="radius", value=0.12),
            ]
        if 5 <= n < 40:  # glide the right hand from rest into the near target
            k = (n - 5) / 34
            rest = [0.25, 0.9, -0.1]
            return [self._pose([a + (b - a) * k for a, b in zip(rest, NEAR, strict=True)])]
        if n == 60:
            self.finished = True
            return [Quit(code=0)]
        return []


def test_bad_ops_are_reported_and_physics_decides_touches(godot: str, tmp_path: Path) -> None:
    script = Script()
    log = tmp_path / "godot.log"
    result = asyncio.run(play_session(script, Mode.HEADLESS, log_path=log))
    text = log.read_text()
    assert result.returncode == 0, text
    assert "SCRIPT ERROR" not in text
    assert script.hello is not None and script.hello.godot_version.startswith("4.")
    assert script.frames >= 60
    failed = sorted(f.message for f in script.failures)
    assert len(failed) == 4, failed
    assert any("no node at /root/Main/Nope" in m for m in failed)
    assert any("no property no_such_property" in m for m in failed)
    assert any("no method no_such_method" in m for m in failed)
    assert any("no scene res://scenes/none.tscn" in m for m in failed)
    touched = [(s.node, s.args) for s in script.signals if s.signal == "touched"]
    assert touched == [(f"{LEVEL}/Near", ["right"])]
