from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pacewise.domain.prescription import (
    HARD_MAX_DEG,
    Exercise,
    check,
    default_prescription,
    problems,
)


def plan_dict() -> dict[str, Any]:
    return default_prescription().model_dump(mode="json")


def test_default_plan_is_valid_and_covers_six_exercises() -> None:
    p = default_prescription()
    assert problems(p) == []
    assert set(p.exercises) == set(Exercise)


def test_target_above_cap_is_explained_like_a_clinician_would() -> None:
    data = plan_dict()
    data["exercises"]["lateral_flexion"]["target_deg"] = [80]
    prescription, found = check(data)
    assert prescription is None
    assert found == ["lateral_flexion.target_deg 80 is above the cap of 35"]


def test_every_structural_problem_is_listed() -> None:
    data = plan_dict()
    data["exercises"]["reach"]["reps"] = "ten"
    data["exercises"]["march"]["sets"] = 0
    data["exercises"]["breathing"]["speed"] = 3
    _, found = check(data)
    assert "reach.reps 'ten' is not a whole number" in found
    assert "march.sets 0 is below the minimum of 1" in found
    assert "breathing.speed is not a known setting (check the spelling)" in found
    assert len(found) == 3


def test_unknown_exercise_is_named() -> None:
    data = plan_dict()
    data["exercises"]["cartwheel"] = data["exercises"]["reach"]
    _, found = check(data)
    assert any("cartwheel" in f for f in found)


def test_caps_cannot_exceed_the_hard_limits() -> None:
    data = plan_dict()
    data["exercises"]["lateral_flexion"]["caps"]["max_deg"] = 60
    data["exercises"]["reach"]["caps"]["max_reps"] = 500
    data["session_cap_min"] = 90
    _, found = check(data)
    assert "lateral_flexion.caps.max_deg 60 is above the hard limit of 45 that Pacewise allows" in (
        found
    )
    assert any(f.startswith("reach.caps.max_reps 500") for f in found)
    assert any(f.startswith("session_cap_min 90") for f in found)


def test_reps_times_sets_within_rep_cap() -> None:
    data = plan_dict()
    data["exercises"]["sit_to_stand"].update(reps=10, sets=3)
    _, found = check(data)
    assert "sit_to_stand.reps 10 × sets 3 = 30 is above the cap of 24" in found


def test_plan_must_fit_the_session_cap() -> None:
    data = plan_dict()
    data["session_cap_min"] = 5
    _, found = check(data)
    assert any("above session_cap_min 5" in f for f in found)


def test_sit_to_stand_has_no_seated_variant() -> None:
    data = plan_dict()
    data["exercises"]["sit_to_stand"]["position"] = "seated"
    _, found = check(data)
    assert found == ["sit_to_stand.position cannot be seated: the movement is standing up"]


def test_a_stored_document_is_accepted_as_input() -> None:
    doc = {"revision": 3, "prescription": plan_dict()}
    prescription, found = check(doc)
    assert prescription is not None and found == []


angled = st.sampled_from([Exercise.reach, Exercise.lateral_flexion, Exercise.forward_flexion])


@given(angled, st.floats(min_value=1, max_value=120, allow_nan=False), st.data())
def test_any_target_above_its_cap_is_reported(
    exercise: Exercise, target: float, data: st.DataObject
) -> None:
    cap = data.draw(st.floats(min_value=5, max_value=HARD_MAX_DEG[exercise]))
    plan = plan_dict()
    plan["exercises"][exercise.value]["target_deg"] = [target]
    plan["exercises"][exercise.value]["caps"]["max_deg"] = cap
    _, found = check(plan)
    message = f"{exercise.value}.target_deg {target:g} is above the cap of {cap:g}"
    assert (message in found) is (target > cap)
    if target <= cap:
        assert found == []


@given(st.integers(min_value=1, max_value=40), st.integers(min_value=1, max_value=4))
def test_rep_plans_within_caps_validate(reps: int, sets: int) -> None:
    plan = plan_dict()
    plan["exercises"]["reach"].update(reps=reps, sets=sets, rest_s=0)
    plan["exercises"]["reach"]["caps"].update(max_reps=200, max_minutes=30)
    plan["session_cap_min"] = 60
    _, found = check(plan)
    assert found == []
