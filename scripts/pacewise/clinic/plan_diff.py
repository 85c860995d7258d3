"""What a plan change means, in the clinician's words: the settings that differ, and the quota.

Used twice: the editor's preview before saving, and the history's diff between versions.
The quota line replays the pacing engine with both plans on the same history, so the
physiotherapist sees the effect ("quota unchanged") and not only the cause.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from pacewise.clinic.plan_form import FIELDS, GROUPS, values_of
from pacewise.domain.pacing import plan_all
from pacewise.domain.pain import PainEntry
from pacewise.domain.prescription import Exercise, Prescription
from pacewise.domain.session import SessionRecord


class Change(BaseModel):
    model_config = ConfigDict(frozen=True)

    group: str
    label: str
    before: str
    after: str

    def sentence(self) -> str:
        return f"{self.group} {self.label.lower()}: {self.before} → {self.after}"


class QuotaChange(BaseModel):
    model_config = ConfigDict(frozen=True)

    exercise: str
    before: str
    after: str
    reason: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _shown(key: str, text: str) -> str:
    f = FIELDS[key]
    if f.kind == "bool":
        return "yes" if text == "on" else "no"
    if text == "":
        return "—"
    if f.kind == "angles":
        return ", ".join(f"{part.strip()}°" for part in text.split(","))
    unit = f.unit
    if unit in ("", "×", "°"):
        return f"{text}{unit}"
    return f"{text} {unit}"


def changes(old: Prescription, new: Prescription) -> list[Change]:
    before, after = values_of(old), values_of(new)
    out = []
    for group in GROUPS:
        for f in group.fields:
            if before[f.key] != after[f.key]:
                out.append(
                    Change(
                        group=group.title,
                        label=f.label,
                        before=_shown(f.key, before[f.key]),
                        after=_shown(f.key, after[f.key]),
                    )
                )
    return out


def _amount(quota: int, unit: str) -> str:
    return "not in the plan" if quota == 0 else f"{quota} {unit}"


def quota_changes(
    old: Prescription,
    new: Prescription,
    sessions: Sequence[SessionRecord],
    pain: Sequence[PainEntry],
    now: datetime,
) -> list[QuotaChange]:
    """Today's quota per exercise under the old and the new plan."""
    then = plan_all(old, sessions, pain, now)
    next_ = plan_all(new, sessions, pain, now)
    out = []
    for exercise in Exercise:
        a, b = then[exercise].today, next_[exercise].today
        if a.quota == 0 and b.quota == 0:
            continue
        out.append(
            QuotaChange(
                exercise=exercise.value.replace("_", " "),
                before=_amount(a.quota, a.unit.value),
                after=_amount(b.quota, b.unit.value),
                reason=b.reason,
            )
        )
    return out


def summary(found: Sequence[Change], quotas: Sequence[QuotaChange]) -> str:
    """One line: 'Reach cap: angle: 60° → 65°; quota unchanged'."""
    if not found:
        return "no change"
    parts = [c.sentence() for c in found]
    moved = [q for q in quotas if q.changed]
    if moved:
        parts += [f"{q.exercise} quota {q.before} → {q.after}" for q in moved]
    else:
        parts.append("quota unchanged")
    return "; ".join(parts)
