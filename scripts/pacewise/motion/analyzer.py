"""Offline analysis of a whole recording: calibration, signal, repetitions, quality, warnings.

Output models are pydantic because they leave the process (CLI JSON, the store, the dashboard).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field

from pacewise.motion.breathing import breath_windows
from pacewise.motion.calibration import Calibration, calibrate
from pacewise.motion.facing import facing_deg, turn
from pacewise.motion.quality import rep_quality, symmetry
from pacewise.motion.recording import Recording
from pacewise.motion.reps import Segment, detect
from pacewise.motion.signals import SIDE_NAMES, Exercise, offline, rule_for, unit
from pacewise.motion.steps import cadence_spm

Side = Literal["left", "right"]


class Rep(BaseModel):
    start_t: float
    peak_t: float
    end_t: float
    peak_deg: float | None = Field(description="positive magnitude; trunk lean for sit-to-stand")
    side: Side | None
    peak: float = Field(description="peak of the watched signal, in `unit`")
    unit: str
    quality: dict[str, float | None]


class Analysis(BaseModel):
    exercise: Exercise
    reps: list[Rep]
    quality: dict[str, Any]
    calibration: dict[str, Any]
    warnings: list[str]


def _round(x: float, nd: int = 3) -> float:
    return round(float(x), nd)


def make_rep(seg: Segment, ex: Exercise, cal: Calibration) -> Rep:
    """One repetition from its samples; shared by the live and offline analysers."""
    e = seg.excursion
    k = e.peak - e.start
    peak_t = float(seg.t[k])
    side_names = SIDE_NAMES.get(ex)
    side = None
    if side_names is not None:
        side = side_names[0] if e.sign > 0 else side_names[1]
    u = unit(ex)
    if u == "deg":
        peak_deg: float | None = _round(e.peak_value, 2)
    elif ex is Exercise.SIT_TO_STAND:
        finite = seg.aux[np.isfinite(seg.aux)]
        peak_deg = _round(max(float(finite.max()), 0.0), 2) if finite.size else None
    else:
        peak_deg = None
    return Rep(
        start_t=_round(seg.t[0], 4),
        peak_t=_round(peak_t, 4),
        end_t=_round(seg.t[-1], 4),
        peak_deg=peak_deg,
        side=side,
        peak=_round(e.peak_value, 4),
        unit=u,
        quality=rep_quality(
            seg.t, seg.s, e.sign, peak_t, smoothness=ex not in (Exercise.MARCH, Exercise.BREATHING)
        ),
    )


def _mean(reps: list[Rep], key: str, nd: int) -> float | None:
    vals = [v for v in (r.quality.get(key) for r in reps) if v is not None]
    return _round(float(np.mean(vals)), nd) if vals else None


def summarise(reps: list[Rep], ex: Exercise, partial: int) -> dict[str, Any]:
    out: dict[str, Any] = {"count": len(reps), "partial_movements": partial}
    if not reps:
        return out
    out["mean_peak"] = _round(float(np.mean([r.peak for r in reps])), 3)
    out["mean_peak_velocity"] = _mean(reps, "peak_velocity", 2)
    out["mean_sparc"] = _mean(reps, "sparc", 3)
    out["mean_time_to_peak_s"] = _mean(reps, "time_to_peak_s", 3)
    if ex in SIDE_NAMES:
        per: dict[str, list[dict[str, float]]] = {}
        for r in reps:
            if r.side is not None:
                vel = r.quality["peak_velocity"]
                per.setdefault(r.side, []).append(
                    {"peak": r.peak, "vel": vel if vel is not None else math.nan}
                )
        out["per_side"] = {
            side: {
                "count": len(v),
                "mean_peak": _round(float(np.mean([x["peak"] for x in v])), 3),
                "mean_peak_velocity": _round(float(np.mean([x["vel"] for x in v])), 2),
            }
            for side, v in sorted(per.items())
        }
        out["symmetry"] = symmetry(per)
    return out


def _gap_warnings(rec: Recording, used: np.ndarray, t_used: np.ndarray) -> list[str]:
    warnings: list[str] = []
    lost = 1.0 - float(np.count_nonzero(used)) / max(len(rec), 1)
    if lost > 0.02:
        warnings.append(f"tracking lost on {lost * 100:.1f}% of frames")
    if t_used.size > 1:
        gaps = np.diff(t_used)
        worst = float(gaps.max())
        if worst > 0.5:
            at = float(t_used[int(np.argmax(gaps))])
            warnings.append(f"no usable frames for {worst:.1f} s from t={at:.1f} s")
    if len(rec) > 2:
        hz = 1.0 / float(np.median(np.diff(rec.t)))
        if abs(hz - rec.header.hz) > 0.2 * rec.header.hz:
            warnings.append(f"frames arrive at about {hz:.0f} Hz, header says {rec.header.hz:g}")
    return warnings


def analyze(rec: Recording, exercise: Exercise | str, min_deg: float | None = None) -> Analysis:
    ex = Exercise(exercise)
    deg = facing_deg(rec, rec.header.calibration_s)
    seen = rec
    rec = turn(rec, deg)  # the body's own frame: facing -Z
    cal = replace(calibrate(rec), facing_deg=deg)
    warnings = list(cal.warnings)
    if rec.header.exercise and rec.header.exercise != ex.value:
        warnings.append(
            f"recording says exercise {rec.header.exercise!r}, analysed as {ex.value!r}"
        )
    series = offline(rec, cal, ex)
    rule = rule_for(ex, cal, min_deg)
    segments = detect(series.t, series.s, rule, series.aux)
    reps = [make_rep(s, ex, cal) for s in segments if s.excursion.is_rep]
    partial = sum(1 for s in segments if not s.excursion.is_rep and s.excursion.sign in rule.sides)
    warnings += _gap_warnings(seen, series.frames, series.t)
    if series.s.size and abs(float(series.s[-1])) > rule.leave:
        warnings.append("the recording ends during a movement; it was not counted")
    if ex is Exercise.TRUNK_ROTATION and series.s.size:
        lr = rec.right.p[series.frames] - rec.left.p[series.frames]
        span = float(np.median(np.hypot(lr[:, 0], lr[:, 2]))) / cal.height_m
        if span > 0.4:
            warnings.append(
                "controllers were held away from the chest; rotation is corrected for arm"
                " swing and less accurate"
            )
    quality: dict[str, Any] = {
        "unit": unit(ex),
        "summary": summarise(reps, ex, partial),
    }
    if ex is Exercise.MARCH:
        quality["steps"] = len(reps)
        quality["cadence_spm"] = cadence_spm([r.peak_t for r in reps])
    if ex is Exercise.BREATHING:
        start = float(rec.t[0]) + rec.header.calibration_s
        windows, rate = breath_windows([r.peak_t for r in reps], start, float(rec.t[-1]))
        quality["windows"] = windows
        quality["breaths_per_min"] = rate
        if not windows:
            warnings.append("less than 50 s of breathing after calibration; no rate given")
    calib = cal.summary() | {"window_s": rec.header.calibration_s}
    return Analysis(
        exercise=ex,
        reps=reps,
        quality=quality,
        calibration=calib,
        warnings=warnings,
    )
