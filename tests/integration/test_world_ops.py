"""The Godot side of the patient's world, driven over the real bridge by a scripted Python side.

Real headless Godot: the panel's choice question, both stop buttons (the panel's and the one a
hand touches on the other wrist), the generated sound cues, the rig ops, and every prop a level
spawns, sets and calls. Godot's log must stay free of errors throughout.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import pytest

from pacewise.levels.ops import (
    AskChoice,
    AskPain,
    CallMethod,
    ConnectSignal,
    Cue,
    Op,
    PoseTarget,
    Quit,
    Recenter,
    RigMode,
    RigPose,
    SetProperty,
    Spawn,
)
from pacewise.runtime.launcher import Mode, play_session
from pacewise.runtime.protocol import Frame, GodotMessage, OpFailed, Signal, StopPressed

LEVEL = "/root/Main/Level"
PANEL = "/root/Main/Panel"
CUES = "/root/Main/Cues"
RIG = "/root/Main/ScriptedRig"
PROPS = "res://addons/pacewise/props"
LEFT_HAND = [-0.25, 1.0, -0.25]
# The wrist stop sits 3.5 cm above and 10 cm behind the left hand's origin.
WRIST = [LEFT_HAND[0], LEFT_HAND[1] + 0.035, LEFT_HAND[2] + 0.1]
RIGHT_REST = [0.25, 1.0, -0.25]


def pose(right: list[float]) -> RigPose:
    return RigPose(
        head=PoseTarget(p=[0.0, 1.6, 0.0]),
        left=PoseTarget(p=LEFT_HAND),
        right=PoseTarget(p=right),
    )


class Script:
    """Plays `steps` (frame number -> ops) and records what Godot says."""

    session_id = "world-ops"

    def __init__(self, steps: dict[int, list[Op]], last: int) -> None:
        self.steps = steps
        self.last = last
        self.finished = False
        self.failures: list[OpFailed] = []
        self.signals: list[Signal] = []
        self.stops: list[tuple[int, str]] = []
        self.frames: list[Frame] = []

    def on_disconnect(self) -> None:
        pass

    def on_message(self, message: GodotMessage) -> Sequence[Op]:
        if isinstance(message, OpFailed):
            self.failures.append(message)
        elif isinstance(message, Signal):
            self.signals.append(message)
        elif isinstance(message, StopPressed):
            self.stops.append((len(self.frames), message.source))
        if not isinstance(message, Frame):
            return []
        self.frames.append(message)
        if message.n >= self.last:
            self.finished = True
            return [Quit(code=0)]
        return self.steps.get(message.n, [])


def run(script: Script, tmp_path: Path) -> str:
    log = tmp_path / "godot.log"
    result = asyncio.run(play_session(script, Mode.HEADLESS, log_path=log))
    text = log.read_text()
    assert result.returncode == 0, text
    problems = [ln for ln in text.splitlines() if ln.startswith(("ERROR", "SCRIPT ERROR"))]
    assert problems == [], text
    return text


def signals(script: Script, node: str, name: str) -> list[list[object]]:
    return [s.args for s in script.signals if s.node == node and s.signal == name]


@pytest.mark.godot
def test_choice_question_cues_and_rig_ops(godot: str, tmp_path: Path) -> None:
    script = Script(
        {
            1: [
                ConnectSignal(node=PANEL, signal="chosen"),
                ConnectSignal(node=PANEL, signal="answered"),
                ConnectSignal(node=CUES, signal="cue_played"),
                AskChoice(prompt="What happened?", choices=["Pain", "Dizzy", "Tired", "Other"]),
            ],
            3: [CallMethod(node=PANEL, method="choose", args=[7])],  # no such choice: ignored
            4: [CallMethod(node=PANEL, method="choose", args=[2])],
            5: [AskPain(prompt="How much harm?", low="no harm", high="severe harm")],
            6: [  # the scale starts empty: pick 5, then two steps up
                SetProperty(node=f"{PANEL}/Slider", prop="value", value=5),
                CallMethod(node=f"{PANEL}/Slider", method="step", args=[2]),
            ],
            7: [CallMethod(node=f"{PANEL}/Confirm", method="press")],
            8: [Cue(name=n) for n in ("tick", "tock", "breath_in", "breath_out", "success")],
            9: [Cue(name="chime", volume_db=-20.0), Cue(name="soft_alert", volume_db=6.0)],
            10: [RigMode(posture="seated", height_offset_m=0.1), Recenter()],
            11: [RigMode(posture="standing")],
        },
        last=20,
    )
    run(script, tmp_path)
    assert script.failures == []
    assert signals(script, PANEL, "chosen") == [[2, "Tired"]]
    assert signals(script, PANEL, "answered") == [[7]]
    played = [args[0] for args in signals(script, CUES, "cue_played")]
    assert played == ["tick", "tock", "breath_in", "breath_out", "success", "chime", "soft_alert"]


@pytest.mark.godot
def test_stop_buttons_on_panel_and_wrist(godot: str, tmp_path: Path) -> None:
    glide: dict[int, list[Op]] = {}
    for n in range(20, 50):  # the right hand moves onto the left wrist (disarmed: nothing)
        k = (n - 20) / 29
        glide[n] = [pose([a + (b - a) * k for a, b in zip(RIGHT_REST, WRIST, strict=True)])]
    for n in range(50, 60):
        glide[n] = [pose(RIGHT_REST)]
    for n in range(70, 100):  # and again once armed: one stop
        k = (n - 70) / 29
        glide[n] = [pose([a + (b - a) * k for a, b in zip(RIGHT_REST, WRIST, strict=True)])]
    steps: dict[int, list[Op]] = {
        1: [pose(RIGHT_REST)],
        5: [CallMethod(node=f"{PANEL}/Stop", method="press")],
        **glide,
    }
    steps[60] = [*steps.get(60, []), SetProperty(node=f"{RIG}/LeftHand/WristStop", prop="armed",
                                                 value=True)]  # fmt: skip
    script = Script(steps, last=120)
    run(script, tmp_path)
    assert script.failures == []
    sources = [source for _n, source in script.stops]
    assert sources == ["panel", "wrist"], script.stops
    assert 70 < script.stops[1][0] <= 101


@pytest.mark.godot
def test_props_spawn_set_and_call(godot: str, tmp_path: Path) -> None:
    def spawn(scene: str, name: str, **props: object) -> Spawn:
        return Spawn(scene=f"{PROPS}/{scene}.tscn", parent=LEVEL, name=name, props=props)

    gauge = f"{LEVEL}/Gauge"
    script = Script(
        {
            1: [
                spawn(
                    "pw_target",
                    "Target",
                    radius=0.12,
                    label="left 30°",
                    color=[0.3, 0.6, 0.8],
                    touched_color=[1.0, 0.8, 0.4],
                ),
                spawn(
                    "pw_gauge", "Gauge", goal=30.0, gain=1.5, max_value=90.0, label="Bend forward"
                ),
                spawn("pw_breath_orb", "Orb", label="Breathe in", breaths_per_min=6.0),
                spawn("pw_pacer", "Pacer", cadence_per_min=120.0, auto_pulse=True),
                spawn("pw_step_pad", "Pad", spacing=0.32),
                spawn("pw_scenery", "Scenery", tree_count=3, stone_count=2),
                ConnectSignal(node=gauge, signal="goal_reached"),
                ConnectSignal(node=f"{LEVEL}/Pacer", signal="pulsed"),
            ],
            2: [SetProperty(node=gauge, prop="value", value=15.0)],
            3: [SetProperty(node=gauge, prop="value", value=21.0)],  # 21 x 1.5 = 31.5 >= 30
            4: [
                SetProperty(node=f"{LEVEL}/Orb", prop="phase", value=0.5),
                SetProperty(node=f"{LEVEL}/Orb", prop="inhaling", value=False),
                CallMethod(node=f"{LEVEL}/Pad", method="light", args=["left"]),
                CallMethod(node=f"{LEVEL}/Pad", method="light", args=["both"]),
                CallMethod(node=f"{LEVEL}/Pad", method="clear"),
                CallMethod(node=f"{LEVEL}/Pacer", method="pulse"),
                CallMethod(node=f"{LEVEL}/Target", method="glow"),
                CallMethod(node=f"{LEVEL}/Target", method="reset"),
            ],
        },
        last=120,  # over a second: the pacer pulses by itself at 2 Hz
    )
    run(script, tmp_path)
    assert script.failures == []
    assert signals(script, gauge, "goal_reached") == [[]]
    pulses = [args[0] for args in signals(script, f"{LEVEL}/Pacer", "pulsed")]
    assert pulses[:3] == [1, 2, 3] and len(pulses) >= 3
