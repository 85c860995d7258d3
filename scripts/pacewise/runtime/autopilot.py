"""Plays the game as the synthetic patient would: moves the scripted rig and answers check-ins.

It only uses what a person in the headset could: what is shown (targets, questions) and their
own body. Its actions go through the same ops as everything else.
"""

from __future__ import annotations

from collections.abc import Sequence

from pacewise.levels.ops import CallMethod, Op, PoseTarget, RigPose
from pacewise.motion.patient import Point, SyntheticPatient

THINK_S = 1.2


class Autopilot:
    def __init__(self, seed: int, panel_path: str) -> None:
        self.patient = SyntheticPatient(seed)
        self._panel = panel_path
        self._asked: tuple[str, float] | None = None

    def question(self, kind: str, t: float) -> None:
        """The panel now asks a pain question of `kind` (before/after)."""
        self._asked = (kind, t)

    def act(self, t_next: float, targets: Sequence[Point]) -> list[Op]:
        ops: list[Op] = []
        if self._asked is not None and t_next - self._asked[1] >= THINK_S:
            score = self.patient.pain_answer(self._asked[0])
            ops.append(CallMethod(node=self._panel, method="answer", args=[score]))
            self._asked = None
        pose = self.patient.step(t_next, targets)
        ops.append(
            RigPose(
                head=PoseTarget(p=list(pose.head), q=list(pose.head_q)),
                left=PoseTarget(p=list(pose.left)),
                right=PoseTarget(p=list(pose.right)),
            )
        )
        return ops
