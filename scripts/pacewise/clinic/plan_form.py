"""The plan editor's fields: every prescription parameter with its unit, limits and cap.

The form is flat (``reach.caps.max_deg``) and the plan is nested; this module is the one place
that maps between them. Validation is the domain's own `check`, so the editor can never accept
a plan that `pacewise plan set` or the game would refuse, and each message lands next to the
field it names.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pacewise.domain.exercises import facts
from pacewise.domain.prescription import (
    ANGLED,
    CADENCE_RANGE,
    HARD_MAX_DEG,
    HARD_MAX_MINUTES,
    HARD_MAX_REPS,
    HARD_SESSION_CAP_MIN,
    STANDING_ONLY,
    UNIT,
    Exercise,
    Position,
    Prescription,
    Unit,
    check,
)

Kind = Literal["int", "float", "angles", "bool", "position"]


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: Kind
    unit: str = ""
    low: float | None = None
    high: float | None = None
    note: str = ""

    @property
    def limits(self) -> str:
        """What the clinician may enter, in words: shown next to the input."""
        if self.low is None and self.high is None:
            return self.note
        unit = f" {self.unit}" if self.unit and self.unit not in ("%", "°") else self.unit
        span = f"{self.low:g}–{self.high:g}{unit}" if self.low is not None else ""
        if self.low is None and self.high is not None:
            span = f"up to {self.high:g}{unit}"
        return f"{span}; {self.note}" if self.note else span


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    fields: tuple[Field, ...]


def _exercise_fields(exercise: Exercise) -> tuple[Field, ...]:
    e = exercise.value
    out = [Field(f"{e}.enabled", "In the plan", "bool")]
    seated = "standing only" if exercise in STANDING_ONLY else "seated or standing"
    out.append(Field(f"{e}.position", "Position", "position", note=seated))
    if exercise in ANGLED:
        hard = HARD_MAX_DEG[exercise]
        out.append(
            Field(
                f"{e}.target_deg",
                "Target angles",
                "angles",
                "°",
                0,
                hard,
                "comma-separated, each within the angle cap",
            )
        )
    if UNIT[exercise] is Unit.reps:
        out.append(Field(f"{e}.reps", "Repetitions per set", "int", "reps", 1, 100))
    else:
        out.append(Field(f"{e}.duration_s", "Duration per set", "int", "s", 10, 1800))
    out.append(Field(f"{e}.sets", "Sets", "int", "", 1, 10))
    out.append(Field(f"{e}.rest_s", "Rest between sets", "float", "s", 0, 600))
    if UNIT[exercise] is Unit.reps:
        out.append(Field(f"{e}.tempo_s", "Tempo (one repetition)", "float", "s", 1, 15))
    else:
        low, high = CADENCE_RANGE[exercise]
        per = f"{facts(exercise).cadence_of}/min"
        out.append(Field(f"{e}.cadence_per_min", "Cadence", "float", per, low, high))
    if facts(exercise).feedback_gain:
        out.append(
            Field(
                f"{e}.feedback_gain",
                "Visual feedback gain",
                "float",
                "×",
                0.5,
                1.5,
                "1.0 shows the true angle",
            )
        )
    if exercise in ANGLED:
        hard = HARD_MAX_DEG[exercise]
        out.append(Field(f"{e}.caps.max_deg", "Cap: angle", "float", "°", None, hard, "hard limit"))
    if UNIT[exercise] is Unit.reps:
        out.append(
            Field(
                f"{e}.caps.max_reps",
                "Cap: repetitions per session",
                "int",
                "reps",
                1,
                HARD_MAX_REPS,
                "at least reps × sets",
            )
        )
    out.append(
        Field(
            f"{e}.caps.max_minutes",
            "Cap: minutes",
            "float",
            "min",
            None,
            HARD_MAX_MINUTES,
            "hard limit",
        )
    )
    return tuple(out)


GENERAL = Group(
    "session",
    "Sessions",
    (
        Field(
            "session_cap_min",
            "Session length cap",
            "float",
            "min",
            None,
            HARD_SESSION_CAP_MIN,
            "hard limit; exercises and rests must fit",
        ),
        Field("sessions_per_week", "Sessions per week", "int", "", 1, 14),
    ),
)
PACING = Group(
    "pacing",
    "Pacing",
    (
        Field("pacing.baseline_sessions", "Baseline sessions", "int", "", 1, 6),
        Field("pacing.start_fraction", "Start at (share of baseline)", "float", "", 0.5, 1.0),
        Field("pacing.step_fraction", "Step (share of baseline)", "float", "", 0.05, 0.2),
        Field("pacing.sessions_per_step", "Sessions as planned before a step", "int", "", 1, 7),
        Field("pacing.flares_to_step_back", "Flare-ups before a step back", "int", "", 1, 5),
    ),
)
SAFETY = Group(
    "safety",
    "Safety",
    (
        Field("safety.pain_rise_points", "Pause on a pain rise of", "int", "points", 1, 5),
        Field("safety.tracking_lost_s", "Pause when tracking is lost for", "float", "s", 1, 15),
        Field("safety.break_every_min", "Suggest a break every", "float", "min", 5, 30),
    ),
)
EXERCISES = tuple(
    Group(e.value, e.value.replace("_", " ").capitalize(), _exercise_fields(e)) for e in Exercise
)
GROUPS = (GENERAL, *EXERCISES, PACING, SAFETY)
FIELDS = {f.key: f for g in GROUPS for f in g.fields}


def _get(data: Mapping[str, Any], key: str) -> Any:
    value: Any = data
    for part in key.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _set(data: dict[str, Any], key: str, value: Any) -> None:
    parts = key.split(".")
    for part in parts[:-1]:
        data = data.setdefault(part, {})
    data[parts[-1]] = value


def _plan_key(key: str) -> str:
    """Form keys name exercises directly; the plan nests them under `exercises`."""
    first = key.split(".", 1)[0]
    return f"exercises.{key}" if first in Exercise.__members__ else key


def _show(value: Any, kind: Kind) -> str:
    if value is None:
        return ""
    if kind == "bool":
        return "on" if value else ""
    if kind == "angles":
        return ", ".join(f"{v:g}" for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def values_of(prescription: Prescription) -> dict[str, str]:
    """The form's text values for a plan."""
    data = prescription.model_dump(mode="json")
    return {key: _show(_get(data, _plan_key(key)), f.kind) for key, f in FIELDS.items()}


def _parse(text: str, kind: Kind) -> Any:
    text = text.strip()
    if kind == "bool":
        return text == "on"
    if text == "":
        return None
    if kind == "angles":
        return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    return text


def plan_data(base: Prescription, form: Mapping[str, str]) -> dict[str, Any]:
    """The base plan with every field the form carries replaced; pydantic does the typing."""
    data = base.model_dump(mode="json")
    for key, f in FIELDS.items():
        raw = form.get(key, "")
        if f.kind != "bool" and key not in form:
            continue
        value = _parse(raw, f.kind)
        if value is None and f.kind in ("int", "float") and not _optional(key):
            value = ""  # let pydantic name the missing number rather than silently keep it
        _set(data, _plan_key(key), value)
    return data


def _optional(key: str) -> bool:
    return key.rsplit(".", 1)[-1] in {"reps", "duration_s", "tempo_s", "cadence_per_min"} or (
        key.endswith(("max_deg", "max_reps"))
    )


@dataclass(frozen=True)
class Checked:
    prescription: Prescription | None
    field_errors: dict[str, list[str]]
    general_errors: list[str]

    @property
    def ok(self) -> bool:
        return self.prescription is not None


def _field_for(message: str) -> str | None:
    """The form field a message is about: the longest field key it starts with."""
    found = [
        key
        for key in FIELDS
        if message.startswith(key) and message[len(key) : len(key) + 1] in ("", " ", ".", ":")
    ]
    return max(found, key=len) if found else None


def validate(base: Prescription, form: Mapping[str, str]) -> Checked:
    prescription, problems = check(plan_data(base, form))
    fields: dict[str, list[str]] = {}
    general: list[str] = []
    for message in problems:
        key = _field_for(message)
        if key is None:
            general.append(message)
        else:
            fields.setdefault(key, []).append(message)
    return Checked(prescription, fields, general)


def digest(prescription: Prescription) -> str:
    """Identifies exactly the plan that was previewed, so Save stores what was shown."""
    text = json.dumps(prescription.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def position_choices(key: str) -> list[str]:
    exercise = Exercise(key.split(".", 1)[0])
    if exercise in STANDING_ONLY:
        return [Position.standing.value]
    return [p.value for p in Position]
