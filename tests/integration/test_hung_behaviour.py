"""A level behaviour that loops forever cannot block the session or the stop: real Godot."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pacewise.domain.session import LevelEnd
from pacewise.runtime.launcher import PROJECT_ROOT
from pacewise.store.store import Store

LOOPS = """
from pacewise.levels.api import Behaviour


class Spins(Behaviour):
    exercise = "reach"

    def on_frame(self, frame):
        self.t0 = getattr(self, "t0", frame.t)
        if frame.t - self.t0 > 2.0:
            while True:
                pass
"""


@pytest.fixture
def looping_level() -> Iterator[str]:
    folder = PROJECT_ROOT / "scenes" / "levels" / "examples" / ".hang-test"
    folder.mkdir(exist_ok=True)
    (folder / ".gdignore").touch()
    (folder / "spins.py").write_text(LOOPS)
    (folder / "spins.tscn").write_text(
        "[gd_scene load_steps=2 format=3]\n\n"
        '[ext_resource type="Script" path="res://addons/pacewise/behaviour/pw_py_behaviour.gd" '
        'id="1_beh"]\n\n'
        '[node name="Spins" type="Node3D"]\n\n'
        '[node name="Behaviour" type="Node3D" parent="."]\n'
        'script = ExtResource("1_beh")\n'
        'script_path = "res://scenes/levels/examples/.hang-test/spins.py"\n'
        "parameters = {}\n"
    )
    yield "res://scenes/levels/examples/.hang-test/spins.tscn"
    shutil.rmtree(folder, ignore_errors=True)


def test_stop_still_pauses_when_a_behaviour_loops_forever(
    godot: str, tmp_path: Path, looping_level: str
) -> None:
    data = tmp_path / "demo"
    env = os.environ | {"GODOT": godot, "PACEWISE_HOME": str(tmp_path / "patient")}
    # The level starts about 6 s in; its behaviour hangs 2 s later; stop comes 1 s after that.
    out = subprocess.run(
        [sys.executable, "-m", "pacewise.cli.main", "demo", "--headless", "--json",
         "--levels", "reach,breathing", "--level-scene", f"reach={looping_level}",
         "--stop-at", "9.5", "--data-dir", str(data)],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    summary = json.loads(out.stdout)
    [error] = summary["behaviour_errors"]
    assert error["script"] == "spins.py" and error["line"] in (11, 12)
    assert "budget" in error["error"] and "spins.py" in error["traceback"]
    [record] = Store.open(data).sessions()
    assert record.levels[0].ended is LevelEnd.not_measured
    [pause] = record.pauses
    assert pause.source == "stop" and 9.4 <= pause.t_s <= 9.7  # honoured at once
