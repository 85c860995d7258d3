"""Tidy rows (one observation per row, one kind per table) for CSV and for the report tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from pacewise.clinic.figures import session_change
from pacewise.clinic.overview import Overview
from pacewise.domain.pain import PainEntry
from pacewise.domain.session import SessionRecord


class SessionRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    session_id: str
    started_at: datetime
    duration_min: float
    pain_before: int | None
    pain_after: int | None
    pain_change: int | None
    important_change: bool
    exercises: int
    stopped: str | None


class ExerciseRow(BaseModel):
    """One exercise within one session: what was done against the quota."""

    model_config = ConfigDict(frozen=True)

    session_id: str
    started_at: datetime
    exercise: str
    reps: int
    seconds: float | None
    steps: int | None
    breaths: int | None
    quota: int | None
    best_deg: float | None
    stopped: str | None


class PainRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    entry_id: str
    at: datetime
    kind: str
    score: int
    session_id: str | None
    note: str | None
    recorded_at: datetime | None
    exposure_movement: str | None
    expected_pain: int | None
    felt_pain: int | None
    expected_harm: int | None
    felt_harm: int | None


class SummaryRow(BaseModel):
    """The period's headline figures, as the dashboard and the PDF show them."""

    model_config = ConfigDict(frozen=True)

    period_start: date
    period_end: date
    counted_from: date | None
    sessions_done: int
    sessions_planned: float
    adherence: float | None
    pain_first: float | None
    pain_last: float | None
    pain_days: int
    pain_change_important: bool


def summary_row(view: Overview) -> SummaryRow:
    h = view.headline
    return SummaryRow(
        period_start=view.period.start,
        period_end=view.period.end,
        counted_from=h.counted_from,
        sessions_done=h.sessions_done,
        sessions_planned=round(h.sessions_planned, 2),
        adherence=None if h.adherence is None else round(h.adherence, 4),
        pain_first=None if h.pain_first is None else round(h.pain_first, 2),
        pain_last=None if h.pain_last is None else round(h.pain_last, 2),
        pain_days=h.pain_days,
        pain_change_important=h.pain_change_important,
    )


def session_rows(sessions: Sequence[SessionRecord]) -> list[SessionRow]:
    rows = []
    for s in sessions:
        change, important = session_change(s.pain_before, s.pain_after)
        rows.append(
            SessionRow(
                session_id=s.id,
                started_at=s.started_at,
                duration_min=round(s.duration_s / 60, 1),
                pain_before=s.pain_before,
                pain_after=s.pain_after,
                pain_change=change,
                important_change=important,
                exercises=len(s.levels),
                stopped=s.stopped,
            )
        )
    return rows


def exercise_rows(sessions: Sequence[SessionRecord]) -> list[ExerciseRow]:
    return [
        ExerciseRow(
            session_id=s.id,
            started_at=s.started_at,
            exercise=level.name,
            reps=level.reps,
            seconds=level.seconds,
            steps=level.steps,
            breaths=level.breaths,
            quota=level.quota,
            best_deg=level.best_deg,
            stopped=level.stopped,
        )
        for s in sessions
        for level in s.levels
    ]


def pain_rows(entries: Sequence[PainEntry]) -> list[PainRow]:
    rows = []
    for e in entries:
        x = e.exposure
        rows.append(
            PainRow(
                entry_id=e.id,
                at=e.at,
                kind=e.kind.value,
                score=e.score,
                session_id=e.session_id,
                note=e.note,
                recorded_at=e.recorded_at,
                exposure_movement=x.movement if x else None,
                expected_pain=x.expected_pain if x else None,
                felt_pain=x.felt_pain if x else None,
                expected_harm=x.expected_harm if x else None,
                felt_harm=x.felt_harm if x else None,
            )
        )
    return rows
