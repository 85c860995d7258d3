"""Causal moving averages over a time window, for whole arrays and one sample at a time.

Both average the samples with t_j > t_i - window (j <= i), so the live and offline signals match.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from pacewise.motion.recording import FloatArray


def causal_mean(t: FloatArray, x: FloatArray, window_s: float) -> FloatArray:
    c = np.concatenate(([0.0], np.cumsum(x)))
    lo = np.searchsorted(t, t - window_s, side="right")
    hi = np.arange(1, t.size + 1)
    return np.asarray((c[hi] - c[lo]) / (hi - lo), dtype=np.float64)


class CausalMean:
    def __init__(self, window_s: float) -> None:
        self.window_s = window_s
        self.buf: deque[tuple[float, float]] = deque()
        self.total = 0.0

    def push(self, t: float, x: float) -> float:
        self.buf.append((t, x))
        self.total += x
        edge = t - self.window_s
        while self.buf[0][0] <= edge:
            self.total -= self.buf.popleft()[1]
        if len(self.buf) == 1:
            self.total = x  # drop accumulated rounding whenever the window empties
        return self.total / len(self.buf)
