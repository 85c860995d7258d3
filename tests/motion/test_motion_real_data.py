"""Real human motion (KERAAL, marker-based truth): the estimator must hold up off synthetic data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pacewise.motion.analyzer import analyze
from pacewise.motion.live import replay
from pacewise.motion.recording import read_recording

DATA = Path(__file__).resolve().parents[1] / "data" / "keraal"
TRUTH = json.loads((DATA / "truth.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_two_reps_with_right_sides_and_peaks_within_5_deg(name: str) -> None:
    truth = TRUTH[name]
    rec = read_recording(DATA / name)
    result = analyze(rec, truth["exercise"])
    assert len(result.reps) == 2, [r.model_dump() for r in result.reps]
    for got, want in zip(result.reps, truth["reps"], strict=True):
        assert got.side == want["side"]
        assert got.peak_deg is not None
        assert abs(got.peak_deg - want["peak_deg"]) <= 5.0, (got.peak_deg, want)
        assert got.start_t < want["peak_t"] < got.end_t
        assert abs(got.peak_t - want["peak_t"]) < 0.5


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_live_gives_the_same_reps_on_real_data(name: str) -> None:
    rec = read_recording(DATA / name)
    ex = TRUTH[name]["exercise"]
    assert replay(rec, ex) == analyze(rec, ex).reps
