"""The analyser the game runs: one tracking frame in, newly completed repetitions out.

It buffers the neutral window, calibrates from it exactly as the offline analyser does, replays
those frames, and from then on keeps only bounded state (the repetition detector's samples, a
few filter windows). Same signal kernels and the same detection rule as `analyzer.analyze`, so a
recording fed through it frame by frame gives the same repetitions.

    live = LiveAnalyzer("lateral_flexion", posture="seated", calibration_s=3.0, height_m=1.70)
    for frame in frames:
        for rep in live.update(frame.t, head_p, left_p, right_p, head_q=q):
            ...  # a Rep: start_t, peak_t, end_t, peak_deg, side, quality
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

import numpy as np

from pacewise.motion.analyzer import Rep, make_rep
from pacewise.motion.calibration import Calibration, CalibrationError, calibrate
from pacewise.motion.facing import Turner, facing_deg, turn
from pacewise.motion.recording import Device, Header, Recording, Subject
from pacewise.motion.reps import RepDetector
from pacewise.motion.signals import Exercise, LiveSignal, rule_for
from pacewise.motion.tracking_frame import TrackingFrame

V3 = tuple[float, float, float]
Q4 = tuple[float, float, float, float]
_Frame = tuple[float, V3, Q4 | None, V3, V3, tuple[bool, bool, bool]]


class LiveAnalyzer:
    """Frame-by-frame trunk-exercise analysis with bounded memory.

    `update` costs a few tens of microseconds per frame; it never reads a clock, the frame time
    `t` (seconds, increasing) is the only time it knows.
    """

    def __init__(
        self,
        exercise: Exercise | str,
        *,
        posture: Literal["standing", "seated"] = "standing",
        calibration_s: float = 3.0,
        height_m: float | None = None,
        hz: float = 90.0,
        min_deg: float | None = None,
    ) -> None:
        self.exercise = Exercise(exercise)
        self.header = Header(
            format="pacewise.tracking",
            version=1,
            hz=hz,
            calibration_s=calibration_s,
            posture=posture,
            subject=Subject(height_m=height_m) if height_m else None,
            exercise=self.exercise.value,
        )
        self.min_deg = min_deg
        self._pending: list[_Frame] | None = []
        self._t0: float | None = None
        self._cal: Calibration | None = None
        self._signal: LiveSignal | None = None
        self._detector: RepDetector | None = None
        self._turner: Turner | None = None
        self.value: float | None = None  # latest watched signal (degrees for trunk angles)
        self.recalibrations = 0  # neutral windows that had to be started again

    @classmethod
    def from_header(
        cls, header: Header, exercise: Exercise | str | None = None, min_deg: float | None = None
    ) -> LiveAnalyzer:
        ex = exercise or header.exercise
        if ex is None:
            raise ValueError("no exercise given and the header names none")
        return cls(
            ex,
            posture=header.posture,
            calibration_s=header.calibration_s,
            height_m=header.subject.height_m if header.subject else None,
            hz=header.hz,
            min_deg=min_deg,
        )

    @property
    def calibration(self) -> Calibration | None:
        """None until the neutral window has passed."""
        return self._cal

    def update_frame(self, frame: TrackingFrame) -> list[Rep]:
        def v3(p: list[float]) -> V3:
            return (p[0], p[1], p[2])

        q = frame.head.q
        return self.update(
            frame.t,
            v3(frame.head.p),
            v3(frame.left.p),
            v3(frame.right.p),
            head_q=(q[0], q[1], q[2], q[3]) if q is not None else None,
            head_ok=frame.head.ok,
            left_ok=frame.left.ok,
            right_ok=frame.right.ok,
        )

    def update(
        self,
        t: float,
        head_p: V3,
        left_p: V3,
        right_p: V3,
        *,
        head_q: Q4 | None = None,
        head_ok: bool = True,
        left_ok: bool = True,
        right_ok: bool = True,
    ) -> list[Rep]:
        """Feed one frame; returns the repetitions completed by it (usually none)."""
        frame: _Frame = (t, head_p, head_q, left_p, right_p, (head_ok, left_ok, right_ok))
        if self._pending is not None:
            if self._t0 is None:
                self._t0 = t
            if t - self._t0 <= self.header.calibration_s:
                self._pending.append(frame)
                return []
            return self._start(frame)
        return self._step(frame)

    def _start(self, frame: _Frame) -> list[Rep]:
        pending = self._pending or []
        rec = _recording(self.header, pending)
        deg = facing_deg(rec, self.header.calibration_s)
        try:
            self._cal = replace(calibrate(turn(rec, deg)), facing_deg=deg)
        except CalibrationError:
            # e.g. the headset lost tracking for the whole neutral window: start a new window
            # rather than fail the session; the game sees `calibration` still None
            self._pending = [frame]
            self._t0 = frame[0]
            self.recalibrations += 1
            return []
        self._pending = None
        self._turner = Turner(deg) if deg != 0.0 else None
        self._signal = LiveSignal(self.exercise, self._cal)
        self._detector = RepDetector(rule_for(self.exercise, self._cal, self.min_deg))
        out: list[Rep] = []
        for f in pending:
            out += self._step(f)
        return out + self._step(frame)

    def _step(self, frame: _Frame) -> list[Rep]:
        assert self._signal is not None and self._detector is not None and self._cal is not None
        t, head, q, left, right, ok = frame
        turner = self._turner
        if turner is not None:  # into the body's own frame, as the offline analyser does
            head, left, right = turner.p(head), turner.p(left), turner.p(right)
            q = turner.q(q) if q is not None else None
        got = self._signal.step(t, head, q, left, right, ok)
        if got is None:
            return []
        s, aux = got
        self.value = s
        seg = self._detector.push(t, s, aux)
        if seg is None or not seg.excursion.is_rep:
            return []
        return [make_rep(seg, self.exercise, self._cal)]


def _recording(header: Header, frames: list[_Frame]) -> Recording:
    t = np.array([f[0] for f in frames], dtype=np.float64)

    def dev(k: int, ok_i: int, q: bool) -> Device:
        p = np.array([f[k] for f in frames], dtype=np.float64).reshape(-1, 3)
        qs = np.array(
            [(f[2] if (q and f[2] is not None) else (np.nan,) * 4) for f in frames],
            dtype=np.float64,
        ).reshape(-1, 4)
        ok = np.array([f[5][ok_i] for f in frames], dtype=np.bool_)
        return Device(p=p, q=qs, ok=ok)

    return Recording(
        header=header, t=t, head=dev(1, 0, True), left=dev(3, 1, False), right=dev(4, 2, False)
    )


def replay(rec: Recording, exercise: Exercise | str, min_deg: float | None = None) -> list[Rep]:
    """Feed a whole recording through the live analyser (for tests and the benchmark)."""
    live = LiveAnalyzer.from_header(rec.header, exercise, min_deg)
    out: list[Rep] = []
    hp, lp, rp, hq = rec.head.p.tolist(), rec.left.p.tolist(), rec.right.p.tolist(), rec.head.q
    has_q = rec.head.has_q
    for i in range(len(rec)):
        q = tuple(hq[i].tolist()) if has_q[i] else None
        out += live.update(
            float(rec.t[i]),
            tuple(hp[i]),
            tuple(lp[i]),
            tuple(rp[i]),
            head_q=q,
            head_ok=bool(rec.head.ok[i]),
            left_ok=bool(rec.left.ok[i]),
            right_ok=bool(rec.right.ok[i]),
        )
    return out
