"""Activity pacing: quota-based and time-contingent, never pain-contingent.

The first sessions of an exercise measure the patient's tolerance (the baseline). The first
quota is a fraction of it (80% by default), and the quota steps up by a fraction of the
baseline (10%) once enough sessions in a row went as planned. A flare-up holds the quota (the
streak starts again); repeated flare-ups at one level step it back. The quota never exceeds
the cap, and the patient stops at the quota even on a good day. Every decision says why.

Everything here is replayed from the session records and pain entries, so the same history
always gives the same quota, and the dashboard can show each past decision with its reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from pacewise.domain.pain import IMPORTANT_CHANGE_POINTS, PainEntry, PainKind
from pacewise.domain.prescription import (
    UNIT,
    Exercise,
    PacingSettings,
    Prescription,
    Unit,
    cap_amount,
    planned_amount,
)
from pacewise.domain.session import LevelEnd, SessionPath, SessionRecord


class Step(StrEnum):
    baseline = "baseline"
    start = "start"
    step_up = "step_up"
    hold = "hold"
    step_back = "step_back"
    capped = "capped"
    off = "off"


class Decision(BaseModel):
    """The quota for one session of one exercise, and why."""

    model_config = ConfigDict(frozen=True)

    exercise: Exercise
    unit: Unit
    quota: int
    step: Step
    reason: str
    at: datetime
    baseline: float | None = None
    session_id: str | None = None


class Outcome(BaseModel):
    """What happened in one session of the exercise, as pacing sees it."""

    model_config = ConfigDict(frozen=True)

    session_id: str
    at: datetime
    done: float | None
    stopped: str | None
    pain_rise: int | None
    #: The amount says something about tolerance (not stopped, failed or cut short).
    measured: bool = True
    #: Why it does not count, in plain words, when it does not.
    not_counted: str | None = None


def _day(at: datetime) -> str:
    return f"{at.day} {at:%b}"


def _amount(unit: Unit, value: float) -> str:
    if unit is Unit.reps:
        return f"{round(value)} reps"
    seconds = round(value)
    if seconds >= 120 and seconds % 60 == 0:
        return f"{seconds // 60} min"
    return f"{seconds} s"


def _not_counted(session: SessionRecord, ended: LevelEnd | None, why: str | None) -> str | None:
    """Why a level's amount must not teach pacing anything (None when it may)."""
    if session.path is SessionPath.gentle:
        return "it was a gentle session after a flare-up"
    if ended is LevelEnd.not_measured:
        return f"nothing could be measured ({why or 'no reason given'})"
    if ended is LevelEnd.skipped:
        return "it was skipped"
    if ended is LevelEnd.interrupted:
        return "the game closed before it ended"
    if ended is LevelEnd.stopped:
        return "it was stopped early"
    return None


def outcomes(exercise: Exercise, sessions: Sequence[SessionRecord]) -> list[Outcome]:
    """The sessions that included the exercise (level name = exercise name), oldest first."""
    found: list[Outcome] = []
    for session in sorted(sessions, key=lambda s: s.started_at):
        level = session.level(exercise.value)
        if level is None:
            continue
        done = float(level.reps) if UNIT[exercise] is Unit.reps else level.seconds
        ended = level.ended
        if ended is None:  # files from before `ended`: a stop note means it was cut short
            ended = LevelEnd.stopped if level.stopped else LevelEnd.finished
        found.append(
            Outcome(
                session_id=session.id,
                at=session.started_at,
                done=done,
                stopped=level.stopped or session.stopped,
                pain_rise=session.pain_rise,
                measured=level.measured and session.path is SessionPath.full,
                not_counted=_not_counted(session, ended, level.not_measured),
            )
        )
    return found


class _Pacer:
    """The replay state; one instance walks one exercise's history once."""

    def __init__(self, exercise: Exercise, prescription: Prescription) -> None:
        plan = prescription.exercises[exercise]
        self.exercise = exercise
        self.unit = UNIT[exercise]
        self.settings: PacingSettings = prescription.pacing
        self.cap = cap_amount(exercise, plan)
        self.planned = min(planned_amount(exercise, plan), self.cap)
        self.samples: list[float] = []
        self.baseline: float | None = None
        self.level = 0  # steps above (or below) the starting quota
        self.streak = 0  # sessions in a row done as planned since the last change or flare
        self.flares: list[datetime] = []  # flare-ups since the last change of level
        self.pending = ""  # why the last session did not count towards a step

    def quota_at(self, level: int) -> int:
        """Start quota plus whole steps of the baseline fraction (at least one unit a step)."""
        assert self.baseline is not None
        s = self.settings
        start = round(self.baseline * s.start_fraction)
        step = max(1, round(self.baseline * s.step_fraction))
        return max(1, min(self.cap, start + level * step))

    def decide(self, at: datetime) -> Decision:
        s = self.settings
        if self.baseline is None:
            n = len(self.samples) + 1
            return self._decision(
                at,
                self.planned,
                Step.baseline,
                f"baseline session {n} of {s.baseline_sessions}: do what feels manageable, "
                f"up to {_amount(self.unit, self.planned)}; this sets your starting point",
            )
        quota = self.quota_at(self.level)
        if len(self.flares) >= s.flares_to_step_back:
            count, dates = len(self.flares), ", ".join(_day(f) for f in self.flares)
            self.level -= 1
            self.flares, self.streak = [], 0
            new = self.quota_at(self.level)
            return self._decision(
                at,
                new,
                Step.step_back,
                f"stepped back to {_amount(self.unit, new)}: {count} "
                f"flare-ups reported at this level ({dates})",
            )
        if self.flares and self.streak < s.sessions_per_step:
            return self._decision(
                at,
                quota,
                Step.hold,
                f"kept at {_amount(self.unit, quota)}: flare-up reported on "
                f"{_day(self.flares[-1])}; {self._progress()}",
            )
        if self.streak >= s.sessions_per_step:
            if self.quota_at(self.level + 1) <= quota:
                return self._decision(
                    at,
                    quota,
                    Step.capped,
                    f"kept at {_amount(self.unit, quota)}: this is the cap your "
                    "physiotherapist set",
                )
            self.level += 1
            self.flares, self.streak = [], 0
            new = self.quota_at(self.level)
            return self._decision(
                at,
                new,
                Step.step_up,
                f"raised to {_amount(self.unit, new)}: {s.sessions_per_step} sessions in a row "
                f"done as planned, without a flare-up or a pain rise of 2 or more",
            )
        why = self.pending or self._progress()
        return self._decision(at, quota, Step.hold, f"kept at {_amount(self.unit, quota)}: {why}")

    def _progress(self) -> str:
        need = self.settings.sessions_per_step
        return f"{self.streak} of {need} sessions done as planned at this level so far"

    def _decision(self, at: datetime, quota: int, step: Step, reason: str) -> Decision:
        return Decision(
            exercise=self.exercise,
            unit=self.unit,
            quota=quota,
            step=step,
            reason=reason,
            at=at,
            baseline=self.baseline,
        )

    def start_from_baseline(self, at: datetime) -> Decision:
        s = self.settings
        self.baseline = sum(self.samples) / len(self.samples)
        quota = self.quota_at(0)
        return self._decision(
            at,
            quota,
            Step.start,
            f"start at {_amount(self.unit, quota)}: {s.start_fraction:.0%} of your baseline of "
            f"{_amount(self.unit, self.baseline)} (average of the first "
            f"{len(self.samples)} sessions)",
        )

    def observe(self, outcome: Outcome, quota: int) -> None:
        on = _day(outcome.at)
        if outcome.not_counted is not None and outcome.not_counted != "it was stopped early":
            # Failed, skipped, cut short or gentle: it says nothing about tolerance, either way.
            self.pending = f"the session on {on} did not count: {outcome.not_counted}"
            return
        if self.baseline is None:
            # Only a level that ran its course measures tolerance; a stop is about that moment.
            if outcome.measured and outcome.done is not None:
                self.samples.append(min(outcome.done, self.planned))  # more than asked: no
            return
        if outcome.stopped:
            self.streak, self.pending = 0, f"the session on {on} was stopped early"
        elif outcome.done is None:
            self.streak, self.pending = 0, f"no amount was recorded on {on}"
        elif outcome.done < quota:
            self.streak = 0
            self.pending = f"{_amount(self.unit, outcome.done)} of {quota} done on {on}"
        elif outcome.pain_rise is None:
            self.streak, self.pending = 0, f"pain was not rated before and after on {on}"
        elif outcome.pain_rise >= IMPORTANT_CHANGE_POINTS:
            self.streak = 0
            self.pending = f"pain rose {outcome.pain_rise} points during the session on {on}"
        else:
            self.streak, self.pending = self.streak + 1, ""

    def flare(self, at: datetime) -> None:
        self.flares.append(at)
        self.streak, self.pending = 0, ""


class Plan(BaseModel):
    """Today's decision for one exercise plus every past decision (for the dashboard)."""

    model_config = ConfigDict(frozen=True)

    today: Decision
    history: list[Decision]


def plan_exercise(
    exercise: Exercise,
    prescription: Prescription,
    sessions: Sequence[SessionRecord],
    pain: Sequence[PainEntry],
    now: datetime,
) -> Plan:
    """Replay the history of one exercise and decide the quota for a session starting `now`."""
    plan = prescription.plan(exercise)
    if plan is None:
        off = Decision(
            exercise=exercise,
            unit=UNIT[exercise],
            quota=0,
            step=Step.off,
            reason=f"{exercise.value} is not in the current plan",
            at=now,
        )
        return Plan(today=off, history=[])
    pacer = _Pacer(exercise, prescription)
    flares = sorted(e.at for e in pain if e.kind is PainKind.flare and e.at <= now)
    history: list[Decision] = []
    pending_flares = iter(flares)
    next_flare = next(pending_flares, None)

    def decide(at: datetime, session_id: str | None) -> Decision:
        nonlocal next_flare
        while next_flare is not None and next_flare < at:
            if pacer.baseline is not None:
                pacer.flare(next_flare)
            next_flare = next(pending_flares, None)
        if pacer.baseline is None and len(pacer.samples) >= prescription.pacing.baseline_sessions:
            decision = pacer.start_from_baseline(at)
        else:
            decision = pacer.decide(at)
        return decision.model_copy(update={"session_id": session_id})

    for outcome in outcomes(exercise, [s for s in sessions if s.started_at < now]):
        decision = decide(outcome.at, outcome.session_id)
        history.append(decision)
        pacer.observe(outcome, decision.quota)
    return Plan(today=decide(now, None), history=history)


def plan_all(
    prescription: Prescription,
    sessions: Sequence[SessionRecord],
    pain: Sequence[PainEntry],
    now: datetime,
) -> dict[Exercise, Plan]:
    return {e: plan_exercise(e, prescription, sessions, pain, now) for e in Exercise}


class QuotaCheck(BaseModel):
    model_config = ConfigDict(frozen=True)

    stop: bool
    reason: str


def at_quota(decision: Decision, done: float) -> QuotaCheck:
    """Stop at the quota, good day or not: pacing works by not overdoing the good days."""
    if decision.step is Step.baseline:
        if done >= decision.quota:
            return QuotaCheck(
                stop=True,
                reason=f"{_amount(decision.unit, done)} done: that is today's most",
            )
        return QuotaCheck(stop=False, reason="baseline: stop whenever it feels enough")
    if done >= decision.quota:
        return QuotaCheck(
            stop=True,
            reason=(
                f"{_amount(decision.unit, done)} of {_amount(decision.unit, decision.quota)}: "
                "quota reached; stopping here, even on a good day, keeps the plan steady"
            ),
        )
    left = decision.quota - done
    return QuotaCheck(stop=False, reason=f"{_amount(decision.unit, left)} to go")
