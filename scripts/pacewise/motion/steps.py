"""Marching in place: each step is one excursion of the step signal (see signals.py).

The signal adds the head's side-to-side sway (weight shifts onto the stance leg) and the
controllers' opposite fore-aft swing, so a step on the left leg swings it positive, a step on the
right negative. Cadence is taken between the first and last step, so pauses before and after do
not dilute it.
"""

from __future__ import annotations


def cadence_spm(step_times: list[float]) -> float | None:
    """Steps per minute between the first and the last step (None under three steps)."""
    if len(step_times) < 3:
        return None
    span = step_times[-1] - step_times[0]
    return round(60.0 * (len(step_times) - 1) / span, 1) if span > 0 else None
