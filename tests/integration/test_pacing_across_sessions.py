"""The game follows the pacing engine from session to session: baseline, then 80% of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pacewise.runtime.game import Options, play_game
from pacewise.runtime.launcher import Mode
from pacewise.store import synthetic
from pacewise.store.store import Store


def test_quota_starts_at_80_percent_of_baseline_after_the_baseline_sessions(
    godot: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GODOT", godot)
    store = Store.open(synthetic.prepare(tmp_path / "home"))
    quotas, summaries = [], []
    for seed in range(4):
        options = Options(seed=seed, autopilot=True, only=["reach"])
        played = play_game(Mode.HEADLESS, store, options)
        [reach] = played.summary.levels
        quotas.append(reach.quota)
        summaries.append(played.director.summary_text())
        assert reach.reps == reach.quota
    prescription = Store.open(tmp_path / "home").prescription().prescription
    planned = prescription.exercises["reach"].reps  # type: ignore[index]
    assert planned is not None
    assert quotas[:3] == [planned] * 3
    assert quotas[3] == round(0.8 * planned)
    assert f"Next time: reaching {planned} reps (baseline session 2 of 3)." in summaries[0]
    assert "baseline" not in summaries[3].split("Next time:")[1]
    assert len(Store.open(tmp_path / "home").sessions()) == 4
