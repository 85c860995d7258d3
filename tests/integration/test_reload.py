"""Editing a behaviour's .py mid-level reloads it in real Godot: the count and calibration stay,
and what the old code spawned is gone from Godot's tree.

The defect: a reload restarted the level's calibration and count (11 reps against a quota of
10) and left its spawned nodes behind.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pacewise.domain.session import LevelEnd
from pacewise.runtime.game import Options, play_game
from pacewise.runtime.launcher import PROJECT_ROOT, Mode
from pacewise.store import synthetic
from pacewise.store.store import Store

CODE = """
from pathlib import Path
from typing import ClassVar

from pacewise.domain.session import Repetition
from pacewise.levels.api import Behaviour

VERSION = "{version}"
TARGET = "res://addons/pacewise/props/pw_target.tscn"


class Ticker(Behaviour):
    exercise = "reach"
    keep: ClassVar[tuple[str, ...]] = ("count", "next_t", "calibrated_at")

    def on_ready(self):
        self.count = 0
        self.next_t = None
        self.calibrated_at = None
        self.frames = 0
        self.node.spawn(TARGET, name=f"Bird_{{VERSION}}", position=(0.0, 3.0, -3.0))

    def on_frame(self, frame):
        self.frames += 1
        if VERSION == "v2" and self.frames == 3:
            # Frames after the reload: is the old bird gone from Godot's tree? Touching it
            # must fail there, and the new one must be there.
            self.node.child("Bird_v1").set("visible", False)
            self.node.child("Bird_v2").set("visible", True)
        if self.calibrated_at is None:
            self.calibrated_at = frame.t
        if self.next_t is None:
            self.next_t = frame.t + 1.0
        if frame.t >= self.next_t:
            self.count += 1
            self.next_t += 1.0
            self.session.report(reps=self.count)
            self.session.report_rep(Repetition(t_s=frame.t, peak_deg=float(self.count)))
            if VERSION == "v1" and self.count == 3:
                path = Path(__file__)
                path.write_text(path.read_text().replace('VERSION = "v1"', 'VERSION = "v2"'))
                stat = path.stat()
                os.utime(path, (stat.st_atime, stat.st_mtime + 5))
            self.node.say(f"{{VERSION}} {{self.count}} since {{self.calibrated_at:.2f}}")
"""


@pytest.fixture
def level() -> str:
    folder = PROJECT_ROOT / "scenes" / "levels" / "examples" / ".reload-test"
    folder.mkdir(exist_ok=True)
    (folder / ".gdignore").touch()
    script = folder / "ticker.py"
    script.write_text("import os\n" + CODE.format(version="v1"))
    scene = folder / "ticker.tscn"
    scene.write_text(
        "[gd_scene load_steps=2 format=3]\n\n"
        '[ext_resource type="Script" path="res://addons/pacewise/behaviour/pw_py_behaviour.gd" '
        'id="1_beh"]\n\n'
        '[node name="Ticker" type="Node3D"]\n\n'
        '[node name="Behaviour" type="Node3D" parent="."]\n'
        'script = ExtResource("1_beh")\n'
        f'script_path = "res://{script.relative_to(PROJECT_ROOT)}"\n'
        "parameters = {}\n"
    )
    yield f"res://{scene.relative_to(PROJECT_ROOT)}"
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


def test_a_reload_keeps_the_count_and_frees_the_old_nodes(
    godot: str, tmp_path: Path, level: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GODOT", godot)
    store = Store.open(synthetic.prepare(tmp_path / "demo"))
    played = play_game(
        Mode.HEADLESS,
        store,
        Options(seed=1, autopilot=True, only=["reach"], scenes={"reach": level}),
    )
    assert played.summary.godot_problems == []
    [run] = played.director.levels
    assert run.ended is LevelEnd.quota, (run.ended, run.not_measured)
    quota = run.plan.quota
    assert quota > 4
    # Counted on from 3 after the reload: the level took about `quota` seconds, not 3 + quota.
    assert run.ended_t is not None and run.started_t is not None
    assert run.ended_t - run.started_t < quota + 2.5
    assert [r.peak_deg for r in run.repetitions] == [float(i) for i in range(1, quota + 1)]
    failures = played.director.op_failures
    assert len(failures) == 1 and "Bird_v1" in failures[0], failures
    assert not any("Bird_v2" in f for f in failures)
