"""Repetitions: excursions of a signal away from neutral and back, with hysteresis.

One rule, written twice: `RepDetector` (a frame at a time, for the game) and `detect` (numpy on a
whole recording). Each frame sets an event from the signal s:
  s > enter -> +1, s < -enter -> -1,
  |s| < leave, and it has been since at least `dwell_s` ago -> 0,
  otherwise no event;
the state is the latest event. An excursion is a run of one non-zero state, and it is a
repetition when its peak |s| reaches `min_peak` on an allowed side. It ends where the state
changes: at the first frame of the quiet run that set 0, or at the frame that crossed to the other
side. It starts at the last frame that was near neutral (|s| <= `low`) or the end of the previous
excursion. The dwell keeps one slow or hesitant movement that comes back close to neutral for a
moment from counting twice. Because the state is "the latest event", a forward fill computes the
same states as the loop, so both ways find the same repetitions.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from pacewise.motion.recording import FloatArray

MAX_REP_S = 60.0  # samples kept for a repetition's quality; bounds live memory


@dataclass(frozen=True)
class RepRule:
    min_peak: float
    enter: float
    leave: float
    low: float
    sides: tuple[int, ...] = (1, -1)
    dwell_s: float = 0.0  # how long |s| must stay under `leave` to end an excursion

    @staticmethod
    def for_min(min_peak: float, sides: tuple[int, ...] = (1, -1), dwell_s: float = 0.0) -> RepRule:
        """Thresholds as fractions of the minimum peak: in at 60 %, out at 40 %, start at 20 %."""
        return RepRule(min_peak, 0.6 * min_peak, 0.4 * min_peak, 0.2 * min_peak, sides, dwell_s)


@dataclass(frozen=True)
class Excursion:
    sign: int
    start: int
    peak: int
    end: int
    peak_value: float  # |s| at the peak
    is_rep: bool


@dataclass(frozen=True)
class Segment:
    """A completed excursion with its samples (for quality), as both detectors hand it out."""

    excursion: Excursion
    t: FloatArray
    s: FloatArray
    aux: FloatArray


class RepDetector:
    """Frame-by-frame detector; memory is bounded by `MAX_REP_S` of samples."""

    def __init__(self, rule: RepRule) -> None:
        self.rule = rule
        self.state = 0
        self.index = -1
        self.last_mark = 0
        self.start_mark = 0
        self.run_start = 0
        self.peak_i = 0
        self.peak_v = -math.inf
        self.quiet_i = -1  # first frame of the current run with |s| < leave (-1: not quiet)
        self.quiet_t = 0.0
        self.buf: deque[tuple[int, float, float, float]] = deque()

    def push(self, t: float, s: float, aux: float = math.nan) -> Segment | None:
        r = self.rule
        self.index += 1
        i = self.index
        buf = self.buf
        buf.append((i, t, s, aux))
        while t - buf[0][1] > MAX_REP_S:
            buf.popleft()
        a = abs(s)
        if a < r.leave:
            if self.quiet_i < 0:
                self.quiet_i, self.quiet_t = i, t
        else:
            self.quiet_i = -1
        if s > r.enter:
            new = 1
        elif s < -r.enter:
            new = -1
        elif self.quiet_i >= 0 and t - self.quiet_t >= r.dwell_s:
            new = 0
        else:
            new = self.state
        old = self.state
        self.state = new
        done: Segment | None = None
        if new != old:
            if old != 0:
                done = self._finish(old, self.quiet_i if new == 0 else i)
                self.last_mark = i
            if new != 0:
                self.run_start = i
                self.start_mark = self.last_mark  # near neutral before it (dips inside move it)
                self.peak_i = i
                self.peak_v = new * s
        elif new != 0 and new * s > self.peak_v:
            self.peak_i = i
            self.peak_v = new * s
        if a <= r.low:
            self.last_mark = i
        if new == 0 and self.last_mark == i:
            while len(buf) > 1:
                buf.popleft()
        return done

    def _finish(self, sign: int, end: int) -> Segment:
        start = max(self.start_mark, self.buf[0][0])
        rows = [row for row in self.buf if start <= row[0] <= end]
        ex = Excursion(
            sign=sign,
            start=start,
            peak=self.peak_i,
            end=end,
            peak_value=self.peak_v,
            is_rep=self.peak_v >= self.rule.min_peak and sign in self.rule.sides,
        )
        arr = np.array([row[1:] for row in rows], dtype=np.float64)
        return Segment(ex, arr[:, 0], arr[:, 1], arr[:, 2])


def _first_within(t: FloatArray, e: int) -> int:
    """First j <= e with t[e] - t[j] <= MAX_REP_S, by the live buffer's own comparison."""
    j = int(np.searchsorted(t, t[e] - MAX_REP_S, side="left"))
    while j > 0 and t[e] - t[j - 1] <= MAX_REP_S:
        j -= 1
    while j < e and t[e] - t[j] > MAX_REP_S:
        j += 1
    return j


def detect(
    t: FloatArray, s: FloatArray, rule: RepRule, aux: FloatArray | None = None
) -> list[Segment]:
    """All completed excursions of s (vectorised). Same output as feeding `RepDetector`."""
    n = s.shape[0]
    if n == 0:
        return []
    aux_arr = np.full(n, math.nan) if aux is None else aux
    ev = np.full(n, 2, dtype=np.int8)
    a = np.abs(s)
    quiet = a < rule.leave
    # first frame of each quiet run, for every frame in it
    run = np.maximum.accumulate(np.where(quiet, 0, np.arange(1, n + 1)))
    run = np.minimum(run, n - 1)
    ev[quiet & (t - t[run] >= rule.dwell_s)] = 0
    ev[s > rule.enter] = 1
    ev[s < -rule.enter] = -1
    idx = np.where(ev != 2, np.arange(n), -1)
    last = np.maximum.accumulate(idx)
    state = np.where(last >= 0, ev[np.maximum(last, 0)], 0).astype(np.int8)
    prev = np.concatenate(([0], state[:-1])).astype(np.int8)
    changed = state != prev
    ends = np.flatnonzero(changed & (prev != 0))
    starts = np.flatnonzero(changed & (state != 0))
    mark = (a <= rule.low) | (changed & (prev != 0))
    mark[0] = True
    last_mark = np.maximum.accumulate(np.where(mark, np.arange(n), 0))
    out: list[Segment] = []
    for b in starts:
        k = int(np.searchsorted(ends, b, side="right"))
        if k == ends.size:
            break
        e = int(ends[k])
        sign = int(state[b])
        end = int(run[e]) if state[e] == 0 else e
        seg = sign * s[b:e]
        p = int(b + np.argmax(seg))
        first_kept = _first_within(t, e)
        start = max(int(last_mark[b]), first_kept)
        peak_v = float(sign * s[p])
        ex = Excursion(
            sign=sign,
            start=start,
            peak=p,
            end=end,
            peak_value=peak_v,
            is_rep=peak_v >= rule.min_peak and sign in rule.sides,
        )
        sl = slice(start, end + 1)
        out.append(Segment(ex, t[sl].copy(), s[sl].copy(), aux_arr[sl].copy()))
    return out
