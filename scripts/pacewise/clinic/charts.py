"""The overview's charts as Figures: pain, adherence, range of motion and quota progression.

Long periods are summarised per week or month so a chart of ten years stays as light and
readable as one of ten weeks; the tables behind the charts keep every session.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TypeVar

from pacewise.clinic.figure import Bar, Figure, Key, Mark, Polyline, Segment, Shape, Text
from pacewise.clinic.overview import (
    ExerciseQuota,
    ExerciseRange,
    Overview,
    SessionPain,
    WeekAdherence,
    important_float_change,
)
from pacewise.clinic.period import Period
from pacewise.domain.pacing import Step
from pacewise.domain.pain import PainEntry, PainKind

WIDTH = 920.0
LEFT, RIGHT, TOP, BOTTOM = 48.0, 16.0, 14.0, 30.0
#: Above this many points a series is summarised per week (or per month for long periods).
MAX_POINTS = 120

T = TypeVar("T")


def label_exercise(name: str) -> str:
    return name.replace("_", " ")


@dataclass(frozen=True)
class Frame:
    """The plot area of a figure and its two scales."""

    start: datetime
    end: datetime
    low: float
    high: float
    height: float

    @property
    def x0(self) -> float:
        return LEFT

    @property
    def x1(self) -> float:
        return WIDTH - RIGHT

    @property
    def y0(self) -> float:
        return self.height - BOTTOM

    @property
    def y1(self) -> float:
        return TOP

    def x(self, at: datetime) -> float:
        span = (self.end - self.start).total_seconds() or 1.0
        share = (at - self.start).total_seconds() / span
        return self.x0 + (self.x1 - self.x0) * min(1.0, max(0.0, share))

    def y(self, value: float) -> float:
        share = (value - self.low) / ((self.high - self.low) or 1.0)
        return self.y0 - (self.y0 - self.y1) * share


def _frame(period: Period, tz: tzinfo, low: float, high: float, height: float) -> Frame:
    return Frame(period.first_instant(tz), period.after_last_instant(tz), low, high, height)


def _time_ticks(period: Period) -> list[tuple[date, str]]:
    days = period.days
    ticks: list[tuple[date, str]] = []
    if days <= 45:
        day = period.start + timedelta(days=(7 - period.start.weekday()) % 7)
        while day <= period.end:
            ticks.append((day, f"{day:%-d %b}"))
            day += timedelta(days=7)
        return ticks
    every = 1 if days <= 240 else 3 if days <= 1100 else 12
    month = date(period.start.year, period.start.month, 1)
    while month <= period.end:
        index = month.year * 12 + month.month - 1
        if month >= period.start and index % every == 0:
            text = f"{month:%Y}" if every == 12 else f"{month:%b}"
            if every == 3 or (month.month == 1 and every == 1):
                text = f"{month:%b %Y}"
            ticks.append((month, text))
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return ticks


def _axes(
    fig: Figure, frame: Frame, period: Period, tz: tzinfo, values: Iterable[float], unit: str
) -> None:
    for value in values:
        y = frame.y(value)
        fig.add(Segment(frame.x0, y, frame.x1, y, "grid", width=1.0))
        fig.add(Text(frame.x0 - 6, y + 4, f"{value:g}{unit}", anchor="end", size=13))
    fig.add(Segment(frame.x0, frame.y0, frame.x1, frame.y0, "axis", width=1.0))
    for day, text in _time_ticks(period):
        x = frame.x(datetime.combine(day, datetime.min.time(), tz))
        fig.add(Segment(x, frame.y0, x, frame.y0 + 4, "axis", width=1.0))
        fig.add(Text(x, frame.y0 + 19, text, anchor="middle", size=13))


def _bucket_key(period: Period, count: int) -> Callable[[date], date] | None:
    """None when every point fits; else the start of the point's week or month."""
    if count <= MAX_POINTS:
        return None
    if period.days <= 3 * 365:
        return lambda day: day - timedelta(days=day.weekday())
    return lambda day: day.replace(day=1)


def _grouped(
    items: Sequence[T], when: Callable[[T], datetime], key: Callable[[date], date], tz: tzinfo
) -> list[tuple[datetime, list[T]]]:
    groups: dict[date, list[T]] = {}
    for item in items:
        groups.setdefault(key(when(item).astimezone(tz).date()), []).append(item)
    out = []
    for _start, members in sorted(groups.items()):
        middle = statistics.median_low([when(m).timestamp() for m in members])
        out.append((datetime.fromtimestamp(middle, tz), members))
    return out


def _mean(values: Iterable[int | float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def pain_chart(view: Overview, tz: tzinfo) -> Figure:
    """Pain before and after each session, the diary, flare-ups, and important changes."""
    height = 300.0
    fig = Figure(
        WIDTH,
        height,
        "Pain (0 = none, 10 = worst imaginable)",
        "Pain before and after each session and the daily diary. A triangle marks a clinically "
        "important change within a session: 2 points or more, or 30% or more.",
    )
    frame = _frame(view.period, tz, 0, 10, height)
    _axes(fig, frame, view.period, tz, range(0, 11, 2), "")
    key = _bucket_key(view.period, max(len(view.session_pain), len(view.diary)))
    summary = (
        ""
        if key is None
        else " (means per week)"
        if view.period.days <= 1095
        else " (means per month)"
    )
    diary = [e for e in view.diary if e.kind is PainKind.diary]
    _diary_line(fig, frame, diary, key, tz)
    _session_marks(fig, frame, view.session_pain, key, tz)
    for entry in (e for e in view.diary if e.kind is PainKind.flare):
        fig.add(
            Mark(
                frame.x(entry.at),
                frame.y(entry.score),
                "diamond",
                "flare",
                size=5,
                title=f"flare-up {entry.at.astimezone(tz):%-d %b %Y}: {entry.score}/10"
                + (f", {entry.note}" if entry.note else ""),
            )
        )
    fig.keys = [
        Key("circle", "before", "before session" + summary),
        Key("disc", "after", "after session"),
        Key("triangle_up", "rise", "important rise (≥ 2 points or ≥ 30%)"),
        Key("triangle_down", "fall", "important fall"),
        Key("line", "diary", "daily diary" + summary),
        Key("diamond", "flare", "flare-up"),
    ]
    if not view.session_pain and not view.diary:
        fig.empty = "No pain scores in this period."
    return fig


def _diary_line(
    fig: Figure,
    frame: Frame,
    diary: Sequence[PainEntry],
    key: Callable[[date], date] | None,
    tz: tzinfo,
) -> None:
    if key is None:
        points = [(frame.x(e.at), frame.y(e.score)) for e in diary]
    else:
        points = []
        for middle, members in _grouped(diary, lambda e: e.at, key, tz):
            mean = _mean(e.score for e in members)
            assert mean is not None
            points.append((frame.x(middle), frame.y(mean)))
    if len(points) >= 2:
        fig.add(Polyline(tuple(points), "diary", width=1.8))


def _session_marks(
    fig: Figure,
    frame: Frame,
    sessions: Sequence[SessionPain],
    key: Callable[[date], date] | None,
    tz: tzinfo,
) -> None:
    rows: list[tuple[datetime, float | None, float | None, bool, str]] = []
    if key is None:
        for s in sessions:
            when = f"{s.at.astimezone(tz):%-d %b %Y}"
            rows.append((s.at, s.before, s.after, s.important, when))
    else:
        for middle, members in _grouped(sessions, lambda s: s.at, key, tz):
            before = _mean(m.before for m in members)
            after = _mean(m.after for m in members)
            important = before is not None and after is not None
            important = important and important_float_change(before or 0.0, after or 0.0)
            label = f"{len(members)} sessions around {middle:%-d %b %Y} (means)"
            rows.append((middle, before, after, important, label))
    for at, before, after, important, label in rows:
        x = frame.x(at)
        if before is not None and after is not None:
            role = "change"
            if important:
                role = "rise" if after > before else "fall"
            width = 2.2 if important else 1.0
            fig.add(Segment(x, frame.y(before), x, frame.y(after), role, width=width))
        if before is not None:
            fig.add(
                Mark(x, frame.y(before), "circle", "before", 3.5, f"{label}: before {before:g}")
            )
        if after is not None:
            text = f"{label}: after {after:g}"
            if important and before is not None:
                shape: Shape = "triangle_up" if after > before else "triangle_down"
                fig.add(
                    Mark(x, frame.y(after), shape, "rise" if after > before else "fall", 5, text)
                )
            else:
                fig.add(Mark(x, frame.y(after), "disc", "after", 3.0, text))


def adherence_chart(view: Overview, tz: tzinfo) -> Figure:
    """Sessions done per week (bars) against the plan (outlined)."""
    height = 220.0
    weeks: list[WeekAdherence] = view.adherence
    monthly = len(weeks) > 60
    title = "Sessions done per month vs planned" if monthly else "Sessions done per week vs planned"
    fig = Figure(
        WIDTH,
        height,
        title,
        "Filled bars: sessions done. Outlined bars: sessions the plan asked for.",
    )
    groups: list[tuple[date, int, float]]
    if monthly:
        merged: dict[date, tuple[int, float]] = {}
        for week in weeks:
            month = week.week.replace(day=1)
            done, planned = merged.get(month, (0, 0.0))
            merged[month] = (done + week.done, planned + week.planned)
        groups = [(m, d, p) for m, (d, p) in sorted(merged.items())]
    else:
        groups = [(w.week, w.done, w.planned) for w in weeks]
    top = max([1.0] + [max(d, p) for _, d, p in groups])
    top = float(int(top) + 1)
    frame = _frame(view.period, tz, 0, top, height)
    step = max(1, round(top / 5))
    _axes(fig, frame, view.period, tz, range(0, int(top) + 1, step), "")
    span = 30 if monthly else 7
    for start, done, planned in groups:
        left = frame.x(datetime.combine(start, datetime.min.time(), tz))
        right = frame.x(datetime.combine(start + timedelta(days=span), datetime.min.time(), tz))
        gap = max(1.0, (right - left) * 0.18)
        x, w = left + gap / 2, max(1.0, right - left - gap)
        label = f"{'month' if monthly else 'week'} of {start:%-d %b %Y}: {done} done"
        label += f" of {planned:.1f} planned"
        fig.add(Bar(x, frame.y(planned), w, frame.y0 - frame.y(planned), "planned", False, label))
        if done:
            inset = w * 0.2
            fig.add(
                Bar(
                    x + inset,
                    frame.y(done),
                    w - 2 * inset,
                    frame.y0 - frame.y(done),
                    "done",
                    True,
                    label,
                )
            )
    fig.keys = [Key("bar", "done", "done"), Key("outline", "planned", "planned")]
    if not groups:
        fig.empty = "No weeks in this period."
    return fig


def range_chart(view: Overview, rom: ExerciseRange, tz: tzinfo) -> Figure:
    """Best angle per session (circles), typical angle (line), plan targets and cap (dashed)."""
    height = 210.0
    name = label_exercise(rom.exercise.value)
    fig = Figure(
        WIDTH,
        height,
        f"Range of motion: {name} (degrees)",
        f"Best {name} angle reached in each session, and the typical angle (median of the "
        f"last 5 sessions' best). Dashed: the plan's target angles and cap.",
    )
    values = [p.best_deg for p in rom.points] + rom.targets + [rom.cap_deg or 0.0]
    high = max([*values, 30.0])
    high = float((int(high) // 10 + 1) * 10)
    frame = _frame(view.period, tz, 0, high, height)
    _axes(fig, frame, view.period, tz, range(0, int(high) + 1, 10 if high <= 60 else 20), "°")
    for target in rom.targets:
        y = frame.y(target)
        fig.add(Segment(frame.x0, y, frame.x1, y, "target", width=1.2, dashed=True))
        fig.add(Text(frame.x1 - 2, y - 4, f"target {target:g}°", "target", "end", 10))
    if rom.cap_deg is not None:
        y = frame.y(rom.cap_deg)
        fig.add(Segment(frame.x0, y, frame.x1, y, "cap", width=1.2, dashed=True))
        fig.add(Text(frame.x0 + 4, y - 4, f"cap {rom.cap_deg:g}°", "cap", "start", 10))
    key = _bucket_key(view.period, len(rom.points))
    if key is None:
        best = [(p.at, p.best_deg, p.typical_deg) for p in rom.points]
    else:
        best = []
        for middle, members in _grouped(rom.points, lambda p: p.at, key, tz):
            typical = statistics.median(m.typical_deg for m in members)
            best.append((middle, max(m.best_deg for m in members), typical))
    for at, deg, _ in best:
        fig.add(
            Mark(
                frame.x(at),
                frame.y(deg),
                "circle",
                "best",
                3.2,
                f"{at.astimezone(tz):%-d %b %Y}: best {deg:g}°",
            )
        )
    if len(best) >= 2:
        fig.add(Polyline(tuple((frame.x(a), frame.y(t)) for a, _, t in best), "typical", 2.2))
    fig.keys = [
        Key("circle", "best", "best in session" + ("" if key is None else " (highest per period)")),
        Key("line", "typical", "typical"),
        Key("dashed", "target", "plan targets"),
        Key("dashed", "cap", "cap"),
    ]
    if not rom.points:
        fig.empty = f"No {name} angles recorded in this period."
    return fig


STEP_MARK: dict[Step, Shape] = {
    Step.start: "square",
    Step.step_up: "triangle_up",
    Step.step_back: "triangle_down",
}


def quota_chart(view: Overview, quota: ExerciseQuota, tz: tzinfo) -> Figure:
    """The pacing quota over time as a step line; steps up and back are marked."""
    height = 170.0
    name = label_exercise(quota.exercise.value)
    unit = "reps" if quota.unit == "reps" else "seconds"
    fig = Figure(
        WIDTH,
        height,
        f"Quota: {name} ({unit} per session)",
        f"The pacing engine's quota for {name} at each session; the reasons are in the table.",
    )
    decisions = list(quota.decisions)
    if view.period.contains(quota.today.at, tz):
        decisions.append(quota.today)
    high = float(max([d.quota for d in decisions] + [5]) * 1.2)
    frame = _frame(view.period, tz, 0, high, height)
    step = max(1, round(high / 4 / 5) * 5) if high > 20 else max(1, round(high / 4))
    _axes(fig, frame, view.period, tz, range(0, int(high) + 1, step), "")
    points: list[tuple[float, float]] = []
    last: int | None = None
    for d in decisions:
        x = frame.x(d.at)
        if last is not None and d.quota != last:
            points.append((x, frame.y(last)))
        if last is None or d.quota != last:
            points.append((x, frame.y(d.quota)))
        last = d.quota
    if points:
        points.append((frame.x(decisions[-1].at), points[-1][1]))
        fig.add(Polyline(tuple(points), "quota", 2.2))
    marked = [d for d in decisions if d.step in STEP_MARK]
    if len(marked) <= 80:
        for d in marked:
            role = "rise" if d.step is Step.step_back else "quota"
            fig.add(Mark(frame.x(d.at), frame.y(d.quota), STEP_MARK[d.step], role, 4.5, d.reason))
    fig.keys = [
        Key("line", "quota", "quota"),
        Key("square", "quota", "start after baseline"),
        Key("triangle_up", "quota", "step up"),
        Key("triangle_down", "rise", "step back"),
    ]
    if not decisions:
        fig.empty = f"No {name} sessions in this period."
    return fig
