"""The behaviour host: loads designers' files, reloads them when edited, contains their bugs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pacewise.levels.api import Calibration, LevelPlan
from pacewise.levels.ops import Op, ShowText
from pacewise.motion.tracking_frame import DevicePose, TrackingFrame
from pacewise.runtime.behaviours import RELOAD_CHECK_FRAMES, BehaviourHost

SCRIPT = """
from pacewise.levels.api import Behaviour

class Hello(Behaviour):
    def on_ready(self):
        self.node.say("{word} ready")

    def on_frame(self, frame):
        if frame.t >= {fail_at}:
            raise RuntimeError("boom")
"""


class Sink:
    def __init__(self) -> None:
        self.ops: list[Op] = []

    def emit(self, op: Op) -> None:
        self.ops.append(op)

    def texts(self) -> list[str]:
        return [op.text for op in self.ops if isinstance(op, ShowText)]


class Session:
    calibration = Calibration(
        head=(0, 1.6, 0), left_hand=(0, 0.9, 0), right_hand=(0, 0.9, 0),
        shoulder_height_m=1.4, arm_reach_m=0.6,
    )  # fmt: skip

    def plan(self, exercise: str) -> LevelPlan:
        return LevelPlan(exercise=exercise, quota=3)

    def report(self, **progress: int | float) -> None: ...

    def finish(self) -> None: ...

    def report_rep(self, rep: object) -> None: ...

    def begin_movement(self) -> None: ...

    def ask_scale(self, key: str, prompt: str, low: str, high: str) -> None: ...


def frame(t: float) -> TrackingFrame:
    pose = DevicePose(p=[0.0, 1.0, 0.0])
    return TrackingFrame(t=t, head=pose, left=pose, right=pose)


def write(path: Path, word: str, fail_at: float = 1e9) -> None:
    path.write_text(SCRIPT.format(word=word, fail_at=fail_at))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    return tmp_path


def test_editing_the_file_reloads_the_behaviour(project: Path) -> None:
    script = project / "scripts" / "hello.py"
    write(script, "first")
    sink = Sink()
    host = BehaviourHost(project, sink, Session())
    host.attach("/root/Main/Level/L/B", "res://scripts/hello.py", {})
    assert sink.texts() == ["first ready"]
    write(script, "second")
    stat = script.stat()
    os.utime(script, (stat.st_atime, stat.st_mtime + 5))
    for i in range(RELOAD_CHECK_FRAMES):
        host.frame(frame(i / 90))
    assert sink.texts() == ["first ready", "second ready"]
    assert host.problems == []


def test_a_behaviour_that_raises_is_switched_off_and_reported(project: Path) -> None:
    write(project / "scripts" / "bad.py", "bad", fail_at=0.5)
    write(project / "scripts" / "good.py", "good")
    sink = Sink()
    host = BehaviourHost(project, sink, Session())
    host.attach("/root/A", "res://scripts/bad.py", {})
    host.attach("/root/B", "res://scripts/good.py", {})
    for i in range(90):
        host.frame(frame(i / 90))
    assert len(host.problems) == 1
    assert "bad.py:10 (/root/A) on_frame: RuntimeError: boom" in host.problems[0]
    [failure] = host.failures
    assert failure.line == 10 and 'raise RuntimeError("boom")' in failure.traceback
    assert host.hosted["/root/A"].instance is None
    assert host.hosted["/root/B"].instance is not None


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("res://../outside.py", "leaves the project folder"),
        ("scripts/hello.py", "must start with res://"),
        ("res://scripts/missing.py", "does not exist"),
        ("res://scripts/notes.txt", "is not a .py file"),
    ],
)
def test_bad_script_paths_are_refused(project: Path, script: str, expected: str) -> None:
    (project.parent / "outside.py").write_text("raise SystemExit('must never run')\n")
    (project / "scripts" / "notes.txt").write_text("hi")
    host = BehaviourHost(project, Sink(), Session())
    host.attach("/root/X", script, {})
    assert host.hosted == {}
    assert len(host.problems) == 1 and expected in host.problems[0]


def test_the_worked_example_level_checks_clean() -> None:
    from pacewise.domain.prescription import default_prescription
    from pacewise.runtime.launcher import PROJECT_ROOT
    from pacewise.runtime.level_check import check_levels

    scene = PROJECT_ROOT / "scenes/levels/examples/side_lanterns.tscn"
    [report] = check_levels([scene], PROJECT_ROOT, default_prescription())
    assert report.problems == []
    assert report.behaviours[0].parameters == {"lantern_distance_m": 0.7, "lantern_height_m": 1.1}


COUNTER = """
from typing import ClassVar

from pacewise.levels.api import Behaviour

class Counter(Behaviour):
    keep: ClassVar[tuple[str, ...]] = ("count",)

    def on_ready(self):
        self.count = 0
        self.node.spawn("res://addons/pacewise/props/pw_target.tscn", name="Bird{version}")

    def on_frame(self, frame):
        self.count += 1
        self.node.say(f"{version}:{{self.count}}")
"""


def test_a_reload_keeps_the_count_and_frees_what_the_old_code_spawned(project: Path) -> None:
    from pacewise.levels.ops import Free, Spawn

    script = project / "scripts" / "counter.py"
    script.write_text(COUNTER.format(version="v1"))
    sink = Sink()
    host = BehaviourHost(project, sink, Session())
    host.attach("/root/L/B", "res://scripts/counter.py", {})
    for i in range(10):
        host.frame(frame(i / 90))
    script.write_text(COUNTER.format(version="v2"))
    stat = script.stat()
    os.utime(script, (stat.st_atime, stat.st_mtime + 5))
    for i in range(10, RELOAD_CHECK_FRAMES + 1):
        host.frame(frame(i / 90))
    frees = [op.node for op in sink.ops if isinstance(op, Free)]
    spawns = [op.name for op in sink.ops if isinstance(op, Spawn)]
    assert frees == ["/root/L/B/Birdv1"] and spawns == ["Birdv1", "Birdv2"]
    last = sink.texts()[-1]
    assert last == f"v2:{RELOAD_CHECK_FRAMES + 1}", last  # counted on, not from 0


def test_an_endless_hook_is_cut_off_by_its_budget(project: Path) -> None:
    (project / "scripts" / "spin.py").write_text(
        "from pacewise.levels.api import Behaviour\n\n"
        "class Spin(Behaviour):\n"
        "    def on_frame(self, frame):\n"
        "        while True:\n"
        "            pass\n"
    )
    host = BehaviourHost(project, Sink(), Session(), hook_budget_s=0.2)
    host.attach("/root/S", "res://scripts/spin.py", {})
    host.frame(frame(0.0))
    [failure] = host.failures
    assert "BehaviourTimeout" in failure.error and failure.line in (5, 6)
    host.frame(frame(0.1))  # switched off: no second failure, no hang
    assert len(host.failures) == 1
