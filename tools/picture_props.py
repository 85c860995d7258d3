#!/usr/bin/env python3
"""Pictures of the Godot-side pieces a level uses, for docs/images/props/.

Run by `tools/screenshots` under Xvfb: a scripted Python side (no session, no store) drives the
real game over the bridge: the pain slider, a choice question, and every prop, then quits.
Usage: .venv/bin/python tools/picture_props.py OUT_DIR
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from pacewise.levels.ops import (
    AskChoice,
    AskPain,
    CallMethod,
    Op,
    PoseTarget,
    Quit,
    RigPose,
    Screenshot,
    SetProperty,
    ShowText,
    Spawn,
)
from pacewise.runtime.launcher import Mode, play_session
from pacewise.runtime.protocol import Frame, GodotMessage

LEVEL = "/root/Main/Level"
PANEL = "/root/Main/Panel"
PROPS = "res://addons/pacewise/props"


class Gallery:
    session_id = "gallery"

    def __init__(self, out: Path) -> None:
        self.out = out
        self.finished = False
        self.steps: dict[int, list[Op]] = {
            5: [AskPain(prompt="Before we start: how much pain do you feel right now?")],
            40: [self.shot("panel-pain")],
            45: [
                CallMethod(node=PANEL, method="answer", args=[3]),
                AskChoice(
                    prompt="What happened?",
                    choices=["Pain", "Dizzy or sick", "Tired", "Something else"],
                ),
            ],
            80: [self.shot("panel-choice")],
            85: [
                CallMethod(node=PANEL, method="choose", args=[2]),
                ShowText(text=""),
                SetProperty(node=PANEL, prop="visible", value=False),
                *self.props(),
            ],
            140: [
                CallMethod(node=f"{LEVEL}/Target2", method="glow"),
                CallMethod(node=f"{LEVEL}/Pad", method="light", args=["left"]),
                CallMethod(node=f"{LEVEL}/Pacer", method="pulse"),
            ],
            150: [self.shot("props")],
            155: [Quit(code=0)],
        }

    def shot(self, name: str) -> Screenshot:
        return Screenshot(path=str(self.out.resolve() / f"{name}.png"))

    def props(self) -> list[Op]:
        return [
            Spawn(scene=f"{PROPS}/pw_target.tscn", parent=LEVEL, name="Target1",
                  position=[-0.55, 1.45, -1.3], props={"label": "left 30°"}),
            Spawn(scene=f"{PROPS}/pw_target.tscn", parent=LEVEL, name="Target2",
                  position=[-0.25, 1.2, -1.2], props={"label": "glowing"}),
            Spawn(scene=f"{PROPS}/pw_gauge.tscn", parent=LEVEL, name="Gauge",
                  position=[0.1, 1.45, -1.5],
                  props={"value": 24.0, "goal": 30.0, "gain": 1.0, "label": "Bend forward"}),
            Spawn(scene=f"{PROPS}/pw_breath_orb.tscn", parent=LEVEL, name="Orb",
                  position=[0.62, 1.15, -1.4], props={"phase": 0.4, "label": "Breathe in"}),
            Spawn(scene=f"{PROPS}/pw_pacer.tscn", parent=LEVEL, name="Pacer",
                  position=[1.5, 0.0, -2.8], props={"label": "Step"}),
            Spawn(scene=f"{PROPS}/pw_step_pad.tscn", parent=LEVEL, name="Pad",
                  position=[-0.6, 0.06, -2.6]),
        ]  # fmt: skip

    def on_disconnect(self) -> None:
        pass

    def on_message(self, message: GodotMessage) -> Sequence[Op]:
        if not isinstance(message, Frame):
            return []
        ops: list[Op] = []
        if message.n == 1:
            ops.append(
                RigPose(
                    head=PoseTarget(p=[0.0, 1.6, 0.0], q=[-0.13, 0.0, 0.0, 0.99]),
                    left=PoseTarget(p=[-0.25, 1.0, -0.25]),
                    right=PoseTarget(p=[0.25, 1.0, -0.25]),
                )
            )
        if message.n == 155:
            self.finished = True
        ops.extend(self.steps.get(message.n, []))
        return ops


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    result = asyncio.run(play_session(Gallery(out), Mode.DESKTOP))
    problems = [ln for ln in result.log.splitlines() if ln.startswith(("ERROR", "SCRIPT ERROR"))]
    for line in problems:
        print(f"Godot: {line}", file=sys.stderr)
    return 1 if problems or result.returncode else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/images/props")))
