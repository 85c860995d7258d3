"""Per exercise: which signal is watched for repetitions, in which units, with which rule.

Each exercise turns tracking frames into one signal s (and an optional auxiliary value per
frame). `offline` does it for a whole recording with numpy, `LiveSignal.step` for one frame;
they share the kernels in trunk.py and the filters in filters.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from pacewise.motion.calibration import Calibration
from pacewise.motion.exercise import Exercise as Exercise  # re-exported: one class
from pacewise.motion.filters import CausalMean, LastN, causal_mean, last_n_mean
from pacewise.motion.geometry import (
    DEG,
    SCALAR,
    VECTOR,
    Math,
    Num,
    Vec,
    quat_rotate,
    tilt_rotate,
)
from pacewise.motion.recording import BoolArray, FloatArray, Recording
from pacewise.motion.reps import RepRule
from pacewise.motion.trunk import flexion_angles, rotation_angle, trunk_axis_c7

DEFAULT_MIN_DEG = {
    Exercise.FORWARD_FLEXION: 15.0,
    Exercise.LATERAL_FLEXION: 10.0,
    Exercise.TRUNK_ROTATION: 15.0,
}
# Side names for a positive / negative excursion.
SIDE_NAMES: dict[Exercise, tuple[str | None, str | None]] = {
    Exercise.LATERAL_FLEXION: ("right", "left"),
    Exercise.TRUNK_ROTATION: ("left", "right"),
    Exercise.MARCH: ("left", "right"),
}
STS_MIN_RISE = {True: 0.10, False: 0.04}  # fraction of height: seated rise / standing squat
MARCH_SWAY_M = 0.02  # head sway that counts as one unit of the step signal
MARCH_SWING_M = 0.15  # controller fore-aft difference that counts as one unit
MARCH_DETREND_S = 6.0
MARCH_MIN = 1.2  # a real step reads 2-6
BREATH_SMOOTH_S = 1.0
BREATH_DETREND_S = 16.0
BREATH_MIN_MM = 1.5
# A trunk movement ends only after the angle has stayed near neutral this long: a slow or unsure
# movement that comes most of the way back for a moment is still one repetition.
ANGLE_DWELL_S = 0.4
ANGLE_SMOOTH_N = 5  # trunk angles: mean of the last 5 frames (about 40-70 ms) tames noise peaks


def rule_for(ex: Exercise, cal: Calibration, min_deg: float | None) -> RepRule:
    if ex in DEFAULT_MIN_DEG:
        sides = (1,) if ex is Exercise.FORWARD_FLEXION else (1, -1)
        peak = min_deg if min_deg is not None else DEFAULT_MIN_DEG[ex]
        return RepRule.for_min(peak, sides, ANGLE_DWELL_S)
    if ex is Exercise.SIT_TO_STAND:
        return RepRule.for_min(STS_MIN_RISE[cal.seated] * cal.height_m, (1,))
    if ex is Exercise.MARCH:
        return RepRule.for_min(MARCH_MIN)
    return RepRule.for_min(BREATH_MIN_MM, (1,))


def unit(ex: Exercise) -> str:
    if ex is Exercise.SIT_TO_STAND:
        return "m"
    if ex is Exercise.BREATHING:
        return "mm"
    if ex is Exercise.MARCH:
        return "sway"
    return "deg"


def breath_hand(cal: Calibration) -> str:
    """The controller held to the chest: the higher one in neutral."""
    return "left" if cal.left0[1] >= cal.right0[1] else "right"


def _c1(head: Vec, q: tuple[Num, Num, Num, Num] | None, cal: Calibration) -> Vec:
    """Top of the neck: the headset point less the head's own turn (the head point if no q)."""
    if q is None:
        return head
    e = quat_rotate(q, cal.eye_off)
    return (head[0] - e[0], head[1] - e[1], head[2] - e[2])


def _thorax_flex(c1: Vec, left: Vec, right: Vec, cal: Calibration, m: Math) -> Num:
    """Sagittal lean of the line crossed-hands midpoint -> C1, against neutral (degrees)."""
    mz = (left[2] + right[2]) * 0.5
    my = (left[1] + right[1]) * 0.5
    z0 = (cal.left0[2] + cal.right0[2]) * 0.5
    y0 = (cal.left0[1] + cal.right0[1]) * 0.5
    c1n = cal.c1
    a = m.atan2(-(c1[2] - mz), c1[1] - my)
    a0 = math.atan2(-(c1n[2] - z0), c1n[1] - y0)
    return (a - a0) * DEG


def _swing(left: Vec, right: Vec, cal: Calibration) -> Num:
    """Opposite fore-aft swing of the controllers against neutral (+ when the left is back)."""
    d0 = cal.left0[2] - cal.right0[2]
    return (left[2] - right[2] - d0) / MARCH_SWING_M


def _chest_mm(
    head: Vec, q: tuple[Num, Num, Num, Num] | None, hand: Vec, cal: Calibration, m: Math
) -> Num:
    """Chest controller along the trunk's forward axis, from C7 (mm).

    Measured from C7 and in the trunk's frame so that the whole body swaying or the trunk
    leaning, which move the chest against the head and the room, do not read as breathing.
    """
    u, c7 = trunk_axis_c7(head, q, cal, m)
    f = tilt_rotate(u, (0.0, 0.0, -1.0))
    return ((hand[0] - c7[0]) * f[0] + (hand[1] - c7[1]) * f[1] + (hand[2] - c7[2]) * f[2]) * 1000.0


def _head_q(
    rec: Recording, cal: Calibration, ok: BoolArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray] | None:
    if not cal.has_q:
        return None
    q = rec.head.q[ok]
    return (q[:, 0], q[:, 1], q[:, 2], q[:, 3])


def _cols(p: FloatArray) -> Vec:
    return (p[:, 0], p[:, 1], p[:, 2])


@dataclass(frozen=True)
class Series:
    """The watched signal on the frames where it could be computed."""

    frames: BoolArray  # which recording frames are used
    t: FloatArray
    s: FloatArray
    aux: FloatArray | None


def needs(ex: Exercise, cal: Calibration) -> tuple[bool, bool, bool]:
    """Which devices (head, left, right) a frame must have tracked to count."""
    if ex in (Exercise.FORWARD_FLEXION, Exercise.LATERAL_FLEXION):
        return (True, False, False)
    if ex is Exercise.TRUNK_ROTATION:  # the head only where its orientation places C7
        return (cal.has_q, True, True)
    if ex is Exercise.BREATHING:
        return (True, breath_hand(cal) == "left", breath_hand(cal) == "right")
    return (True, True, True)


def offline(rec: Recording, cal: Calibration, ex: Exercise) -> Series:
    need = needs(ex, cal)
    ok = np.ones(len(rec), dtype=np.bool_)
    for flag, dev in zip(need, (rec.head, rec.left, rec.right), strict=True):
        if flag:
            ok &= dev.ok
    if cal.has_q and need[0]:
        ok &= rec.head.has_q
    t = rec.t[ok]
    qv = _head_q(rec, cal, ok)
    head = _cols(rec.head.p[ok])
    left = _cols(rec.left.p[ok])
    right = _cols(rec.right.p[ok])
    aux: FloatArray | None = None
    if ex is Exercise.FORWARD_FLEXION:
        s = last_n_mean(flexion_angles(head, qv, cal, VECTOR)[0], ANGLE_SMOOTH_N)
    elif ex is Exercise.LATERAL_FLEXION:
        s = last_n_mean(flexion_angles(head, qv, cal, VECTOR)[1], ANGLE_SMOOTH_N)
    elif ex is Exercise.TRUNK_ROTATION:
        s = last_n_mean(rotation_angle(left, right, cal, VECTOR, head, qv), ANGLE_SMOOTH_N)
    elif ex is Exercise.SIT_TO_STAND:
        c1 = _c1(head, qv, cal)
        rise = c1[1] - cal.c1[1]
        s = rise if cal.seated else -rise
        aux = _thorax_flex(c1, left, right, cal, VECTOR)
    elif ex is Exercise.MARCH:
        hx = _c1(head, qv, cal)[0]
        s = (hx - causal_mean(t, hx, MARCH_DETREND_S)) / MARCH_SWAY_M + _swing(left, right, cal)
    else:
        hand = left if breath_hand(cal) == "left" else right
        raw = _chest_mm(head, qv, hand, cal, VECTOR)
        s = causal_mean(t, raw, BREATH_SMOOTH_S) - causal_mean(t, raw, BREATH_DETREND_S)
    return Series(ok, t, np.asarray(s, dtype=np.float64), aux)


class LiveSignal:
    """One frame in, (s, aux) out, or None when the frame cannot be used."""

    def __init__(self, ex: Exercise, cal: Calibration) -> None:
        self.ex = ex
        self.cal = cal
        self.need = needs(ex, cal)
        self.hand_left = breath_hand(cal) == "left"
        self.f1 = CausalMean(MARCH_DETREND_S if ex is Exercise.MARCH else BREATH_SMOOTH_S)
        self.f2 = CausalMean(MARCH_DETREND_S if ex is Exercise.MARCH else BREATH_DETREND_S)
        self.smooth = LastN(ANGLE_SMOOTH_N)

    def step(
        self,
        t: float,
        head: Vec,
        head_q: tuple[float, float, float, float] | None,
        left: Vec,
        right: Vec,
        ok: tuple[bool, bool, bool],
    ) -> tuple[float, float] | None:
        need, cal, ex = self.need, self.cal, self.ex
        if (need[0] and not ok[0]) or (need[1] and not ok[1]) or (need[2] and not ok[2]):
            return None
        q = head_q if cal.has_q else None
        if cal.has_q and need[0] and head_q is None:
            return None
        if ex is Exercise.FORWARD_FLEXION:
            return self.smooth.push(float(flexion_angles(head, q, cal, SCALAR)[0])), math.nan
        if ex is Exercise.LATERAL_FLEXION:
            return self.smooth.push(float(flexion_angles(head, q, cal, SCALAR)[1])), math.nan
        if ex is Exercise.TRUNK_ROTATION:
            angle = rotation_angle(left, right, cal, SCALAR, head, q)
            return self.smooth.push(float(angle)), math.nan
        if ex is Exercise.SIT_TO_STAND:
            c1 = _c1(head, q, cal)
            rise = c1[1] - cal.c1[1]
            aux = _thorax_flex(c1, left, right, cal, SCALAR)
            return (rise if cal.seated else -rise), float(aux)
        if ex is Exercise.MARCH:
            hx = _c1(head, q, cal)[0]
            s = (hx - self.f1.push(t, hx)) / MARCH_SWAY_M + _swing(left, right, cal)
            return s, math.nan
        hand = left if self.hand_left else right
        raw = float(_chest_mm(head, q, hand, cal, SCALAR))
        return self.f1.push(t, raw) - self.f2.push(t, raw), math.nan
