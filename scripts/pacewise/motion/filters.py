"""Causal moving averages, for whole arrays and one sample at a time.

`causal_mean`/`CausalMean` average the samples with t_j > t_i - window (j <= i).
`last_n_mean`/`LastN` average the last n samples, adding them oldest first in both versions so
the live and offline results are bit-for-bit equal.
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


def last_n_mean(x: FloatArray, n: int) -> FloatArray:
    out = np.empty_like(x)
    for i in range(min(n - 1, x.size)):  # warm-up: fewer samples than n
        acc = 0.0
        for v in x[: i + 1]:
            acc = acc + float(v)
        out[i] = acc / (i + 1)
    if x.size >= n:
        acc_v = x[: x.size - n + 1].copy()
        for k in range(1, n):
            acc_v = acc_v + x[k : x.size - n + 1 + k]
        out[n - 1 :] = acc_v / n
    return out


class LastN:
    def __init__(self, n: int) -> None:
        self.buf: deque[float] = deque(maxlen=n)

    def push(self, x: float) -> float:
        self.buf.append(x)
        acc = 0.0
        for v in self.buf:
            acc = acc + v
        return acc / len(self.buf)
