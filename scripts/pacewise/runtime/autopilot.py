"""Plays the game as the synthetic patient would: moves the scripted rig and answers the panel.

It only uses what a person in the headset could: what is shown (targets, questions) and their
own body. For reaching it reacts to the targets it sees; for the other exercises it performs
the movement a synthetic recording describes (motion.synthetic, with its ground truth), from the
moment the level starts. Its actions go through the same ops as everything else.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pacewise.levels.api import LevelPlan
from pacewise.levels.ops import CallMethod, Op, PoseTarget, RigPose
from pacewise.motion.patient import Point, SyntheticPatient
from pacewise.motion.signals import DEFAULT_MIN_DEG
from pacewise.motion.signals import Exercise as MotionExercise
from pacewise.motion.synthetic import Spec, Synthetic, TruthRep, generate

THINK_S = 1.2
# Marching and breathing go on a little past the quota: the level, not the patient, ends them.
TIMED_EXTRA_S = 10.0
PERFORMED = {
    "lateral_flexion": MotionExercise.LATERAL_FLEXION,
    "forward_flexion": MotionExercise.FORWARD_FLEXION,
    "sit_to_stand": MotionExercise.SIT_TO_STAND,
    "march": MotionExercise.MARCH,
    "breathing": MotionExercise.BREATHING,
}


@dataclass(frozen=True)
class Performance:
    """A synthetic recording being played from session time `start_t`, and its truth."""

    start_t: float
    synthetic: Synthetic

    def truth_reps(self, until_t: float) -> list[TruthRep]:
        """Repetitions the body really completed before `until_t` (session time)."""
        return [r for r in self.synthetic.reps if self.start_t + r.end_t <= until_t]


class Autopilot:
    def __init__(self, seed: int, panel_path: str, *, stop_at: float | None = None) -> None:
        self.seed = seed
        self.patient = SyntheticPatient(seed)
        self._panel = panel_path
        self._asked: tuple[str, tuple[str, ...], float] | None = None
        self._performance: Performance | None = None
        self.performances: dict[str, Performance] = {}
        self.stop_at = stop_at
        self._stopped = False

    # --- what the patient is shown -------------------------------------------------------

    def asked(self, key: str, choices: tuple[str, ...], t: float) -> None:
        """The panel now asks a question (pain scale when `choices` is empty)."""
        self._asked = (key, choices, t)

    def withdrawn(self) -> None:
        """The open question was taken off the panel: nothing to answer."""
        self._asked = None

    def begin_level(self, plan: LevelPlan, t: float) -> None:
        """A level starts: for movements other than reaching, perform its synthetic recording."""
        exercise = PERFORMED.get(plan.exercise)
        self._performance = None
        if exercise is None:
            return
        timed = plan.unit == "seconds"
        default_min = DEFAULT_MIN_DEG.get(exercise)
        min_deg = None
        if default_min is not None and plan.target_deg:
            min_deg = min(default_min, 0.75 * min(plan.target_deg))
        spec = Spec(
            exercise=exercise,
            seed=self.seed * 1000 + len(self.performances),
            seated=plan.position == "seated",
            height_m=self.patient.traits.height_m,
            hz=90.0,
            reps=4 if timed else plan.quota + 2,
            partials=1,
            jitter=0.0,
            missing=0.0,
            dropouts=0,
            noise_m=0.0005,
            min_deg=min_deg,
            # A patient who follows the plan: bends to the target, keeps the beat and the time.
            amplitude_deg=max(plan.target_deg) if plan.target_deg else None,
            cadence_per_min=plan.cadence_per_min if timed else None,
            duration_s=plan.quota + TIMED_EXTRA_S if timed else None,
        )
        self._performance = Performance(t, generate(spec))
        self.performances[plan.exercise] = self._performance

    def end_level(self) -> None:
        self._performance = None

    # --- answers -------------------------------------------------------------------------

    def _scale_answer(self, key: str) -> int:
        traits = self.patient.traits
        if key == "before":
            return self.patient.pain_answer("before")
        if key in ("after", "stop_pain"):
            return self.patient.pain_answer("after")
        if key == "expected_pain":
            return min(10, traits.pain_before + 2)
        if key == "expected_harm":
            return min(10, traits.pain_before + 1)
        if key == "felt_pain":
            return traits.pain_before
        return max(0, traits.pain_before - 2)  # felt_harm: less than feared

    def _choice_answer(self, key: str, choices: tuple[str, ...]) -> int:
        wanted = {"what_happened": "Tired", "carry_on": "Finish for today"}.get(key)
        return choices.index(wanted) if wanted in choices else 0

    def act(self, t_next: float, targets: Sequence[Point]) -> list[Op]:
        ops: list[Op] = []
        if self._asked is not None and t_next - self._asked[2] >= THINK_S:
            key, choices, _t = self._asked
            self._asked = None
            if choices:
                ops.append(
                    CallMethod(
                        node=self._panel, method="choose", args=[self._choice_answer(key, choices)]
                    )
                )
            else:
                ops.append(
                    CallMethod(node=self._panel, method="answer", args=[self._scale_answer(key)])
                )
        if self.stop_at is not None and not self._stopped and t_next >= self.stop_at:
            self._stopped = True
            ops.append(CallMethod(node="/root/PwBridge", method="press_stop", args=["autopilot"]))
        ops.append(self._pose(t_next, targets))
        return ops

    def _pose(self, t: float, targets: Sequence[Point]) -> RigPose:
        performance = self._performance
        if performance is None:
            pose = self.patient.step(t, targets)
            return RigPose(
                head=PoseTarget(p=list(pose.head), q=list(pose.head_q)),
                left=PoseTarget(p=list(pose.left)),
                right=PoseTarget(p=list(pose.right)),
            )
        rec = performance.synthetic.recording
        local = t - performance.start_t
        i = int(np.clip(np.searchsorted(rec.t, local), 0, rec.t.size - 1))
        head_q = rec.head.q[i]
        q = None if math.isnan(float(head_q[0])) else [float(v) for v in head_q]
        return RigPose(
            head=PoseTarget(p=[float(v) for v in rec.head.p[i]], q=q),
            left=PoseTarget(p=[float(v) for v in rec.left.p[i]]),
            right=PoseTarget(p=[float(v) for v in rec.right.p[i]]),
        )
