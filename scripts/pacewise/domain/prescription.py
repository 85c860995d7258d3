"""The physiotherapist's plan: which exercises, how much, how fast, and the caps around it.

Structure is checked by pydantic; the clinical checks (targets within caps, caps within the
hard limits Pacewise allows, the plan fitting the session cap) are in `problems`, and every
message names the setting the way it appears in the plan file.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pacewise.domain.exercises import REGISTRY, facts

# Re-exported: the plan's own vocabulary, defined once in the registry.
from pacewise.domain.exercises import Exercise as Exercise
from pacewise.domain.exercises import Position as Position
from pacewise.domain.exercises import Unit as Unit
from pacewise.domain.messages import sentences
from pacewise.domain.pain import AwareDatetime
from pacewise.domain.safety import SafetyThresholds

PRESCRIPTION_FORMAT: Literal[1] = 1


# Each exercise's facts live in the registry; these views of it keep the plan's checks short.
UNIT: dict[Exercise, Unit] = {e: f.unit for e, f in REGISTRY.items()}
ANGLED = frozenset(e for e, f in REGISTRY.items() if f.angled)
STANDING_ONLY = frozenset(e for e, f in REGISTRY.items() if Position.seated not in f.postures)
HARD_MAX_DEG: dict[Exercise, float] = {
    e: f.hard_max_deg for e, f in REGISTRY.items() if f.hard_max_deg is not None
}
CADENCE_RANGE: dict[Exercise, tuple[float, float]] = {
    e: f.cadence_range for e, f in REGISTRY.items() if f.cadence_range is not None
}
#: Limits no plan may go past, whatever the caps say (see docs/clinical.md for the reasons).
HARD_MAX_REPS = 200
HARD_MAX_MINUTES = 30.0
HARD_SESSION_CAP_MIN = 60.0


class Caps(BaseModel):
    """What the patient cannot exceed, whatever pacing or the game would otherwise ask."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    max_deg: float | None = Field(default=None, gt=0)
    max_reps: int | None = Field(default=None, ge=1)
    max_minutes: float = Field(gt=0)


class ExercisePlan(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    enabled: bool = True
    position: Position = Position.standing
    target_deg: list[float] = Field(default_factory=list)
    reps: int | None = Field(default=None, ge=1, le=100)
    duration_s: int | None = Field(default=None, ge=10, le=1800)
    sets: int = Field(default=1, ge=1, le=10)
    rest_s: float = Field(default=30.0, ge=0, le=600)
    tempo_s: float | None = Field(default=None, ge=1.0, le=15.0)
    cadence_per_min: float | None = Field(default=None, gt=0)
    feedback_gain: float = Field(default=1.0, ge=0.5, le=1.5)
    caps: Caps


class PacingSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    baseline_sessions: int = Field(default=3, ge=1, le=6)
    start_fraction: float = Field(default=0.8, ge=0.5, le=1.0)
    step_fraction: float = Field(default=0.10, ge=0.05, le=0.20)
    sessions_per_step: int = Field(default=2, ge=1, le=7)
    flares_to_step_back: int = Field(default=2, ge=1, le=5)


class Prescription(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    format: Literal[1] = PRESCRIPTION_FORMAT
    exercises: dict[Exercise, ExercisePlan]
    session_cap_min: float = Field(default=20.0, gt=0)
    sessions_per_week: int = Field(default=5, ge=1, le=14)
    pacing: PacingSettings = PacingSettings()
    safety: SafetyThresholds = SafetyThresholds()

    def plan(self, exercise: Exercise) -> ExercisePlan | None:
        plan = self.exercises.get(exercise)
        return plan if plan is not None and plan.enabled else None


def planned_amount(exercise: Exercise, plan: ExercisePlan) -> int:
    """What one session of the plan asks for, in the exercise's unit (reps or seconds)."""
    if UNIT[exercise] is Unit.reps:
        return (plan.reps or 0) * plan.sets
    return (plan.duration_s or 0) * plan.sets


def cap_amount(exercise: Exercise, plan: ExercisePlan) -> int:
    """The cap in the exercise's unit: max reps, or max minutes as seconds."""
    if UNIT[exercise] is Unit.reps:
        return plan.caps.max_reps or HARD_MAX_REPS
    return round(plan.caps.max_minutes * 60)


def estimated_minutes(exercise: Exercise, plan: ExercisePlan) -> float:
    if UNIT[exercise] is Unit.reps:
        work = (plan.reps or 0) * plan.sets * (plan.tempo_s or 3.0)
    else:
        work = (plan.duration_s or 0) * plan.sets
    return (work + (plan.sets - 1) * plan.rest_s) / 60


def _num(value: float) -> str:
    return f"{value:g}"


def _exercise_problems(exercise: Exercise, plan: ExercisePlan) -> list[str]:
    name = exercise.value
    out: list[str] = []
    caps = plan.caps
    if exercise in ANGLED:
        hard = HARD_MAX_DEG[exercise]
        if not plan.target_deg:
            out.append(f"{name}.target_deg is missing: give at least one target angle")
        if caps.max_deg is None:
            out.append(f"{name}.caps.max_deg is missing: angled exercises need an angle cap")
        elif caps.max_deg > hard:
            out.append(
                f"{name}.caps.max_deg {_num(caps.max_deg)} is above the hard limit of "
                f"{_num(hard)} that Pacewise allows"
            )
        for angle in plan.target_deg:
            if angle <= 0:
                out.append(f"{name}.target_deg {_num(angle)} must be above 0")
            elif caps.max_deg is not None and angle > caps.max_deg:
                out.append(
                    f"{name}.target_deg {_num(angle)} is above the cap of {_num(caps.max_deg)}"
                )
    else:
        if plan.target_deg:
            out.append(f"{name}.target_deg is set, but {name} has no target angle")
        if caps.max_deg is not None:
            out.append(f"{name}.caps.max_deg is set, but {name} has no target angle")
    if not facts(exercise).feedback_gain and plan.feedback_gain != 1.0:
        out.append(f"{name}.feedback_gain does not apply to {name}; leave it at 1.0")
    if exercise in STANDING_ONLY and plan.position is Position.seated:
        out.append(f"{name}.position cannot be seated: the movement is standing up")

    if UNIT[exercise] is Unit.reps:
        if plan.reps is None:
            out.append(f"{name}.reps is missing")
        if plan.duration_s is not None:
            out.append(f"{name}.duration_s is set, but {name} is counted in repetitions")
        if caps.max_reps is None:
            out.append(f"{name}.caps.max_reps is missing")
        elif caps.max_reps > HARD_MAX_REPS:
            out.append(
                f"{name}.caps.max_reps {caps.max_reps} is above the hard limit of "
                f"{HARD_MAX_REPS} that Pacewise allows"
            )
        elif plan.reps is not None and plan.reps * plan.sets > caps.max_reps:
            out.append(
                f"{name}.reps {plan.reps} × sets {plan.sets} = {plan.reps * plan.sets} is above "
                f"the cap of {caps.max_reps}"
            )
    else:
        if plan.duration_s is None:
            out.append(f"{name}.duration_s is missing")
        if plan.reps is not None:
            out.append(f"{name}.reps is set, but {name} is counted in seconds")
        if caps.max_reps is not None:
            out.append(f"{name}.caps.max_reps is set, but {name} is counted in seconds")
        low, high = CADENCE_RANGE[exercise]
        per = facts(exercise).cadence_of or "beats"
        if plan.cadence_per_min is None:
            out.append(f"{name}.cadence_per_min is missing ({per} per minute)")
        elif not low <= plan.cadence_per_min <= high:
            out.append(
                f"{name}.cadence_per_min {_num(plan.cadence_per_min)} is outside "
                f"{_num(low)}–{_num(high)} {per} per minute"
            )
    if caps.max_minutes > HARD_MAX_MINUTES:
        out.append(
            f"{name}.caps.max_minutes {_num(caps.max_minutes)} is above the hard limit of "
            f"{_num(HARD_MAX_MINUTES)} that Pacewise allows"
        )
    minutes = estimated_minutes(exercise, plan)
    if minutes > caps.max_minutes:
        out.append(
            f"{name} takes about {minutes:.1f} min as planned, above the cap of "
            f"{_num(caps.max_minutes)} min"
        )
    return out


def problems(prescription: Prescription) -> list[str]:
    """Every clinical problem with a structurally valid plan (empty when it is safe to use)."""
    out: list[str] = []
    for exercise, plan in prescription.exercises.items():
        out.extend(_exercise_problems(exercise, plan))
    if prescription.session_cap_min > HARD_SESSION_CAP_MIN:
        out.append(
            f"session_cap_min {_num(prescription.session_cap_min)} is above the hard limit of "
            f"{_num(HARD_SESSION_CAP_MIN)} that Pacewise allows"
        )
    enabled = [(e, p) for e, p in prescription.exercises.items() if p.enabled]
    if not enabled:
        out.append("exercises: no exercise is enabled")
    total = sum(estimated_minutes(e, p) + p.rest_s / 60 for e, p in enabled)
    if enabled and total > prescription.session_cap_min:
        out.append(
            f"the enabled exercises take about {total:.1f} min with rests, above "
            f"session_cap_min {_num(prescription.session_cap_min)}"
        )
    return out


def check(data: Any) -> tuple[Prescription | None, list[str]]:
    """Parse a plan (a dict, as read from JSON) and list every problem, structural or clinical."""
    if isinstance(data, dict) and isinstance(data.get("prescription"), dict):
        data = data["prescription"]  # a whole stored document, as `plan show --json` prints
    try:
        prescription = Prescription.model_validate(data)
    except ValidationError as error:
        return None, sentences(error, drop_prefix=("exercises",))
    found = problems(prescription)
    return (prescription if not found else None), found


def default_prescription() -> Prescription:
    """A gentle starting plan for a new patient, from each exercise's registry entry."""
    exercises = {}
    for exercise, entry in REGISTRY.items():
        d = entry.default_plan
        exercises[exercise] = ExercisePlan(
            position=d.position,
            target_deg=list(d.target_deg),
            reps=d.reps,
            duration_s=d.duration_s,
            tempo_s=d.tempo_s,
            cadence_per_min=d.cadence_per_min,
            caps=Caps(max_deg=d.max_deg, max_reps=d.max_reps, max_minutes=d.max_minutes),
        )
    return Prescription(exercises=exercises)


class PrescriptionVersion(BaseModel):
    """One saved revision of the plan, with who set it and when (revision 0 = the default)."""

    model_config = ConfigDict(frozen=True)

    revision: int = Field(ge=0)
    by: str
    at: AwareDatetime | None
    note: str | None = None
    prescription: Prescription
