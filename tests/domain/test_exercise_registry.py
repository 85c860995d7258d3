"""One registry holds each exercise's facts; nothing else in the code names an exercise.

Adding an exercise means one `Exercise` member, one registry entry and its level files. The
static check below is what makes that true: a module that named an exercise itself would need
editing for the next one.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from pacewise.domain.exercises import REGISTRY, Exercise, Unit, facts, session_order
from pacewise.domain.prescription import ANGLED, CADENCE_RANGE, UNIT, default_prescription, problems
from pacewise.runtime.launcher import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "scripts" / "pacewise"
#: Where exercises may be named: the registry, each exercise's own level files, the motion
#: analyser's own signal names, and generated sample or benchmark data.
ALLOWED = (
    "domain/exercises.py",
    "levels/",
    "motion/",
    "clinic/sample_data.py",
    "bench/",
)
IDS = {e.value for e in Exercise}


def test_every_exercise_has_one_entry_with_a_level_scene() -> None:
    assert set(REGISTRY) == set(Exercise)
    for exercise, entry in REGISTRY.items():
        assert entry.id is exercise
        assert (PROJECT_ROOT / entry.default_scene.removeprefix("res://")).is_file()
        assert entry.counted == ("reps" if entry.unit is Unit.reps else "seconds")
        assert (entry.cadence_range is not None) == (entry.unit is Unit.seconds)
        assert entry.angled == (entry.hard_max_deg is not None)


def test_the_plan_reads_its_facts_from_the_registry() -> None:
    assert {e for e in Exercise if facts(e).angled} == ANGLED
    assert all(UNIT[e] is facts(e).unit for e in Exercise)
    assert {e: f.cadence_range for e, f in REGISTRY.items() if f.cadence_range} == CADENCE_RANGE
    plan = default_prescription()
    assert set(plan.exercises) == set(Exercise) and problems(plan) == []
    assert session_order()[-1] is Exercise.breathing  # the cool-down comes last


def _named_exercises(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in IDS:
            found.append(f"{path.name}:{node.lineno} {node.value!r}")
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in IDS
            and isinstance(node.value, ast.Name)
            and node.value.id == "Exercise"
        ):
            found.append(f"{path.name}:{node.lineno} Exercise.{node.attr}")
    return found


def test_no_module_outside_the_registry_names_an_exercise() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith(ALLOWED):
            continue
        offenders += _named_exercises(path)
    assert offenders == []


def test_the_check_finds_a_module_that_names_an_exercise(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text("from x import Exercise\nA = Exercise.march\nB = 'reach'\n")
    assert _named_exercises(planted) == ["planted.py:2 Exercise.march", "planted.py:3 'reach'"]


@pytest.mark.parametrize("exercise", list(Exercise))
def test_each_level_scene_plays_the_behaviour_of_its_exercise(exercise: Exercise) -> None:
    scene = PROJECT_ROOT / facts(exercise).default_scene.removeprefix("res://")
    script = re.search(r'script_path = "res://(.+?)"', scene.read_text()).group(1)  # type: ignore[union-attr]
    assert f'exercise = "{exercise.value}"' in (PROJECT_ROOT / script).read_text()
