"""The exercise registry: every fact about each exercise, in one entry.

The prescription, the pacing engine, today's plan, the session, motion analysis, the dashboard,
the reports and FHIR all read an exercise's facts from here, so adding an exercise means one
`Exercise` member, one `ExerciseFacts` entry and its level files (a scene and a behaviour); a test
checks that no other module names an exercise. Ids are the strings stored in plan and session
files, so they never change once released.
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Exercise(StrEnum):
    """Exercise ids, as they appear in plan and session files."""

    reach = "reach"
    lateral_flexion = "lateral_flexion"
    forward_flexion = "forward_flexion"
    sit_to_stand = "sit_to_stand"
    march = "march"
    breathing = "breathing"


class Unit(StrEnum):
    reps = "reps"
    seconds = "seconds"


class Position(StrEnum):
    seated = "seated"
    standing = "standing"


#: What a level may report as progress; the session keeps only the fields its entry names.
ProgressField = Literal["reps", "seconds", "best_deg", "steps", "breaths"]
#: The motion analyser's signals (motion.signals.Exercise values) an exercise can be counted by.
MotionSignal = Literal[
    "forward_flexion", "lateral_flexion", "trunk_rotation", "sit_to_stand", "march", "breathing"
]


class DefaultPlan(BaseModel):
    """A gentle first plan for a new patient (docs/clinical.md gives the reasons)."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    position: Position = Position.standing
    target_deg: tuple[float, ...] = ()
    reps: int | None = None
    duration_s: int | None = None
    tempo_s: float | None = None
    cadence_per_min: float | None = None
    max_deg: float | None = None
    max_reps: int | None = None
    max_minutes: float


class ExerciseFacts(BaseModel):
    """One exercise: how it is dosed, measured, shown and coded."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    id: Exercise
    #: How people read it on the panel, the dashboard and in reports.
    label: str = Field(min_length=1, max_length=40)
    #: Pacing counts repetitions for movements and seconds for the continuous activities.
    unit: Unit
    #: Aimed at trunk angles (targets in degrees, an angle cap, best angle reported).
    angled: bool = False
    postures: frozenset[Position] = frozenset({Position.seated, Position.standing})
    #: The limit no plan may go past, whatever its caps say (angled exercises only).
    hard_max_deg: float | None = None
    #: Allowed cadence (steps or breaths per minute) for the timed activities.
    cadence_range: tuple[float, float] | None = None
    #: What one beat of the cadence is called ("steps", "breaths").
    cadence_of: str | None = None
    #: The motion analyser's signal that counts it.
    motion_signal: MotionSignal
    #: The level scene played when the patient's plan names no other.
    default_scene: str = Field(pattern=r"^res://.+\.tscn$")
    #: Progress fields its level reports; the first one is counted against the quota.
    progress: tuple[ProgressField, ...]
    #: Graded exposure to a feared movement: expected pain and harm asked before, felt after.
    graded_exposure: bool = False
    #: The plan's visual-feedback gain applies (a gauge that shows the bend scaled).
    feedback_gain: bool = False
    #: Belongs to a gentle session (flare-up path): calm, low-load, no feared movement.
    gentle: bool = False
    #: Where it comes in a session (the cool-down comes last).
    order: int
    default_plan: DefaultPlan

    @property
    def counted(self) -> ProgressField:
        """The progress field counted against the quota."""
        return self.progress[0]

    @property
    def code(self) -> str:
        """A code without spaces for exports (FHIR, CSV)."""
        return self.id.value


def _scene(exercise: Exercise) -> str:
    return f"res://scenes/levels/{exercise.value}.tscn"


_ENTRIES = (
    ExerciseFacts(
        id=Exercise.reach,
        label="reaching",
        unit=Unit.reps,
        angled=True,
        hard_max_deg=70.0,
        motion_signal="trunk_rotation",
        default_scene=_scene(Exercise.reach),
        progress=("reps", "best_deg"),
        order=10,
        default_plan=DefaultPlan(
            target_deg=(15.0, 30.0, 45.0),
            reps=10,
            tempo_s=3.0,
            max_deg=60.0,
            max_reps=30,
            max_minutes=6.0,
        ),
    ),
    ExerciseFacts(
        id=Exercise.lateral_flexion,
        label="side bends",
        unit=Unit.reps,
        angled=True,
        hard_max_deg=45.0,
        motion_signal="lateral_flexion",
        default_scene=_scene(Exercise.lateral_flexion),
        progress=("reps", "best_deg"),
        order=20,
        default_plan=DefaultPlan(
            target_deg=(15.0,), reps=8, tempo_s=4.0, max_deg=35.0, max_reps=24, max_minutes=5.0
        ),
    ),
    ExerciseFacts(
        id=Exercise.forward_flexion,
        label="forward bends",
        unit=Unit.reps,
        angled=True,
        hard_max_deg=90.0,
        motion_signal="forward_flexion",
        default_scene=_scene(Exercise.forward_flexion),
        progress=("reps", "best_deg"),
        graded_exposure=True,
        feedback_gain=True,
        order=30,
        default_plan=DefaultPlan(
            target_deg=(20.0,), reps=8, tempo_s=4.0, max_deg=60.0, max_reps=24, max_minutes=5.0
        ),
    ),
    ExerciseFacts(
        id=Exercise.sit_to_stand,
        label="sit to stand",
        unit=Unit.reps,
        postures=frozenset({Position.standing}),
        motion_signal="sit_to_stand",
        default_scene=_scene(Exercise.sit_to_stand),
        progress=("reps",),
        order=40,
        default_plan=DefaultPlan(reps=8, tempo_s=4.0, max_reps=24, max_minutes=5.0),
    ),
    ExerciseFacts(
        id=Exercise.march,
        label="marching",
        unit=Unit.seconds,
        cadence_range=(40.0, 140.0),
        cadence_of="steps",
        motion_signal="march",
        default_scene=_scene(Exercise.march),
        progress=("seconds", "steps"),
        order=50,
        default_plan=DefaultPlan(duration_s=90, cadence_per_min=90.0, max_minutes=5.0),
    ),
    ExerciseFacts(
        id=Exercise.breathing,
        label="calm breathing",
        unit=Unit.seconds,
        cadence_range=(3.0, 12.0),
        cadence_of="breaths",
        motion_signal="breathing",
        default_scene=_scene(Exercise.breathing),
        progress=("seconds", "breaths"),
        gentle=True,
        order=90,
        default_plan=DefaultPlan(
            position=Position.seated, duration_s=120, cadence_per_min=6.0, max_minutes=6.0
        ),
    ),
)

#: Every exercise's facts, by id.
REGISTRY: MappingProxyType[Exercise, ExerciseFacts] = MappingProxyType(
    {entry.id: entry for entry in _ENTRIES}
)


def facts(exercise: Exercise | str) -> ExerciseFacts:
    """The entry of `exercise` (an id string is accepted); KeyError names the known ids."""
    try:
        return REGISTRY[Exercise(exercise)]
    except ValueError:
        known = ", ".join(e.value for e in Exercise)
        raise KeyError(f"unknown exercise {exercise!r}; known: {known}") from None


def session_order() -> tuple[Exercise, ...]:
    """Exercises in the order a session plays them (the cool-down last)."""
    return tuple(e.id for e in sorted(_ENTRIES, key=lambda entry: entry.order))


def by_label(label: str) -> Exercise | None:
    """The exercise a person-facing label names, if any."""
    return next((e.id for e in _ENTRIES if e.label == label), None)
