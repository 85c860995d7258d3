"""Pain ratings: the 0–10 numeric rating scale, the kinds of check-in, and what counts as a change.

The scale is the NRS used in low back pain research (0 = no pain, 10 = worst pain imaginable).
A change of 2 or more points, or of 30% or more, is the usual threshold for a clinically
important change; smaller moves are within day-to-day noise.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

Score = Annotated[int, Field(ge=0, le=10, strict=True)]

#: A rise of this many points (or more) is clinically meaningful.
IMPORTANT_CHANGE_POINTS = 2
#: ... and so is a relative change of this fraction of the starting score.
IMPORTANT_CHANGE_FRACTION = 0.30


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("time must carry a time zone (an aware datetime)")
    return value


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]


class PainKind(StrEnum):
    before = "before"
    after = "after"
    diary = "diary"
    flare = "flare"


class ExposureCheck(BaseModel):
    """Expected versus felt pain and harm around a graded-exposure movement.

    Graded exposure works by letting the patient see that the feared movement hurts and harms
    less than expected; recording both sides makes that visible to patient and clinician.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    movement: str = Field(min_length=1, max_length=80)
    expected_pain: Score
    expected_harm: Score
    felt_pain: Score | None = None
    felt_harm: Score | None = None


class PainEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
    score: Score
    kind: PainKind
    at: AwareDatetime
    session_id: str | None = None
    note: str | None = Field(default=None, max_length=2000)
    exposure: ExposureCheck | None = None
    #: When it was entered, if later than `at` (a diary filled in the next morning): late
    #: entries are recalled rather than rated live, which a clinician may want to know.
    recorded_at: AwareDatetime | None = None


def new_entry_id(at: datetime) -> str:
    """A fresh id that sorts by time and is unique without coordination between processes."""
    return f"{at:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:12]}"


def new_pain_entry(
    score: int,
    kind: PainKind,
    at: datetime,
    *,
    session_id: str | None = None,
    note: str | None = None,
    exposure: ExposureCheck | None = None,
    recorded_at: datetime | None = None,
) -> PainEntry:
    return PainEntry(
        id=new_entry_id(at),
        score=score,
        kind=kind,
        at=at,
        session_id=session_id,
        note=note,
        exposure=exposure,
        recorded_at=recorded_at if recorded_at is not None else at,
    )


def is_important_change(before: int, after: int) -> bool:
    """True when the change is clinically important: ≥ 2 points or ≥ 30% of the first score."""
    delta = abs(after - before)
    if delta >= IMPORTANT_CHANGE_POINTS:
        return True
    return before > 0 and delta / before >= IMPORTANT_CHANGE_FRACTION


def is_meaningful_rise(before: int, after: int, points: int = IMPORTANT_CHANGE_POINTS) -> bool:
    """A rise (not a fall) of at least `points`: what the safety and pacing rules react to."""
    return after - before >= points
