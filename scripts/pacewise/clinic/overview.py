"""What the physiotherapist sees first: the numbers behind every chart and table of a period.

Everything is computed from the store's records and the domain's rules (pain thresholds, the
pacing replay), so the dashboard, the reports and the CSV all tell the same story.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from pacewise.clinic import figures
from pacewise.clinic.period import Period
from pacewise.domain.pacing import Decision, Plan, plan_all
from pacewise.domain.pain import PainEntry, PainKind
from pacewise.domain.prescription import (
    ANGLED,
    UNIT,
    Exercise,
    PrescriptionVersion,
    default_prescription,
)
from pacewise.domain.session import SessionRecord
from pacewise.store import DamagedFileError, Problem, Store
from pacewise.store.plans import default_version

#: The parts of the data folder a view can need, by their folder.
AREAS = {"pain": "pain", "mirror": "pain", "sessions": "sessions", "prescription": "plan"}


def area(home: Path, path: Path) -> str:
    """Which part of the data a file belongs to ("pain", "sessions", "plan" or "other")."""
    try:
        parts = path.relative_to(home).parts
    except ValueError:
        return "other"
    if not parts or parts == ("sessions", "index.jsonl"):
        return "other"  # the session index is a cache: no page needs it to be sound
    return AREAS.get(parts[0], "other")


#: How many recent sessions the "typical" angle is the median of.
TYPICAL_WINDOW = 5


@dataclass(frozen=True)
class Snapshot:
    """One consistent read of the store; every view of a request is built from it."""

    sessions: list[SessionRecord]
    pain: list[PainEntry]
    versions: list[PrescriptionVersion]
    current: PrescriptionVersion
    now: datetime
    #: What could not be read (only with strict=False; a strict read raises instead).
    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def read(cls, store: Store, now: datetime, *, strict: bool = True) -> Snapshot:
        """Everything the views need; a damaged file raises DamagedFileError, or with
        strict=False is listed in `problems` while the rest is read."""
        problems: list[Problem] = []
        sessions = store.load_sessions()
        pain = store.load_pain()
        history = store.plans.history()
        problems += sessions.problems + pain.problems + history.problems
        problems += store.session_files.index_map()[1]
        try:
            current = store.prescription()
        except DamagedFileError as error:
            problems += [p for p in error.problems if p not in problems]
            current = history.items[-1] if history.items else default_version()
        blocking = [p for p in problems if area(store.home, p.path) != "other"]
        if strict and blocking:
            raise DamagedFileError(blocking)
        first = PrescriptionVersion(
            revision=0, by="Pacewise default", at=None, prescription=default_prescription()
        )
        good = history.items
        versions = [first, *good] if good and good[0].revision > 0 else good
        versions = versions or [current]
        return cls(sessions.items, pain.items, versions, current, now, problems)

    def damaged(self, home: Path, *areas: str) -> list[Problem]:
        """The problems of the files that views of these areas read."""
        return [p for p in self.problems if area(home, p.path) in areas]

    @cached_property
    def plans(self) -> dict[Exercise, Plan]:
        """The pacing replay of every exercise (the costliest step: computed once)."""
        return plan_all(self.current.prescription, self.sessions, self.pain, self.now)

    def earliest(self, tz: tzinfo) -> date | None:
        firsts = [s.started_at for s in self.sessions[:1]] + [p.at for p in self.pain[:1]]
        return min(firsts).astimezone(tz).date() if firsts else None

    def version_at(self, at: datetime) -> PrescriptionVersion | None:
        """The plan in force at a moment (None before the first saved revision)."""
        found = None
        for version in self.versions:
            if version.at is not None and version.at <= at:
                found = version
        return found


class SessionPain(BaseModel):
    model_config = ConfigDict(frozen=True)

    session_id: str
    at: datetime
    before: int | None
    after: int | None

    @property
    def change(self) -> int | None:
        return figures.session_change(self.before, self.after)[0]

    @property
    def important(self) -> bool:
        """Clinically important change, either way: ≥ 2 points or ≥ 30% of the first score."""
        return figures.session_change(self.before, self.after)[1]


class WeekAdherence(BaseModel):
    model_config = ConfigDict(frozen=True)

    week: date
    done: int
    planned: float


class AnglePoint(BaseModel):
    model_config = ConfigDict(frozen=True)

    session_id: str
    at: datetime
    best_deg: float
    typical_deg: float


class ExerciseRange(BaseModel):
    model_config = ConfigDict(frozen=True)

    exercise: Exercise
    points: list[AnglePoint]
    targets: list[float]
    cap_deg: float | None


class ExerciseQuota(BaseModel):
    model_config = ConfigDict(frozen=True)

    exercise: Exercise
    unit: str
    decisions: list[Decision]
    today: Decision


class Event(BaseModel):
    """A flare-up or a session that paused or stopped, with the patient's own words."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    kind: str
    said: str
    score: int | None = None
    session_id: str | None = None


class PauseView(BaseModel):
    """A pause as the dashboard shows it, whichever version of the session record holds it."""

    model_config = ConfigDict(frozen=True)

    t_s: float
    source: str
    reason: str
    answer: str | None = None
    outcome: str | None = None


def pauses(session: SessionRecord) -> list[PauseView]:
    """The pauses a session recorded (records from before pauses were kept have none)."""
    found = getattr(session, "pauses", None) or []
    return [
        PauseView(
            t_s=getattr(p, "t_s", 0.0),
            source=str(getattr(p, "source", "")),
            reason=str(getattr(p, "reason", "")),
            answer=getattr(p, "answer", None),
            outcome=getattr(p, "outcome", None),
        )
        for p in found
    ]


class Headline(BaseModel):
    model_config = ConfigDict(frozen=True)

    pain_first: float | None
    pain_last: float | None
    pain_change_important: bool
    #: How many days at each end the pain means cover (0: no scores to compare).
    pain_days: int
    #: The first day adherence counts (the first session or saved plan), None if neither.
    counted_from: date | None
    sessions_done: int
    sessions_planned: float
    flare_ups: int
    pauses: int
    important_rises: int

    @property
    def adherence(self) -> float | None:
        return self.sessions_done / self.sessions_planned if self.sessions_planned else None


class Overview(BaseModel):
    model_config = ConfigDict(frozen=True)

    period: Period
    tz_name: str
    plan: PrescriptionVersion
    headline: Headline
    session_pain: list[SessionPain]
    diary: list[PainEntry]
    adherence: list[WeekAdherence]
    ranges: list[ExerciseRange]
    quotas: list[ExerciseQuota]
    events: list[Event]
    sessions: list[SessionRecord]


important_float_change = figures.important_change


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def adherence(snapshot: Snapshot, period: Period, tz: tzinfo) -> list[WeekAdherence]:
    """Sessions done per calendar week against the plan in force, prorated at the edges.

    Weeks count from the adherence window's start (figures.adherence_window), not from a
    period start before the patient began.
    """
    window = figures.adherence_window(period, snapshot.sessions, snapshot.versions, tz)
    if window is None:
        return []
    done: dict[date, int] = {}
    for session in snapshot.sessions:
        if window.contains(session.started_at, tz):
            week = _monday(session.started_at.astimezone(tz).date())
            done[week] = done.get(week, 0) + 1
    today = snapshot.now.astimezone(tz).date()
    last_day = min(window.end, today)
    weeks = []
    week = _monday(window.start)
    while week <= last_day:
        first = max(week, window.start)
        last = min(week + timedelta(days=6), last_day)
        days = max(0, (last - first).days + 1)
        version = snapshot.version_at(datetime.combine(last, datetime.max.time(), tz))
        per_week = (version or snapshot.versions[0]).prescription.sessions_per_week
        weeks.append(WeekAdherence(week=week, done=done.get(week, 0), planned=per_week * days / 7))
        week += timedelta(days=7)
    return weeks


def ranges(snapshot: Snapshot, in_period: Sequence[SessionRecord]) -> list[ExerciseRange]:
    """Best angle per session and the typical (median of recent bests), per angled exercise."""
    wanted = {s.id for s in in_period}
    out = []
    plan = snapshot.current.prescription
    for exercise in sorted(ANGLED, key=list(Exercise).index):
        bests: list[float] = []
        points = []
        for session in snapshot.sessions:
            level = session.level(exercise.value)
            if level is None or level.best_deg is None:
                continue
            bests.append(level.best_deg)
            if session.id in wanted:
                typical = statistics.median(bests[-TYPICAL_WINDOW:])
                points.append(
                    AnglePoint(
                        session_id=session.id,
                        at=session.started_at,
                        best_deg=level.best_deg,
                        typical_deg=typical,
                    )
                )
        exercise_plan = plan.exercises.get(exercise)
        out.append(
            ExerciseRange(
                exercise=exercise,
                points=points,
                targets=list(exercise_plan.target_deg) if exercise_plan else [],
                cap_deg=exercise_plan.caps.max_deg if exercise_plan else None,
            )
        )
    return out


def quotas(snapshot: Snapshot, period: Period, tz: tzinfo) -> list[ExerciseQuota]:
    """The pacing replay of every exercise in the plan; decisions inside the period."""
    out = []
    for exercise, plan in snapshot.plans.items():
        if not plan.history and plan.today.quota == 0:
            continue
        out.append(
            ExerciseQuota(
                exercise=exercise,
                unit=UNIT[exercise].value,
                decisions=[d for d in plan.history if period.contains(d.at, tz)],
                today=plan.today,
            )
        )
    return out


def events(pain: Sequence[PainEntry], sessions: Sequence[SessionRecord]) -> list[Event]:
    found = [
        Event(
            at=e.at,
            kind="flare-up",
            said=e.note or "(no note)",
            score=e.score,
            session_id=e.session_id,
        )
        for e in pain
        if e.kind is PainKind.flare
    ]
    for session in sessions:
        paused = pauses(session)
        for pause in paused:
            found.append(
                Event(
                    at=session.started_at + timedelta(seconds=pause.t_s),
                    kind="stop pressed" if pause.source.startswith("stop") else "safety pause",
                    said="; ".join(p for p in (pause.reason, pause.answer, pause.outcome) if p),
                    session_id=session.id,
                )
            )
        reasons = [session.stopped] if session.stopped and not paused else []
        reasons += [
            f"{lv.name}: {lv.stopped}"
            for lv in session.levels
            if lv.stopped and lv.stopped != session.stopped and not paused
        ]
        if reasons:
            kind = "safety pause" if any("paused" in r for r in reasons) else "stopped early"
            found.append(
                Event(
                    at=session.started_at,
                    kind=kind,
                    said="; ".join(dict.fromkeys(reasons)),
                    session_id=session.id,
                )
            )
    return sorted(found, key=lambda e: e.at)


def headline(
    period: Period,
    tz: tzinfo,
    pain: Sequence[PainEntry],
    session_pain: Sequence[SessionPain],
    weeks: Sequence[WeekAdherence],
    found: Sequence[Event],
    *,
    all_pain: Sequence[PainEntry] = (),
    counted_from: date | None = None,
) -> Headline:
    """Pain at the start against the end of the data in the period; sessions against plan."""
    window = figures.pain_window(period, all_pain or pain, tz)
    first, last, days = figures.pain_change(window, pain, tz)
    important = first is not None and last is not None and figures.important_change(first, last)
    return Headline(
        pain_first=first,
        pain_last=last,
        pain_change_important=important,
        pain_days=days,
        counted_from=counted_from,
        sessions_done=len(session_pain),
        sessions_planned=sum(w.planned for w in weeks),
        flare_ups=sum(1 for e in found if e.kind == "flare-up"),
        pauses=sum(1 for e in found if e.kind != "flare-up"),
        important_rises=sum(1 for s in session_pain if s.important and (s.change or 0) > 0),
    )


def build(snapshot: Snapshot, period: Period, tz: tzinfo) -> Overview:
    sessions = [s for s in snapshot.sessions if period.contains(s.started_at, tz)]
    pain = [e for e in snapshot.pain if period.contains(e.at, tz)]
    session_pain = [
        SessionPain(session_id=s.id, at=s.started_at, before=s.pain_before, after=s.pain_after)
        for s in sessions
    ]
    weeks = adherence(snapshot, period, tz)
    window = figures.adherence_window(period, snapshot.sessions, snapshot.versions, tz)
    found = events(pain, sessions)
    return Overview(
        period=period,
        tz_name=str(snapshot.now.astimezone(tz).tzname()),
        plan=snapshot.current,
        headline=headline(
            period,
            tz,
            pain,
            session_pain,
            weeks,
            found,
            all_pain=snapshot.pain,
            counted_from=window.start if window else None,
        ),
        session_pain=session_pain,
        diary=[e for e in pain if e.kind in (PainKind.diary, PainKind.flare)],
        adherence=weeks,
        ranges=ranges(snapshot, sessions),
        quotas=quotas(snapshot, period, tz),
        events=found,
        sessions=sessions,
    )
