"""The six levels, played by the synthetic patient through real Godot: counts match the truth.

One whole session (all six levels, seed 5). For the levels the live analyser counts, the
synthetic recording the patient performed carries its ground truth; for reaching, Godot's
physics counts touches of targets the patient really reached.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pacewise.runtime.autopilot import Autopilot
from pacewise.runtime.game import Played, play_game
from pacewise.runtime.launcher import Mode
from pacewise.runtime.session import LevelRun

ANGLE_LEVELS = ("lateral_flexion", "forward_flexion", "sit_to_stand")


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory, godot: str) -> Played:
    mp = pytest.MonkeyPatch()
    mp.setenv("PACEWISE_HOME", str(tmp_path_factory.mktemp("home")))
    mp.setenv("GODOT", godot)
    try:
        return play_game(Mode.HEADLESS, seed=5, speed=None, autopilot=True)
    finally:
        mp.undo()


def _run(played: Played, name: str) -> LevelRun:
    return next(run for run in played.director.levels if run.name == name)


def _autopilot(played: Played) -> Autopilot:
    assert played.director.autopilot is not None
    return played.director.autopilot


def test_every_level_was_played_in_order(played: Played) -> None:
    names = [level.name for level in played.summary.levels]
    assert names == [
        "reach",
        "lateral_flexion",
        "forward_flexion",
        "sit_to_stand",
        "march",
        "breathing",
    ]
    assert played.summary.godot_problems == []
    assert all(run.stopped is None for run in played.director.levels), [
        (run.name, run.stopped) for run in played.director.levels
    ]


def test_reach_counts_every_target_touched(played: Played) -> None:
    run = _run(played, "reach")
    assert run.finished
    assert run.progress["reps"] == run.plan.quota


@pytest.mark.parametrize("name", ANGLE_LEVELS)
def test_movement_reps_match_the_synthetic_truth(played: Played, name: str) -> None:
    run = _run(played, name)
    performance = _autopilot(played).performances[name]
    assert run.ended_t is not None
    truth = [
        rep for rep in performance.synthetic.reps if performance.start_t + rep.peak_t <= run.ended_t
    ]
    assert run.finished
    assert run.progress["reps"] == run.plan.quota == len(truth)


@pytest.mark.parametrize(("name", "counted"), [("march", "steps"), ("breathing", "breaths")])
def test_timed_levels_count_close_to_the_truth(played: Played, name: str, counted: str) -> None:
    run = _run(played, name)
    performance = _autopilot(played).performances[name]
    assert run.ended_t is not None
    truth = [
        rep for rep in performance.synthetic.reps if performance.start_t + rep.end_t <= run.ended_t
    ]
    assert run.progress["seconds"] >= run.plan.quota
    assert len(truth) > 0
    assert abs(int(run.progress[counted]) - len(truth)) <= 1


def test_the_session_record_in_the_store_has_every_level(played: Played) -> None:
    from pacewise.store.store import Store

    assert played.summary.store_path is not None
    home = Path(played.summary.store_path).parents[2]
    [record] = Store.open(home).sessions()
    assert [level.name for level in record.levels] == [lv.name for lv in played.summary.levels]
    assert record.level("march") is not None and record.level("march").seconds is not None
