"""The date range a physiotherapist looks at, parsed once at the boundary."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from pydantic import BaseModel, ConfigDict, model_validator

#: Shortcuts offered on the overview, in days back from today (None: everything).
SPANS: dict[str, int | None] = {"4 weeks": 28, "12 weeks": 84, "1 year": 365, "all": None}
DEFAULT_DAYS = 84
#: Days a range may name: a report from year 1 or to year 9999 is a typing slip, and would
#: overflow date arithmetic or stall the server.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2200, 12, 31)


class PeriodError(ValueError):
    """A date range the user typed that cannot be used; the message says why."""


class Period(BaseModel):
    """Inclusive calendar days in the clinic's local time zone."""

    model_config = ConfigDict(frozen=True)

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start > self.end:
            raise ValueError(f"the start {self.start} is after the end {self.end}")
        return self

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def first_instant(self, tz: tzinfo) -> datetime:
        return datetime.combine(self.start, time(), tz)

    def after_last_instant(self, tz: tzinfo) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time(), tz)

    def contains(self, at: datetime, tz: tzinfo) -> bool:
        return self.start <= at.astimezone(tz).date() <= self.end

    def label(self) -> str:
        return f"{self.start:%-d %b %Y} – {self.end:%-d %b %Y}"


def parse_day(text: str, what: str) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(f"{what} {text!r} is not a date like 2025-11-03") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise PeriodError(
            f"{what} {day} is outside the years {FIRST_DAY.year} to {LAST_DAY.year}; "
            "give a date in that range"
        )
    return day


def resolve(
    start: str | None, end: str | None, today: date, earliest: date | None, default_days: int
) -> Period:
    """The period from optional typed dates; missing ends fall back to sensible defaults."""
    last = parse_day(end, "--to") if end else today
    if start:
        first = parse_day(start, "--from")
    elif default_days <= 0:
        first = earliest or last
    else:
        first = max(FIRST_DAY, last - timedelta(days=default_days - 1))
    if first > last:
        raise PeriodError(f"--from {first} is after --to {last}")
    return Period(start=first, end=last)


def local_tz() -> tzinfo:
    tz = datetime.now().astimezone().tzinfo
    assert tz is not None
    return tz
