"""Today's levels: the prescription's exercises, in session order, with the pacing quotas.

Breathing comes last as the cool-down. Targets are clipped to the prescription's caps here,
once, so no level can place one beyond them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pacewise.domain.exercises import session_order
from pacewise.domain.pacing import plan_all
from pacewise.domain.prescription import HARD_MAX_DEG, Exercise, Prescription, Unit
from pacewise.levels.api import LevelPlan
from pacewise.store.store import Store

ORDER = session_order()
DEFAULT_MAX_DEG = 90.0


def level_plans(
    prescription: Prescription,
    quotas: dict[Exercise, tuple[int, str, str]],
    only: Sequence[str] | None = None,
) -> list[LevelPlan]:
    """LevelPlans for the enabled exercises with a quota; `quotas` = (quota, unit, reason)."""
    out: list[LevelPlan] = []
    for exercise in ORDER:
        plan = prescription.plan(exercise)
        if plan is None or (only and exercise.value not in only):
            continue
        quota, unit, reason = quotas[exercise]
        if quota <= 0:
            continue
        cap = plan.caps.max_deg or HARD_MAX_DEG.get(exercise, DEFAULT_MAX_DEG)
        out.append(
            LevelPlan(
                exercise=exercise.value,
                unit="seconds" if unit == Unit.seconds.value else "reps",
                quota=quota,
                target_deg=tuple(min(a, cap) for a in plan.target_deg),
                max_deg=cap,
                position="seated" if plan.position.value == "seated" else "standing",
                tempo_s=plan.tempo_s,
                cadence_per_min=plan.cadence_per_min,
                feedback_gain=plan.feedback_gain,
                reason=reason,
            )
        )
    return out


def todays_levels(
    store: Store, now: datetime, only: Sequence[str] | None = None
) -> list[LevelPlan]:
    """Ask the pacing engine for today's quota of every exercise in the patient's plan."""
    prescription = store.prescription().prescription
    decided = plan_all(prescription, store.sessions(), store.pain_entries(), now)
    quotas = {
        ex: (plan.today.quota, plan.today.unit.value, plan.today.reason)
        for ex, plan in decided.items()
    }
    return level_plans(prescription, quotas, only)
