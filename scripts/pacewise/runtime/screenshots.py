"""Pictures of the session as the patient sees it: an observer that asks Godot for screenshots.

Each picture is taken a fixed time into its phase (session time), so the scene has something to
show: the check-in's slider, a level in full swing, the summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pacewise.levels.api import LevelPlan
from pacewise.levels.ops import Op, Screenshot
from pacewise.motion.patient import Point
from pacewise.runtime.dialog import Question
from pacewise.runtime.session import Phase

#: Seconds into each phase when its picture is taken.
SHOT_DELAY_S = {Phase.PAIN_BEFORE: 0.8, Phase.LEVEL: 14.0, Phase.SUMMARY: 1.0}


class Screenshots:
    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self._due: list[tuple[float, str]] = []

    def entered(self, phase: Phase, t: float, label: str) -> None:
        if phase in SHOT_DELAY_S:
            self._due.append((t + SHOT_DELAY_S[phase], label))

    def act(self, t_next: float, targets: Sequence[Point]) -> list[Op]:
        ops: list[Op] = []
        for due, name in [shot for shot in self._due if shot[0] <= t_next]:
            self._due.remove((due, name))
            ops.append(Screenshot(path=str(self.folder / f"{name}.png")))
        return ops

    def asked(self, question: Question, t: float) -> None:
        pass

    def withdrawn(self) -> None:
        pass

    def level_started(self, plan: LevelPlan, t: float) -> None:
        pass

    def level_ended(self) -> None:
        pass
