"""The dose belongs to the session: a level reports progress, the session counts it.

A `LevelRun` keeps what one level reported, clamped to the quota, and decides when the level is
over: at the quota, at its time cap, or when the level says it is done. Whatever a behaviour
reports past the quota, or in fields its exercise does not have, is not counted. How the level
ended (`LevelEnd`) is what pacing later reads to decide whether the amount says anything about
the patient's tolerance.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from pacewise.domain.exercises import ExerciseFacts, Unit, facts
from pacewise.domain.session import LevelEnd, LevelResult, Repetition
from pacewise.levels.api import LevelPlan

log = logging.getLogger(__name__)

#: A level counted in repetitions gets this long at most (the plan's tempo sets the pace).
REPS_LEVEL_CAP_S = 360.0
#: A timed level may run this long past its quota before the session ends it.
TIMED_GRACE_S = 60.0


@dataclass
class LevelRun:
    plan: LevelPlan
    started_t: float | None = None
    ended_t: float | None = None
    progress: dict[str, float] = field(default_factory=dict)
    repetitions: list[Repetition] = field(default_factory=list)
    ended: LevelEnd | None = None
    stopped: str | None = None
    not_measured: str | None = None
    #: The level said it is done (before the quota; a baseline patient's "enough").
    finish_asked: bool = False
    ignored: int = 0  # reports past the quota or in fields this exercise lacks

    @property
    def name(self) -> str:
        return self.plan.exercise

    @property
    def facts(self) -> ExerciseFacts:
        return facts(self.plan.exercise)

    @property
    def counted(self) -> float:
        """The amount counted against the quota (repetitions or seconds)."""
        return self.progress.get(self.facts.counted, 0.0)

    @property
    def at_quota(self) -> bool:
        return self.counted >= self.plan.quota

    @property
    def over(self) -> bool:
        return self.ended is not None

    def cap_s(self) -> float:
        if self.facts.unit is Unit.seconds:
            return self.plan.quota + TIMED_GRACE_S
        return REPS_LEVEL_CAP_S

    def report(self, progress: dict[str, float]) -> None:
        """Take a level's progress report; fields are cumulative (reps so far, best angle)."""
        allowed = self.facts.progress
        for key, value in progress.items():
            if key not in allowed:
                self.ignored += 1
                log.warning("%s reported %r, which it does not measure; ignored", self.name, key)
                continue
            if key == self.facts.counted:
                value = min(float(value), float(self.plan.quota))
            self.progress[key] = float(value)

    def add_rep(self, rep: Repetition) -> None:
        """Keep one counted repetition, up to the quota."""
        if len(self.repetitions) >= self.plan.quota:
            self.ignored += 1
            return
        self.repetitions.append(rep)

    def end(self, how: LevelEnd, t: float, why: str | None = None) -> None:
        """End the level once; the first ending stands."""
        if self.ended is not None:
            return
        if how in (LevelEnd.time_cap, LevelEnd.finished) and self.counted <= 0:
            how, why = LevelEnd.not_measured, why or "nothing was measured"
        self.ended, self.ended_t = how, t
        if how is LevelEnd.not_measured:
            self.not_measured = why
        elif how in (LevelEnd.stopped, LevelEnd.interrupted, LevelEnd.skipped):
            self.stopped = why
        elif how is LevelEnd.time_cap:
            self.stopped = "level time cap reached"

    def result(self) -> LevelResult:
        progress = self.progress
        timed = self.facts.unit is Unit.seconds
        return LevelResult(
            name=self.name,
            reps=int(progress.get("reps", 0)),
            seconds=round(progress["seconds"], 1) if "seconds" in progress else None,
            quota=self.plan.quota,
            steps=int(progress["steps"]) if "steps" in progress else None,
            breaths=int(progress["breaths"]) if "breaths" in progress else None,
            best_deg=progress.get("best_deg"),
            stopped=self.stopped,
            repetitions=[] if timed else list(self.repetitions),
            ended=self.ended,
            not_measured=self.not_measured,
        )

    @classmethod
    def restored(cls, plan: LevelPlan, result: LevelResult) -> LevelRun:
        """A level already played before a restart, as its saved result says."""
        progress: dict[str, float] = {}
        for key in facts(plan.exercise).progress:
            value = getattr(result, key, None)
            if value is not None:
                progress[key] = float(value)
        return cls(
            plan=plan,
            started_t=0.0,
            progress=progress,
            repetitions=list(result.repetitions),
            ended=result.ended,
            stopped=result.stopped,
            not_measured=result.not_measured,
        )
