"""What one play session produced: per-level results, the pain check-ins and how it ended.

Durations are session time taken from the game's frames, never from a wall clock, so a replayed
or headless session gives the same record.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from pacewise.domain.pain import AwareDatetime, Score


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


class LevelResult(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=80)
    reps: int = Field(ge=0)
    seconds: float | None = Field(default=None, ge=0)
    quota: int | None = Field(default=None, ge=0)
    steps: int | None = Field(default=None, ge=0)
    breaths: int | None = Field(default=None, ge=0)
    best_deg: float | None = None
    stopped: str | None = None
    repetitions: list[Repetition] = Field(default_factory=list)


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


class SessionRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

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
