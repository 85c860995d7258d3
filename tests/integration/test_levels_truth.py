"""The six levels, played by the synthetic patient through real Godot: counts match the truth.

One whole session (all six levels, seed 5). For the levels the live analyser counts, the
synthetic recording the patient performed carries its ground truth; for reaching, Godot's
physics counts touches of targets the patient really reached.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pacewise.domain.session import LevelEnd
from pacewise.runtime.autopilot import Autopilot
from pacewise.runtime.dose import LevelRun
from pacewise.runtime.game import Options, Played, play_game
from pacewise.runtime.launcher import Mode
from pacewise.store import synthetic
from pacewise.store.store import Store

ANGLE_LEVELS = ("lateral_flexion", "forward_flexion", "sit_to_stand")


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory, godot: str) -> Played:
    mp = pytest.MonkeyPatch()
    mp.setenv("GODOT", godot)
    store = Store.open(synthetic.prepare(tmp_path_factory.mktemp("home") / "demo"))
    try:
        return play_game(Mode.HEADLESS, store, Options(seed=5, autopilot=True))
    finally:
        mp.undo()


def _run(played: Played, name: str) -> LevelRun:
    return next(run for run in played.director.levels if run.name == name)


def _autopilot(played: Played) -> Autopilot:
    assert played.autopilot is not None
    return played.autopilot


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
    assert all(run.ended is LevelEnd.quota for run in played.director.levels), [
        (run.name, run.ended, run.stopped) for run in played.director.levels
    ]


def test_reach_counts_every_target_touched(played: Played) -> None:
    run = _run(played, "reach")
    assert run.ended is LevelEnd.quota
    assert run.progress["reps"] == run.plan.quota


@pytest.mark.parametrize("name", ANGLE_LEVELS)
def test_movement_reps_match_the_synthetic_truth(played: Played, name: str) -> None:
    run = _run(played, name)
    performance = _autopilot(played).performances[name]
    assert run.ended_t is not None
    truth = [
        rep for rep in performance.synthetic.reps if performance.start_t + rep.peak_t <= run.ended_t
    ]
    assert run.ended is LevelEnd.quota
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


def test_each_counted_repetition_is_kept_with_its_angle_and_quality(played: Played) -> None:
    from pacewise.store.store import Store

    assert played.summary.store_path is not None
    home = Path(played.summary.store_path).parents[2]
    [record] = Store.open(home).sessions()
    for name in ("reach", *ANGLE_LEVELS):
        level = record.level(name)
        assert level is not None
        assert len(level.repetitions) == level.reps, name
        times = [r.t_s for r in level.repetitions]
        assert times == sorted(times)
    for name in ("lateral_flexion", "forward_flexion"):
        level = record.level(name)
        assert level is not None
        target = max(_run(played, name).plan.target_deg)
        for rep in level.repetitions:
            assert rep.peak_deg is not None and abs(rep.peak_deg - target) < 8.0, (name, rep)
            assert rep.peak_velocity is not None and rep.peak_velocity > 0
    sides = {r.side for r in record.level("lateral_flexion").repetitions}  # type: ignore[union-attr]
    assert sides == {"left", "right"}


def test_the_dashboard_shows_the_game_session_repetition_by_repetition(played: Played) -> None:
    from pacewise.clinic.live import running
    from pacewise.store.store import Store

    assert played.summary.store_path is not None
    home = Path(played.summary.store_path).parents[2]
    [record] = Store.open(home).sessions()
    with running(home) as server:
        client = server.client()
        assert client.login(server.guard.token).status == 303
        html = client.get(f"/sessions/{record.id}").text
    assert "Repetition by repetition" in html
    level = record.level("lateral_flexion")
    assert level is not None
    assert f"lateral flexion: {len(level.repetitions)} repetitions" in html.lower()
    first = level.repetitions[0]
    assert first.peak_deg is not None and f"{first.peak_deg:.0f}°" in html
