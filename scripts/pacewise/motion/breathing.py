"""Paced breathing: breaths per minute over windows of at least 50 s.

A breath is one inhale excursion of the chest controller (moving forward against the head,
band-limited in signals.py). Rates are counted per minute-long window after calibration; a last
shorter window is kept when it still spans 50 s, because shorter windows give unstable rates at
six breaths a minute.
"""

from __future__ import annotations

WINDOW_S = 60.0
MIN_WINDOW_S = 50.0


def breath_windows(
    peak_times: list[float], start: float, end: float
) -> tuple[list[dict[str, float | int | None]], float | None]:
    """Per-window rates and the overall rate (None when under 50 s were recorded)."""
    windows: list[dict[str, float | int | None]] = []
    w0 = start
    while end - w0 >= MIN_WINDOW_S:
        w1 = min(w0 + WINDOW_S, end)
        inside = [p for p in peak_times if w0 <= p < w1]
        windows.append(
            {
                "start_t": round(w0, 2),
                "end_t": round(w1, 2),
                "breaths": len(inside),
                "breaths_per_min": _rate(inside),
            }
        )
        w0 = w1
    if end - start < MIN_WINDOW_S:
        return windows, None
    return windows, _rate([p for p in peak_times if p >= start])


def _rate(peaks: list[float]) -> float | None:
    """Breaths per minute from the mean interval between inhale peaks (not a count / window,
    which would quantise a 60 s window to whole breaths per minute)."""
    if len(peaks) < 2 or peaks[-1] <= peaks[0]:
        return None
    return round(60.0 * (len(peaks) - 1) / (peaks[-1] - peaks[0]), 2)
