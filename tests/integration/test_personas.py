"""Each shipped persona gives the outcome docs/personas.md documents: real CLI, real Godot."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pacewise.domain.session import LevelEnd, SessionPath
from pacewise.runtime.persona import PERSONAS_DIR, load_persona
from pacewise.store.store import Store

LEVELS = "forward_flexion,breathing"


def demo(data: Path, godot: str, persona: str) -> dict[str, Any]:
    env = os.environ | {"GODOT": godot, "PACEWISE_HOME": str(data.parent / "patient")}
    out = subprocess.run(
        [sys.executable, "-m", "pacewise.cli.main", "demo", "--headless", "--json",
         "--levels", LEVELS, "--data-dir", str(data), "--persona", persona],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    summary: dict[str, Any] = json.loads(out.stdout)
    assert summary["godot_problems"] == [] and summary["op_failures"] == []
    return summary


def test_every_shipped_persona_is_valid_and_documented() -> None:
    doc = (PERSONAS_DIR.parent / "docs" / "personas.md").read_text()
    files = sorted(PERSONAS_DIR.glob("*.json"))
    assert len(files) >= 4
    for path in files:
        load_persona(path)
        assert f"`{path.name}`" in doc, path.name


def test_flare_up_gets_a_gentle_session(godot: str, tmp_path: Path) -> None:
    summary = demo(tmp_path / "d", godot, "flare_up")
    assert summary["path"] == "gentle"
    assert [lv["name"] for lv in summary["levels"]] == ["breathing"]
    assert summary["pauses"][0]["source"] == "flare_up"


def test_pain_rise_pauses_and_finishes(godot: str, tmp_path: Path) -> None:
    summary = demo(tmp_path / "d", godot, "pain_rise")
    sources = [p["source"] for p in summary["pauses"]]
    assert sources == ["pain_rise"]
    assert summary["pauses"][0]["outcome"] == "session ended"
    assert [lv["name"] for lv in summary["levels"]] == ["forward_flexion"]
    assert summary["pain_after"] == 7


def test_fearful_is_acknowledged_and_sees_expected_against_felt(godot: str, tmp_path: Path) -> None:
    data = tmp_path / "d"
    summary = demo(data, godot, "fearful")
    assert [p["source"] for p in summary["pauses"]] == ["expected_harm"]
    assert summary["pauses"][0]["outcome"] == "tried gently"
    [record] = Store.open(data).sessions()
    [check] = record.exposures
    assert (check.expected_pain, check.expected_harm, check.felt_pain, check.felt_harm) == (
        8,
        9,
        3,
        1,
    )


@pytest.mark.parametrize("persona", ["stops_every_level"])
def test_stopping_every_level_keeps_every_level_out_of_the_baseline(
    godot: str, tmp_path: Path, persona: str
) -> None:
    data = tmp_path / "d"
    summary = demo(data, godot, persona)
    [record] = Store.open(data).sessions()
    assert [lv.ended for lv in record.levels] == [LevelEnd.stopped, LevelEnd.stopped]
    assert [p.outcome for p in record.pauses] == ["carried on", "carried on"]
    assert record.path is SessionPath.full and summary["stopped"] is None
    assert all(not lv.measured for lv in record.levels)
