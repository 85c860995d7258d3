"""The summary the patient reads on the panel at the end: short, kind, and never judging.

A stopped session gets a thank-you, not a "well done"; a level not measured or left for today
is named as such, never as a failure. The next session's amounts come from the pacing engine,
with this session counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pacewise.domain.exercises import Exercise, Unit, facts
from pacewise.domain.pacing import plan_exercise
from pacewise.domain.pain import PainEntry
from pacewise.domain.prescription import Prescription
from pacewise.domain.session import LevelEnd, SessionRecord


def next_quotas(
    record: SessionRecord,
    played: Sequence[str],
    prescription: Prescription,
    sessions: Sequence[SessionRecord],
    pain: Sequence[PainEntry],
    at: datetime,
) -> list[tuple[str, str, str]]:
    """(exercise label, amount, why) for each exercise played, as pacing decides for `at`."""
    history = [*[s for s in sessions if s.id != record.id], record]
    out = []
    for name in played:
        decision = plan_exercise(Exercise(name), prescription, history, pain, at).today
        if decision.quota > 0:
            unit = "s" if decision.unit is Unit.seconds else "reps"
            why = decision.reason.split(":", 1)[0]
            out.append((facts(name).label, f"{decision.quota} {unit}", why))
    return out


def summary_text(record: SessionRecord, upcoming: Sequence[tuple[str, str, str]]) -> str:
    minutes, seconds = divmod(int(record.duration_s), 60)
    stopped_early = record.stopped is not None or any(
        r.ended in (LevelEnd.stopped, LevelEnd.interrupted) for r in record.levels
    )
    head = (
        f"Thank you for today. {minutes} min {seconds:02d} s."
        if stopped_early
        else f"Session done, thank you. {minutes} min {seconds:02d} s."
    )
    if record.pain_before is not None and record.pain_after is not None:
        head += f" Pain {record.pain_before} → {record.pain_after}."
    done = []
    for r in record.levels:
        name = facts(r.name).label
        if r.ended is LevelEnd.skipped:
            done.append(f"{name} left for today")
        elif r.ended is LevelEnd.not_measured:
            done.append(f"{name} not measured")
        elif r.breaths is not None:
            done.append(f"{name} {r.breaths} breaths")
        elif r.steps is not None:
            done.append(f"{name} {r.steps} steps")
        elif facts(r.name).unit is Unit.seconds:
            done.append(f"{name} {r.seconds or 0:.0f} s")
        else:
            best = f" ({r.best_deg:.0f}°)" if r.best_deg is not None else ""
            done.append(f"{name} {r.reps}/{r.quota}{best}")
    lines = [head]
    if done:
        lines.append(" · ".join(done))
    whys = {why for _name, _amount, why in upcoming}
    if len(whys) == 1:
        amounts = ", ".join(f"{name} {amount}" for name, amount, _why in upcoming)
        lines.append(f"Next time: {amounts} ({whys.pop()}).")
    elif upcoming:
        lines.append("Next time: " + "; ".join(f"{n} {a} ({w})" for n, a, w in upcoming) + ".")
    return "\n".join(lines)
