"""The analyser on the synthetic patient: accuracy on a sample, and properties over many seeds.

The full held-out sweep with the issue's targets is in the benchmark, and a small held-out sample
with looser bounds in test_motion_independent_body.py; here, properties over many seeds.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pacewise.motion.analyzer import analyze
from pacewise.motion.live import replay
from pacewise.motion.recording import Device, Recording
from pacewise.motion.signals import Exercise
from pacewise.motion.synthetic import Spec, generate, random_spec

ANGLES = [Exercise.FORWARD_FLEXION, Exercise.LATERAL_FLEXION, Exercise.TRUNK_ROTATION]
SEEDS = st.integers(0, 2**31 - 1)
PROPS = settings(
    max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


def test_march_steps_and_cadence() -> None:
    rng = np.random.default_rng(7)
    for _ in range(10):
        syn = generate(random_spec(rng, Exercise.MARCH))
        result = analyze(syn.recording, Exercise.MARCH)
        assert result.quality["steps"] == syn.extra["steps"]
        assert [r.side for r in result.reps] == [r.side for r in syn.reps]
        truth_cadence = 60.0 * (len(syn.reps) - 1) / (syn.reps[-1].peak_t - syn.reps[0].peak_t)
        assert abs(result.quality["cadence_spm"] - truth_cadence) < 3.0


def test_breathing_rate_over_windows() -> None:
    rng = np.random.default_rng(8)
    errors = []
    for _ in range(8):
        syn = generate(random_spec(rng, Exercise.BREATHING))
        result = analyze(syn.recording, Exercise.BREATHING)
        assert result.quality["windows"], result.warnings
        assert all(w["end_t"] - w["start_t"] >= 50.0 for w in result.quality["windows"])
        errors.append(abs(result.quality["breaths_per_min"] - syn.extra["rate_bpm"]))
    assert float(np.median(errors)) < 0.3 and max(errors) < 1.5


@PROPS
@given(SEEDS, st.sampled_from(list(Exercise)))
def test_live_and_offline_give_the_same_reps(seed: int, ex: Exercise) -> None:
    syn = generate(random_spec(np.random.default_rng(seed), ex))
    assert replay(syn.recording, ex) == analyze(syn.recording, ex).reps


@PROPS
@given(SEEDS, st.sampled_from(ANGLES), st.booleans())
def test_partial_movements_alone_never_count(seed: int, ex: Exercise, seated: bool) -> None:
    spec = Spec(ex, seed=seed, seated=seated, reps=0, partials=3)
    assert analyze(generate(spec).recording, ex).reps == []


def _mirror(rec: Recording) -> Recording:
    """The same session seen in a mirror (x -> -x): left and right swap."""

    def flip(d: Device) -> Device:
        p = d.p * np.array([-1.0, 1.0, 1.0])
        q = d.q * np.array([1.0, -1.0, -1.0, 1.0])
        return Device(p=p, q=q, ok=d.ok)

    return Recording(rec.header, rec.t, flip(rec.head), flip(rec.right), flip(rec.left))


@PROPS
@given(SEEDS, st.sampled_from([Exercise.LATERAL_FLEXION, Exercise.TRUNK_ROTATION]))
def test_mirrored_recording_swaps_sides_keeps_peaks(seed: int, ex: Exercise) -> None:
    syn = generate(random_spec(np.random.default_rng(seed), ex))
    a = analyze(syn.recording, ex).reps
    b = analyze(_mirror(syn.recording), ex).reps
    assert len(a) == len(b)
    swap = {"left": "right", "right": "left"}
    for x, y in zip(a, b, strict=True):
        assert y.side == swap[x.side or ""]
        assert x.peak_deg is not None and y.peak_deg is not None
        assert math.isclose(x.peak_deg, y.peak_deg, abs_tol=0.05)


@PROPS
@given(SEEDS, st.sampled_from(ANGLES), st.floats(1.0, 5000.0))
def test_starting_the_clock_later_shifts_reps_only(seed: int, ex: Exercise, dt: float) -> None:
    syn = generate(random_spec(np.random.default_rng(seed), ex))
    rec = syn.recording
    later = analyze(replace(rec, t=rec.t + dt), ex).reps
    now = analyze(rec, ex).reps
    assert len(later) == len(now)
    for x, y in zip(now, later, strict=True):
        assert abs(y.peak_t - x.peak_t - dt) < 1e-3 and x.side == y.side
        assert x.peak_deg is not None and y.peak_deg is not None
        assert abs(x.peak_deg - y.peak_deg) < 0.05


@PROPS
@given(SEEDS, st.sampled_from([72.0, 90.0, 120.0]), st.sampled_from(ANGLES))
def test_no_head_orientation_still_counts_right(seed: int, hz: float, ex: Exercise) -> None:
    spec = replace(random_spec(np.random.default_rng(seed), ex), hz=hz, head_q=False)
    syn = generate(spec)
    got = analyze(syn.recording, ex).reps
    assert len(got) == len(syn.reps)
    assert [r.side for r in got] == [r.side for r in syn.reps]
