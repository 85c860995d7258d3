"""`pacewise demo` end to end: real CLI, real Godot headless, real bridge, real store."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pacewise.motion.patient import SyntheticPatient
from pacewise.store.store import Store

KEYS = ("frames", "levels", "pain_before", "pain_after", "duration_s", "godot_version")


def demo(home: Path, godot: str, seed: int, patient: Path | None = None) -> dict[str, Any]:
    env = os.environ | {"PACEWISE_HOME": str(patient or home.parent / "patient"), "GODOT": godot}
    out = subprocess.run(
        [sys.executable, "-m", "pacewise.cli.main", "demo", "--headless", "--json",
         "--seed", str(seed), "--levels", "reach", "--data-dir", str(home)],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr + out.stdout
    summary: dict[str, Any] = json.loads(out.stdout)
    return summary


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory, godot: str) -> tuple[Path, dict[str, Any]]:
    home = tmp_path_factory.mktemp("home") / "demo"
    return home, demo(home, godot, seed=3)


def test_summary_comes_from_godot_and_the_session(played: tuple[Path, dict[str, Any]]) -> None:
    _home, summary = played
    assert summary["godot_version"].startswith("4.")
    assert summary["rig"] == "scripted"
    assert summary["godot_problems"] == []
    assert summary["godot_exit"] == 0
    assert summary["frames"] > 900  # more than ten seconds at 90 Hz
    assert summary["duration_s"] == pytest.approx((summary["frames"] - 1) / 90, abs=1e-3)
    [reach] = summary["levels"]
    assert reach["name"] == "reach"
    assert reach["quota"] > 0
    assert reach["reps"] == reach["quota"]
    assert summary["op_failures"] == []
    patient = SyntheticPatient(3)
    assert summary["pain_before"] == patient.pain_answer("before")
    assert summary["pain_after"] == patient.pain_answer("after")


def test_the_session_is_in_the_store(played: tuple[Path, dict[str, Any]]) -> None:
    home, summary = played
    store = Store.open(home)
    [record] = store.sessions()
    assert record.id == summary["session_id"]
    assert record.frames == summary["frames"]
    assert record.levels[0].reps == record.levels[0].quota > 0
    assert Path(summary["store_path"]).is_file()
    assert stat.S_IMODE(Path(summary["store_path"]).stat().st_mode) == 0o600
    pains = sorted((p.kind.value, p.score) for p in store.pain_entries())
    assert pains == sorted([("before", summary["pain_before"]), ("after", summary["pain_after"])])
    lines = list(store.load_recording(record.id))
    header = json.loads(lines[0])
    assert header["format"] == "pacewise.tracking" and header["version"] == 1
    assert len(lines) == summary["frames"] + 1
    last = json.loads(lines[-1])
    assert last["t"] == pytest.approx(summary["duration_s"], abs=1e-3)


def test_godot_log_has_no_errors(played: tuple[Path, dict[str, Any]]) -> None:
    home, summary = played
    log = (home / "logs" / f"godot-{summary['session_id']}.log").read_text()
    assert "Godot Engine v4." in log
    for bad in ("SCRIPT ERROR", "ERROR:", "USER ERROR"):
        assert bad not in log


def test_same_seed_gives_the_same_session(
    played: tuple[Path, dict[str, Any]], godot: str, tmp_path: Path
) -> None:
    _home, first = played
    again = demo(tmp_path / "again", godot, seed=3)
    assert {k: again[k] for k in KEYS} == {k: first[k] for k in KEYS}
    other = demo(tmp_path / "other", godot, seed=11)
    assert (other["frames"], other["pain_before"]) != (first["frames"], first["pain_before"])


def test_the_demo_never_enters_the_patients_record(godot: str, tmp_path: Path) -> None:
    """The defect: demo sessions and pain scores were saved, unmarked, in the patient's folder."""
    patient = tmp_path / "patient"
    Store.open(patient)  # a patient's folder, as the game makes it
    before = sorted(p.relative_to(patient) for p in patient.rglob("*"))
    env = os.environ | {"PACEWISE_HOME": str(patient), "GODOT": godot}
    out = subprocess.run(
        [sys.executable, "-m", "pacewise.cli.main", "demo", "--headless", "--json",
         "--seed", "2", "--levels", "reach"],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    summary = json.loads(out.stdout)
    assert summary["synthetic"] is True and summary["store_path"] is None
    assert summary["levels"][0]["reps"] > 0
    store = Store.open(patient)
    assert store.sessions() == [] and store.pain_entries() == []
    assert sorted(p.relative_to(patient) for p in patient.rglob("*")) == before


def test_the_demo_refuses_a_data_folder_that_is_not_its_own(tmp_path: Path) -> None:
    patient = tmp_path / "patient"
    Store.open(patient)
    out = subprocess.run(
        [sys.executable, "-m", "pacewise.cli.main", "demo", "--data-dir", str(patient)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert out.returncode == 2
    assert "not a synthetic folder" in out.stderr
    assert not (patient / "SYNTHETIC").exists()
