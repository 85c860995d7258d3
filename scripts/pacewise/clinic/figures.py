"""The one definition of each headline figure, used by the dashboard, the PDF and HTML
reports, the CSV and FHIR, so that all of them say the same thing about the same data.

* The window a figure counts over starts at the period's first day, or later where the record
  starts later: adherence counts from the first session or the start of the first saved plan,
  whichever came first; the pain change compares the first and last days that hold data. A
  new patient with six weeks of data therefore shows six weeks of adherence, whatever range
  the physiotherapist looks at, instead of weeks before they began.
* The pain change is the mean of diary and before-session scores over the last days minus
  that over the first days (up to 14 days each, a third of the window when it is short).
* An important change is ≥ 2 points or ≥ 30% of the first value, either way (the domain's
  rule, applied to whole scores and to means alike).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo

from pacewise.clinic.period import Period
from pacewise.domain.pain import (
    IMPORTANT_CHANGE_FRACTION,
    IMPORTANT_CHANGE_POINTS,
    PainEntry,
    PainKind,
)
from pacewise.domain.prescription import PrescriptionVersion
from pacewise.domain.session import SessionRecord

#: Days at each end of the window compared for the headline pain change.
HEADLINE_DAYS = 14
#: The scores the headline pain change is the mean of.
RATED = (PainKind.diary, PainKind.before)


def important_change(first: float, last: float) -> bool:
    """Clinically important change, either way: ≥ 2 points or ≥ 30% of the first value."""
    delta = abs(last - first)
    return delta >= IMPORTANT_CHANGE_POINTS or (
        first > 0 and delta / first >= IMPORTANT_CHANGE_FRACTION
    )


def session_change(before: int | None, after: int | None) -> tuple[int | None, bool]:
    """A session's pain change (after − before) and whether it is important."""
    if before is None or after is None:
        return None, False
    return after - before, important_change(before, after)


def _clip(period: Period, first: date | None) -> Period | None:
    if first is None or first > period.end:
        return None
    return Period(start=max(period.start, first), end=period.end)


def adherence_window(
    period: Period,
    sessions: Sequence[SessionRecord],
    versions: Sequence[PrescriptionVersion],
    tz: tzinfo,
) -> Period | None:
    """The days adherence counts over: from the first session or the first saved plan."""
    starts = [s.started_at for s in sessions[:1]]
    starts += [v.at for v in versions if v.at is not None][:1]
    first = min(starts).astimezone(tz).date() if starts else None
    return _clip(period, first)


def pain_window(period: Period, pain: Sequence[PainEntry], tz: tzinfo) -> Period | None:
    """The days the headline pain change compares: from the first rated score on."""
    rated = [e.at for e in pain if e.kind in RATED]
    return _clip(period, min(rated).astimezone(tz).date() if rated else None)


def pain_change(
    window: Period | None, pain: Sequence[PainEntry], tz: tzinfo
) -> tuple[float | None, float | None, int]:
    """Mean score over the first days and over the last days of the window, and the days."""
    if window is None:
        return None, None, 0
    days = min(HEADLINE_DAYS, max(1, window.days // 3))
    span = timedelta(days=days)
    start: datetime = window.first_instant(tz)
    end: datetime = window.after_last_instant(tz)
    rated = [e for e in pain if e.kind in RATED and start <= e.at < end]
    first = [e.score for e in rated if e.at < start + span]
    last = [e.score for e in rated if e.at >= end - span]
    return _mean(first), _mean(last), days


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None
