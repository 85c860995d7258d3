"""Plays the game as the synthetic patient would: moves the scripted rig and answers the panel.

An observer of the session: it only uses what a person in the headset could, namely what is
shown (targets, questions) and its own body. For reaching it reacts to the targets it sees; for
the other exercises it performs the movement a synthetic recording describes (motion.synthetic,
with its ground truth), from the moment the level asks it to move. A `Persona` may script its
answers, its stops and its limits. Its actions go through the same ops as everything else.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pacewise.domain.exercises import Unit, facts
from pacewise.levels.api import LevelPlan
from pacewise.levels.ops import CallMethod, Op, PoseTarget, RigPose
from pacewise.motion.patient import Point, SyntheticPatient
from pacewise.motion.signals import DEFAULT_MIN_DEG
from pacewise.motion.signals import Exercise as MotionExercise
from pacewise.motion.synthetic import Spec, Synthetic, TruthRep, generate
from pacewise.runtime.dialog import Ask, Choice, Question
from pacewise.runtime.persona import Persona
from pacewise.runtime.session import Phase

THINK_S = 1.2
# Marching and breathing go on a little past the quota: the level, not the patient, ends them.
TIMED_EXTRA_S = 10.0
STOP_BRIDGE = "/root/PwBridge"


@dataclass(frozen=True)
class Performance:
    """A synthetic recording being played from session time `start_t`, and its truth."""

    start_t: float
    synthetic: Synthetic

    def truth_reps(self, until_t: float) -> list[TruthRep]:
        """Repetitions the body really completed before `until_t` (session time)."""
        return [r for r in self.synthetic.reps if self.start_t + r.end_t <= until_t]


class Autopilot:
    def __init__(
        self,
        seed: int,
        panel_path: str,
        *,
        stop_at: float | None = None,
        persona: Persona | None = None,
    ) -> None:
        self.seed = seed
        self.patient = SyntheticPatient(seed)
        self.persona = persona or Persona(name="seeded")
        self._panel = panel_path
        self._asked: tuple[Question, float] | None = None
        self._performance: Performance | None = None
        self.performances: dict[str, Performance] = {}
        stop = self.persona.stop
        self._stops: list[float] = [stop_at] if stop_at is not None else []
        if stop is not None and stop.at_s is not None:
            self._stops.append(stop.at_s)
        self._stops.sort()
        self._level_t: float | None = None
        self._level_stopped = False
        self._stopped_last = False

    # --- what the patient is shown -------------------------------------------------------

    def asked(self, question: Question, t: float) -> None:
        """The panel now asks a question."""
        self._asked = (question, t)

    def withdrawn(self) -> None:
        """The open question was taken off the panel: nothing to answer."""
        self._asked = None

    def entered(self, phase: Phase, t: float, label: str) -> None:
        if phase is Phase.LEVEL:
            self._level_t, self._level_stopped = t, False
        elif phase is not Phase.PAUSED:
            self._level_t = None

    def level_started(self, plan: LevelPlan, t: float) -> None:
        """A level asks for movement: for movements other than reaching, perform it."""
        entry = facts(plan.exercise)
        self._performance = None
        if entry.motion_signal == MotionExercise.TRUNK_ROTATION.value:
            return  # reaching follows the targets it sees
        exercise = MotionExercise(entry.motion_signal)
        timed = entry.unit is Unit.seconds
        default_min = DEFAULT_MIN_DEG.get(exercise)
        min_deg = None
        if default_min is not None and plan.target_deg:
            min_deg = min(default_min, 0.75 * min(plan.target_deg))
        amplitude = max(plan.target_deg) * self.persona.range_fraction if plan.target_deg else None
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
            amplitude_deg=amplitude,
            cadence_per_min=plan.cadence_per_min if timed else None,
            duration_s=plan.quota + TIMED_EXTRA_S if timed else None,
        )
        self._performance = Performance(t, generate(spec))
        self.performances[plan.exercise] = self._performance

    def level_ended(self) -> None:
        self._performance = None

    # --- answers -------------------------------------------------------------------------

    def _scale_answer(self, question: Question) -> int:
        traits, p = self.patient.traits, self.persona
        ask = question.ask
        scripted = {
            Ask.pain_before: p.pain_before,
            Ask.pain_after: p.pain_after,
            Ask.stop_pain: p.stop.pain if p.stop else None,
            Ask.expected_pain: p.expected_pain,
            Ask.expected_harm: p.expected_harm,
            Ask.felt_pain: p.felt_pain,
            Ask.felt_harm: p.felt_harm,
        }.get(ask)
        if scripted is not None:
            return scripted
        before = p.pain_before if p.pain_before is not None else traits.pain_before
        if ask is Ask.pain_before:
            return before
        if ask in (Ask.pain_after, Ask.stop_pain):
            return min(10, max(0, before + traits.pain_change))
        if ask is Ask.expected_pain:
            return min(10, before + 2)
        if ask is Ask.expected_harm:
            return min(10, before + 1)
        if ask is Ask.felt_pain:
            return before
        return max(0, before - 2)  # felt harm, a level's question: less than feared

    def _choice_answer(self, question: Question) -> int:
        p = self.persona
        stop = p.stop
        own_stop = stop is not None and self._stopped_last
        wanted = {
            Ask.what_happened: Choice(stop.what_happened) if stop else Choice.tired,
            # After its own stop it does what its stop plan says; after a safety pause, this.
            Ask.carry_on: Choice(stop.then) if stop and own_stop else Choice(p.after_pause),
            Ask.flare_path: Choice(p.flare_choice),
            Ask.harm_ack: Choice(p.harm_choice),
        }.get(question.ask)
        if question.ask is Ask.carry_on:
            self._stopped_last = False
        return question.choices.index(wanted) if wanted in question.choices else 0

    def act(self, t_next: float, targets: Sequence[Point]) -> list[Op]:
        ops: list[Op] = []
        if self._asked is not None and t_next - self._asked[1] >= THINK_S:
            question, _t = self._asked
            self._asked = None
            if question.choices:
                index = self._choice_answer(question)
                ops.append(CallMethod(node=self._panel, method="choose", args=[index]))
            else:
                value = self._scale_answer(question)
                ops.append(CallMethod(node=self._panel, method="answer", args=[value]))
        if self._stop_due(t_next):
            ops.append(CallMethod(node=STOP_BRIDGE, method="press_stop", args=["autopilot"]))
        ops.append(self._pose(t_next, targets))
        return ops

    def _stop_due(self, t_next: float) -> bool:
        if self._stops and t_next >= self._stops[0]:
            self._stops.pop(0)
            self._stopped_last = True
            return True
        stop = self.persona.stop
        every = stop.in_every_level_after_s if stop is not None else None
        level_t = self._level_t
        if every is None or level_t is None or self._level_stopped or t_next - level_t < every:
            return False
        self._level_stopped = True
        self._stopped_last = True
        return True

    def _reachable(self, targets: Sequence[Point]) -> list[Point]:
        limit = self.persona.reach_limit_m
        if limit is None:
            return list(targets)
        chest = (0.0, 0.75 * self.patient.traits.height_m, 0.0)
        return [t for t in targets if math.dist(t, chest) <= limit]

    def _pose(self, t: float, targets: Sequence[Point]) -> RigPose:
        performance = self._performance
        if performance is None:
            pose = self.patient.step(t, self._reachable(targets))
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
