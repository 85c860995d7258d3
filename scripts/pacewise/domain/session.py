"""What one play session produced: per-level results, the pain check-ins and how it ended.

Durations are session time taken from the game's frames, never from a wall clock, so a replayed
or headless session gives the same record.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from pacewise.domain.pain import AwareDatetime, ExposureCheck, Score


class Repetition(BaseModel):
    """One counted repetition, for the clinician's session view.

    Times are session seconds; velocity is in the watched signal's units per second (degrees
    for trunk angles); smoothness is SPARC (closer to 0 is smoother).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    t_s: float = Field(ge=0)
    peak_deg: float | None = None
    side: str | None = Field(default=None, max_length=10)
    peak_velocity: float | None = None
    smoothness: float | None = None
    time_to_peak_s: float | None = Field(default=None, ge=0)


class LevelEnd(StrEnum):
    """How a level ended; pacing reads it (docs/clinical.md, "What counts towards pacing")."""

    quota = "quota"  # the session ended it at the quota
    finished = "finished"  # the level said it was done before the quota
    time_cap = "time_cap"  # its time ran out with something measured
    stopped = "stopped"  # the stop button or a safety pause
    not_measured = "not_measured"  # the behaviour failed, or nothing was measured
    skipped = "skipped"  # the patient chose to leave it out today
    interrupted = "interrupted"  # the game closed or its Python side restarted mid-level


#: Level ends whose amount says something about the patient's tolerance.
MEASURED_ENDS = frozenset({LevelEnd.quota, LevelEnd.finished, LevelEnd.time_cap})


class LevelResult(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    name: str = Field(min_length=1, max_length=80)
    reps: int = Field(ge=0)
    seconds: float | None = Field(default=None, ge=0)
    quota: int | None = Field(default=None, ge=0)
    steps: int | None = Field(default=None, ge=0)
    breaths: int | None = Field(default=None, ge=0)
    best_deg: float | None = None
    stopped: str | None = None
    repetitions: list[Repetition] = Field(default_factory=list)
    #: How it ended (absent in files written before this field existed).
    ended: LevelEnd | None = None
    #: Why nothing usable was measured, when `ended` is not_measured.
    not_measured: str | None = Field(default=None, max_length=500)

    @property
    def measured(self) -> bool:
        """The amount done says something about tolerance (see MEASURED_ENDS)."""
        if self.ended is None:  # older files: a level without a stop note ran its course
            return self.stopped is None
        return self.ended in MEASURED_ENDS


class Pause(BaseModel):
    """A moment the session paused: the stop button or a safety rule, and what the patient said.

    Clinicians review these beside flare-ups; `t_s` is session time from the game's frames.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    t_s: float = Field(ge=0)
    source: str = Field(min_length=1, max_length=80)
    reason: str = Field(max_length=500)
    answer: str | None = Field(default=None, max_length=200)
    outcome: str | None = Field(default=None, max_length=200)


class SessionPath(StrEnum):
    """Which session the check-in led to."""

    full = "full"  # today's plan at the pacing engine's dose
    gentle = "gentle"  # the flare-up path: a gentle session
    rest = "rest"  # the flare-up path: no exercise today


class SessionRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    started_at: AwareDatetime
    duration_s: float = Field(ge=0)
    godot_version: str
    frames: int = Field(ge=0)
    levels: list[LevelResult] = Field(default_factory=list)
    pain_before: Score | None = None
    pain_after: Score | None = None
    stopped: str | None = None
    seed: int | None = None
    pauses: list[Pause] = Field(default_factory=list)
    #: Played by the synthetic patient (demo): never kept in a patient's own data folder.
    synthetic: bool = False
    path: SessionPath = SessionPath.full
    #: Times the game's Python side was restarted during the session (it resumed each time).
    restarts: int = Field(default=0, ge=0)
    #: Level behaviours that failed: file, hook and error (the log has the traceback).
    behaviour_errors: list[str] = Field(default_factory=list)
    #: Expected (and, once asked, felt) pain and harm around each graded-exposure movement,
    #: kept from the moment each answer is given.
    exposures: list[ExposureCheck] = Field(default_factory=list)

    @property
    def pain_rise(self) -> int | None:
        if self.pain_before is None or self.pain_after is None:
            return None
        return self.pain_after - self.pain_before

    def level(self, name: str) -> LevelResult | None:
        for result in self.levels:
            if result.name == name:
                return result
        return None
