"""Movement quality of one repetition, and left/right symmetry over a set.

Computed on the repetition's own samples after it completes, so the live and offline analysers
(which hand over the same samples) report the same numbers. Samples are first put on a uniform
100 Hz grid because headset frame times jitter and frames go missing.

Smoothness is SPARC (spectral arc length, Balasubramanian et al. 2015): the arc length of the
normalised Fourier magnitude of the speed profile up to an adaptive cut-off. It is dimensionless,
independent of amplitude and duration, and much less noise-sensitive than jerk measures; closer
to 0 is smoother (a minimum-jerk reach is about -1.6).
"""

from __future__ import annotations

import math

import numpy as np

from pacewise.motion.recording import FloatArray

GRID_HZ = 100.0
SPARC_FC_HZ = 10.0
SPARC_AMP = 0.05


def resample(t: FloatArray, s: FloatArray) -> tuple[FloatArray, float]:
    n = max(int((t[-1] - t[0]) * GRID_HZ) + 1, 2)
    grid = t[0] + np.arange(n) / GRID_HZ
    return np.interp(grid, t, s), 1.0 / GRID_HZ


def _smooth(x: FloatArray, width: int) -> FloatArray:
    if x.size <= width:
        return x
    pad = width // 2
    xp = np.concatenate((np.full(pad, x[0]), x, np.full(pad, x[-1])))
    kernel = np.full(width, 1.0 / width)
    return np.convolve(xp, kernel, mode="valid")


def sparc(speed: FloatArray, dt: float) -> float:
    """Spectral arc length of a speed profile (negative; closer to 0 is smoother)."""
    if speed.size < 4 or not np.any(speed > 0):
        return math.nan
    nfft = int(2 ** (math.ceil(math.log2(speed.size)) + 4))
    mag = np.abs(np.fft.rfft(speed, nfft))
    freq = np.fft.rfftfreq(nfft, dt)
    mag = mag / mag.max()
    sel = freq <= SPARC_FC_HZ
    f, m = freq[sel], mag[sel]
    above = np.flatnonzero(m >= SPARC_AMP)
    cut = int(above[-1]) + 1 if above.size else m.size
    f, m = f[:cut], m[:cut]
    if f.size < 2:
        return math.nan
    df = np.diff(f) / (f[-1] - f[0])
    dm = np.diff(m)
    return float(-np.sum(np.sqrt(df * df + dm * dm)))


def rep_quality(
    t: FloatArray, s: FloatArray, sign: int, peak_t: float, smoothness: bool = True
) -> dict[str, float | None]:
    """Peak angular velocity out and back (units of s per second), SPARC per phase, timing."""
    x, dt = resample(t, sign * s)
    xs = _smooth(x, 5)
    v = np.gradient(xs, dt) if xs.size >= 2 else np.zeros(1)
    k = min(max(round((peak_t - t[0]) / dt), 0), v.size - 1)
    out_v = float(np.max(v[: k + 1])) if k >= 0 else math.nan
    back_v = float(-np.min(v[k:])) if k < v.size else math.nan
    # SPARC per phase: going out and coming back are each one point-to-point movement. Steps
    # and breaths skip it: not meaningful there, and it is the costly part of a live frame.
    out_s = sparc(np.abs(v[: k + 1]), dt) if smoothness else math.nan
    back_s = sparc(np.abs(v[k:]), dt) if smoothness else math.nan
    both = [x for x in (out_s, back_s) if math.isfinite(x)]
    out: dict[str, float | None] = {
        "peak_velocity": round(out_v, 2),
        "return_peak_velocity": round(back_v, 2),
        "sparc": round(float(np.mean(both)), 3) if both else math.nan,
        "sparc_out": round(out_s, 3),
        "sparc_back": round(back_s, 3),
        "time_to_peak_s": round(peak_t - float(t[0]), 3),
        "duration_s": round(float(t[-1] - t[0]), 3),
    }
    # None, not NaN, for what was not measured: NaN breaks equality and is not JSON
    return {k: (v if v is not None and math.isfinite(v) else None) for k, v in out.items()}


def _mean(xs: list[float]) -> float:
    vals = [x for x in xs if math.isfinite(x)]
    return float(np.mean(vals)) if vals else math.nan


def symmetry(per_side: dict[str, list[dict[str, float]]]) -> dict[str, float | None]:
    """Left/right ratios (1.0 = symmetric) of mean peak and mean peak velocity."""

    def ratio(key: str) -> float | None:
        left = _mean([r[key] for r in per_side.get("left", [])])
        right = _mean([r[key] for r in per_side.get("right", [])])
        if not (math.isfinite(left) and math.isfinite(right)) or right == 0:
            return None
        return round(left / right, 3)

    return {"peak_ratio_left_right": ratio("peak"), "velocity_ratio_left_right": ratio("vel")}
