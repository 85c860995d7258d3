"""The repetition rule on hand-made signals, and the loop and vectorised versions agreeing."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pacewise.motion.live import LiveAnalyzer
from pacewise.motion.reps import RepDetector, RepRule, Segment, detect
from pacewise.motion.synthetic import min_jerk

RULE = RepRule.for_min(15.0)


def signal(keys: list[tuple[float, float]], hz: float = 90.0) -> tuple[np.ndarray, np.ndarray]:
    times = [k[0] for k in keys]
    t = np.arange(0.0, times[-1], 1.0 / hz)
    return t, min_jerk(times, [k[1] for k in keys], t)


def live(t: np.ndarray, s: np.ndarray, rule: RepRule) -> list[Segment]:
    d = RepDetector(rule)
    out = [d.push(float(a), float(b)) for a, b in zip(t, s, strict=True)]
    return [x for x in out if x is not None]


def reps(t: np.ndarray, s: np.ndarray, rule: RepRule = RULE) -> list[Segment]:
    return [x for x in detect(t, s, rule) if x.excursion.is_rep]


def test_one_excursion_is_one_rep_with_its_peak() -> None:
    t, s = signal([(0, 0), (1, 0), (2.5, 40), (3.5, 40), (5, 0), (6, 0)])
    (rep,) = reps(t, s)
    e = rep.excursion
    assert e.sign == 1 and abs(e.peak_value - 40.0) < 1e-9
    assert 1.0 <= t[e.start] < 1.6 and 2.5 <= t[e.peak] <= 3.5 and 4.0 < t[e.end] < 5.0


def test_partial_movement_and_small_hesitations_do_not_count() -> None:
    t, s = signal(
        [(0, 0), (1, 0), (2, 12), (3, 0), (4, 0), (5, 30), (5.5, 22), (6, 35), (7, 0), (8, 0)]
    )
    got = reps(t, s)
    assert len(got) == 1 and abs(got[0].excursion.peak_value - 35.0) < 1e-9


def test_left_and_right_are_separate_reps_even_without_a_pause() -> None:
    t, s = signal([(0, 0), (1, 0), (2, -25), (3.5, 25), (4.5, 0), (5, 0)])
    assert [r.excursion.sign for r in reps(t, s)] == [-1, 1]


def test_one_sided_rule_ignores_the_other_side() -> None:
    t, s = signal([(0, 0), (1, 0), (2, -25), (3, 0), (4, 30), (5, 0), (6, 0)])
    got = reps(t, s, RepRule.for_min(15.0, (1,)))
    assert [r.excursion.sign for r in got] == [1]


def test_a_movement_cut_off_by_the_end_is_not_counted() -> None:
    t, s = signal([(0, 0), (1, 0), (2, 30), (3, 0), (4, 0), (5, 40), (6, 40)])
    assert len(reps(t, s)) == 1


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-60.0, 60.0), min_size=2, max_size=12),
    st.floats(0.3, 2.0),
    st.floats(5.0, 25.0),
)
def test_loop_and_vectorised_detectors_agree(values: list[float], step: float, m: float) -> None:
    keys = [(0.0, 0.0)] + [((i + 1) * step, v) for i, v in enumerate(values)]
    keys.append((keys[-1][0] + step, 0.0))
    t, s = signal(keys, hz=50.0)
    s = s + np.random.default_rng(len(values)).normal(0.0, 0.3, s.size)
    rule = RepRule.for_min(m)
    a, b = detect(t, s, rule), live(t, s, rule)
    assert [x.excursion for x in a] == [x.excursion for x in b]
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x.t, y.t)
        np.testing.assert_array_equal(x.s, y.s)


def test_live_memory_stays_bounded_over_a_long_session() -> None:
    d = RepDetector(RULE)
    rng = np.random.default_rng(0)
    longest = 0
    for i in range(90 * 600):  # ten minutes at 90 Hz, a slow rep every 8 s
        t = i / 90.0
        s = 30.0 * max(0.0, np.sin(2 * np.pi * t / 8.0)) + rng.normal(0.0, 0.5)
        d.push(t, s)
        longest = max(longest, len(d.buf))
    assert longest < 90 * 8  # never more than one repetition's samples


def test_live_analyser_waits_for_a_usable_neutral_window() -> None:
    live = LiveAnalyzer("lateral_flexion", posture="seated", calibration_s=1.0, height_m=1.7)
    head, left, right = (0.0, 1.2, 0.0), (-0.2, 0.7, -0.2), (0.2, 0.7, -0.2)
    for i in range(200):  # two seconds with the headset lost
        live.update(i / 100, head, left, right, head_ok=False)
    assert live.calibration is None and live.recalibrations >= 1
    for i in range(200, 400):
        live.update(i / 100, head, left, right)
    assert live.calibration is not None


DWELL = RepRule.for_min(15.0, dwell_s=0.4)
# out to 30, back to 3 (under the 6 degree exit) for a moment, on to 40, then a real rest
HESITANT = [(0, 0), (1, 0), (2, 30), (2.3, 3), (2.5, 3), (2.8, 30), (3.6, 40), (5, 0), (7, 0)]


def test_a_hesitant_movement_back_near_neutral_for_a_moment_is_one_rep() -> None:
    t, s = signal(HESITANT)
    assert len(reps(t, s, RULE)) == 2  # without a dwell the dip ends the first one
    (rep,) = reps(t, s, DWELL)
    e = rep.excursion
    assert abs(e.peak_value - 40.0) < 1e-9 and t[e.start] < 1.5
    assert 4.0 < t[e.end] < 5.0  # the end is where it came back, not where the dwell ran out
    assert [(x.excursion, x.t[-1]) for x in live(t, s, DWELL) if x.excursion.is_rep] == [
        (e, t[e.end])
    ]


def test_a_real_rest_still_ends_the_movement_under_a_dwell() -> None:
    t, s = signal([(0, 0), (1, 0), (2, 30), (3, 0), (3.7, 0), (4.7, 30), (5.7, 0), (7, 0)])
    assert len(reps(t, s, DWELL)) == 2
    assert len(live(t, s, DWELL)) == len(detect(t, s, DWELL)) == 2


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    st.lists(st.tuples(st.floats(0.1, 1.5), st.floats(-45.0, 45.0)), min_size=2, max_size=12),
    st.floats(0.0, 0.8),
)
def test_loop_and_vectorised_agree_with_a_dwell(
    steps: list[tuple[float, float]], dwell: float
) -> None:
    keys = [(0.0, 0.0), (1.0, 0.0)]
    for dt, v in steps:
        keys.append((keys[-1][0] + dt, v))
    keys.append((keys[-1][0] + 2.0, 0.0))
    t, s = signal(keys)
    rule = RepRule.for_min(15.0, dwell_s=dwell)
    a, b = detect(t, s, rule), live(t, s, rule)
    assert [x.excursion for x in a] == [x.excursion for x in b]
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x.t, y.t)
        np.testing.assert_array_equal(x.s, y.s)
