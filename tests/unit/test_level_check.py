"""`pacewise levels check` catches broken levels and accepts the real ones."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pacewise.domain.prescription import default_prescription
from pacewise.runtime.launcher import PROJECT_ROOT
from pacewise.runtime.level_check import check_levels

REAL = sorted((PROJECT_ROOT / "scenes" / "levels").glob("*.tscn"))


def scene(tmp_path: Path, script: str, params: dict[str, object] | None = None) -> Path:
    body = json.dumps(params or {}, indent=0)
    path = tmp_path / "level.tscn"
    path.write_text(
        "[gd_scene load_steps=2 format=3]\n\n"
        '[ext_resource type="Script" path="res://addons/pacewise/behaviour/pw_py_behaviour.gd"'
        ' id="1_beh"]\n\n'
        '[node name="Level" type="Node3D"]\n\n'
        '[node name="Behaviour" type="Node3D" parent="."]\n'
        'script = ExtResource("1_beh")\n'
        f'script_path = "{script}"\n'
        f"parameters = {body}\n"
    )
    return path


def problems(path: Path, prescription: object = None) -> list[str]:
    [report] = check_levels([path], PROJECT_ROOT, prescription or default_prescription())  # type: ignore[arg-type]
    return report.problems


def test_every_real_level_passes() -> None:
    assert len(REAL) == 6
    reports = check_levels(REAL, PROJECT_ROOT, default_prescription())
    assert [(r.scene.name, r.problems) for r in reports if r.problems] == []
    assert all(r.behaviours for r in reports)


def test_unreachable_target_is_caught(tmp_path: Path) -> None:
    found = problems(scene(tmp_path, "res://scripts/pacewise/levels/reach.py",
                           {"reach_fraction": 1.3}))  # fmt: skip
    assert any("out of reach" in p for p in found), found
    assert problems(scene(tmp_path, "res://scripts/pacewise/levels/reach.py",
                          {"reach_fraction": 0.8})) == []  # fmt: skip


def test_missing_script_is_caught(tmp_path: Path) -> None:
    found = problems(scene(tmp_path, "res://scripts/pacewise/levels/no_such_level.py"))
    assert len(found) == 1 and "does not exist" in found[0]


def test_target_beyond_the_cap_is_caught(tmp_path: Path) -> None:
    level = scene(tmp_path, "res://scripts/pacewise/levels/reach.py", {"angles_deg": [20, 65]})
    found = problems(level)
    assert found == ["Behaviour: angles_deg 65 is above the prescription's cap of 60°"]


def test_unknown_and_mistyped_parameters_are_caught(tmp_path: Path) -> None:
    level = scene(
        tmp_path, "res://scripts/pacewise/levels/reach.py", {"pause_s": "ten", "colour": "blue"}
    )
    found = problems(level)
    assert any("parameter 'pause_s' should be float" in p for p in found), found
    assert any("unknown parameter 'colour'" in p for p in found), found


def test_a_script_without_a_behaviour_is_caught(tmp_path: Path) -> None:
    found = problems(scene(tmp_path, "res://scripts/pacewise/levels/api.py"))
    assert any("exactly one Behaviour subclass" in p for p in found), found


def test_the_command_exits_2_and_names_the_problem(tmp_path: Path) -> None:
    bad = scene(tmp_path, "res://scripts/pacewise/levels/missing.py")
    env = os.environ | {"PACEWISE_HOME": str(tmp_path / "home")}
    out = subprocess.run(
        [sys.executable, "-m", "pacewise.cli.main", "levels", "check", str(bad)],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert out.returncode == 2
    assert "PROBLEM level.tscn" in out.stdout and "missing.py" in out.stdout
    good = subprocess.run(
        [sys.executable, "-m", "pacewise.cli.main", "levels", "check"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert good.returncode == 0, good.stdout + good.stderr
    assert "6 level(s) checked, 0 with problems" in good.stdout


@pytest.mark.parametrize("name", ["reach", "lateral_flexion", "breathing"])
def test_a_level_the_plan_leaves_out_is_reported(tmp_path: Path, name: str) -> None:
    data = default_prescription().model_dump(mode="json")
    data["exercises"][name]["enabled"] = False
    from pacewise.domain.prescription import Prescription

    found = problems(PROJECT_ROOT / "scenes" / "levels" / f"{name}.tscn",
                     Prescription.model_validate(data))  # fmt: skip
    assert any("is not in the prescription" in p for p in found), found


def test_known_engine_shutdown_errors_are_not_problems_but_others_are() -> None:
    from pacewise.runtime.launcher import engine_problems

    log = "\n".join(
        [
            "Godot Engine v4.6.3.stable",
            "ERROR: Attempt to disconnect a nonexistent connection from '<OpenXRSpatialEntity"
            "Extension#123>'.",
            "ERROR: 12 RID allocations of type 'N9OpenXRAPI18InteractionProfileE' were leaked "
            "at exit.",
            "SCRIPT ERROR: Invalid call. Nonexistent function 'x'.",
            '   ERROR: Condition "status < 0" is true.',
            "WARNING: just a warning",
        ]
    )
    assert engine_problems(log) == [
        "SCRIPT ERROR: Invalid call. Nonexistent function 'x'.",
        'ERROR: Condition "status < 0" is true.',
    ]


@pytest.mark.parametrize("key", ["reps", "quota"])
def test_a_parameter_that_would_set_the_dose_is_refused(tmp_path: Path, key: str) -> None:
    level = scene(tmp_path, "res://scripts/pacewise/levels/reach.py", {key: 50})
    found = problems(level)
    assert any(f"parameter {key!r} would set the dose" in p for p in found), found
