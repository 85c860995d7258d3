"""Movement quality: smoothness ranks smooth above jerky, velocity and timing are measured."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from pacewise.motion.analyzer import analyze
from pacewise.motion.calibration import calibrate
from pacewise.motion.quality import rep_quality, sparc, symmetry
from pacewise.motion.signals import Exercise
from pacewise.motion.synthetic import Spec, generate, min_jerk


def excursion(wobble: float, hz: float = 90.0) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(0.0, 3.0, 1.0 / hz)
    s = min_jerk([0.0, 1.0, 2.0, 3.0], [0.0, 40.0, 40.0, 0.0], t)
    return t, s + wobble * np.sin(2 * np.pi * 4.0 * t) * np.sin(np.pi * t / 3.0)


def test_sparc_prefers_the_smooth_movement() -> None:
    smooth = rep_quality(*excursion(0.0), 1, 1.5)["sparc"]
    shaky = rep_quality(*excursion(2.0), 1, 1.5)["sparc"]
    assert -3.0 < smooth < 0.0
    assert shaky < smooth - 0.5


def test_sparc_does_not_depend_on_amplitude() -> None:
    t, s = excursion(0.0)
    speed = np.abs(np.gradient(s, t))
    assert abs(sparc(speed, t[1] - t[0]) - sparc(3.0 * speed, t[1] - t[0])) < 1e-9


def test_peak_velocity_of_a_min_jerk_move() -> None:
    t, s = excursion(0.0)
    q = rep_quality(t, s, 1, 1.5)
    # a min-jerk move of 40 deg in 1 s peaks at 1.875 * 40 deg/s
    assert abs(q["peak_velocity"] - 75.0) < 3.0
    assert abs(q["return_peak_velocity"] - 75.0) < 3.0
    assert abs(q["duration_s"] - 3.0) < 0.05


def test_symmetry_ratio() -> None:
    per = {"left": [{"peak": 30.0, "vel": 60.0}], "right": [{"peak": 40.0, "vel": 60.0}]}
    assert symmetry(per) == {"peak_ratio_left_right": 0.75, "velocity_ratio_left_right": 1.0}
    assert symmetry({"left": per["left"]})["peak_ratio_left_right"] is None


def test_quality_summary_per_side() -> None:
    syn = generate(Spec(Exercise.LATERAL_FLEXION, seed=12, reps=4, partials=1))
    q = analyze(syn.recording, Exercise.LATERAL_FLEXION).quality
    per = q["summary"]["per_side"]
    assert sum(v["count"] for v in per.values()) == len(syn.reps)
    assert q["summary"]["count"] == len(syn.reps)


def test_height_is_estimated_when_the_header_has_none() -> None:
    for seated in (False, True):
        spec = Spec(Exercise.FORWARD_FLEXION, seed=3, seated=seated, height_m=1.84)
        rec = generate(replace(spec, give_height=False)).recording
        cal = calibrate(rec)
        assert cal.height_source == "estimated"
        assert abs(cal.height_m - 1.84) < 0.12
        assert any("height" in w for w in cal.warnings)
