"""Neutral-posture calibration: where the hip centre and C7 are, from the first seconds.

Only the headset and the controllers are tracked, so the hip centre and C7 are placed from the
neutral head pose and average body proportions (`Anthropometry`, scaled by the subject's height,
or by a height estimated from head height and posture). Every angle is then measured against
this neutral: errors in the absolute placement largely cancel, and what is left is the lever
lengths, which scale with height.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from pacewise.motion.body import Anthropometry
from pacewise.motion.geometry import DEG, SCALAR, quat_rotate, yaw_deg
from pacewise.motion.recording import Recording

Vec3 = tuple[float, float, float]

# How far a pelvis shifts for a unit of trunk lean, as a fraction of height: back in a standing
# forward bend (keeps the centre of mass over the feet), opposite to a standing side bend.
HIP_BACK_SHIFT = 0.07
HIP_SIDE_SHIFT = 0.04
# Without head orientation the head is assumed to tilt (1 + NECK_FOLLOW) times the trunk: in a
# bend the cervical spine continues the curve of the thoracolumbar spine.
NECK_FOLLOW = 0.5
HEIGHT_RANGE = (1.40, 2.05)


@dataclass(frozen=True)
class Calibration:
    """Everything the per-frame estimator needs, as plain floats (cheap in the live loop)."""

    height_m: float
    height_source: str  # "header" or "estimated"
    seated: bool
    has_q: bool
    trunk_m: float
    neck_m: float
    eye_off: Vec3  # head frame: C1 -> eyes
    neck0: Vec3  # neck chord C7 -> C1 with the trunk upright and the head level (world)
    head0: Vec3  # mean head position in the neutral window
    c1: Vec3  # top of the neck in neutral (the head point when there is no orientation)
    c7: Vec3
    hip: Vec3
    head_seg: Vec3  # C7 -> head point at neutral, for the no-orientation model
    hip_back: float  # metres of pelvis shift per unit forward trunk component
    hip_side: float
    hand_yaw0: float  # degrees, yaw of the left -> right controller line at neutral
    hand_span0: float
    left0: Vec3
    right0: Vec3
    warnings: tuple[str, ...] = field(default=())
    mid_yaw0: float = 0.0  # degrees, yaw of C7 -> controllers' midpoint at neutral
    mid_r0: float = 0.0  # metres, horizontal distance C7 -> controllers' midpoint at neutral
    facing_deg: float = 0.0  # how far the room was turned to face the subject along -Z (facing.py)

    def summary(self) -> dict[str, object]:
        def r(v: Vec3) -> list[float]:
            return [round(x, 4) for x in v]

        return {
            "height_m": round(self.height_m, 3),
            "height_source": self.height_source,
            "posture": "seated" if self.seated else "standing",
            "head_orientation": self.has_q,
            "trunk_length_m": round(self.trunk_m, 3),
            "head": r(self.head0),
            "c7": r(self.c7),
            "hip_centre": r(self.hip),
            "hand_line_yaw_deg": round(self.hand_yaw0, 2),
            "facing_deg": round(self.facing_deg, 2),
        }


class CalibrationError(ValueError):
    pass


def _mean_quat(q: np.ndarray) -> np.ndarray:
    ref = q[0]
    signs = np.where(q @ ref < 0.0, -1.0, 1.0)
    m = (q * signs[:, None]).mean(axis=0)
    return np.asarray(m / np.linalg.norm(m), dtype=np.float64)


def _v(a: np.ndarray) -> Vec3:
    return (float(a[0]), float(a[1]), float(a[2]))


def calibrate(rec: Recording, body: Anthropometry | None = None) -> Calibration:
    """Calibrate from the recording's neutral window (its first `calibration_s` seconds)."""
    header = rec.header
    seated = header.posture == "seated"
    window = rec.t - rec.t[0] <= header.calibration_s
    head_ok = window & rec.head.ok
    if np.count_nonzero(head_ok) < 3:
        raise CalibrationError("too few tracked head frames in the calibration window")
    warnings: list[str] = []
    head0 = rec.head.p[head_ok].mean(axis=0)
    spread = float(np.max(np.linalg.norm(rec.head.p[head_ok] - head0, axis=1)))
    if spread > 0.05:
        warnings.append(
            f"the head moved {spread * 100:.0f} cm during calibration; neutral may be off"
        )
    has_q = bool(np.all(rec.head.has_q[head_ok]))
    q0 = _mean_quat(rec.head.q[head_ok]) if has_q else np.array([0.0, 0.0, 0.0, 1.0])

    base = body or Anthropometry()
    height = header.subject.height_m if header.subject and header.subject.height_m else None
    source = "header"
    if height is None:
        ratio = (
            (base.seat_hip + base.hip_eye_ratio()) if seated else base.hip + base.hip_eye_ratio()
        )
        height = min(max(float(head0[1]) / ratio, HEIGHT_RANGE[0]), HEIGHT_RANGE[1])
        source = "estimated"
        warnings.append(f"no subject height; estimated {height:.2f} m from head height")
    b = Anthropometry(height_m=height) if body is None else body
    eye_off = (0.0, b.m(b.eye_up), -b.m(b.eye_fwd))
    a = b.neck_tilt_deg / DEG
    neck0 = (0.0, b.m(b.neck) * math.cos(a), -b.m(b.neck) * math.sin(a))
    qt = (float(q0[0]), float(q0[1]), float(q0[2]), float(q0[3]))
    e = quat_rotate(qt, eye_off)
    c1 = head0 - np.array(e)
    nh = np.array(quat_rotate(qt, neck0)) + np.array(neck0)
    chord = b.m(b.neck) * nh / np.linalg.norm(nh)
    c7 = c1 - chord
    trunk = b.m(b.trunk)
    hip = c7 - np.array([0.0, trunk, 0.0])

    both = window & rec.left.ok & rec.right.ok
    if np.count_nonzero(both) >= 3:
        left0 = rec.left.p[both].mean(axis=0)
        right0 = rec.right.p[both].mean(axis=0)
    else:
        warnings.append("controllers were not tracked during calibration")
        left0 = head0 + np.array([-0.2, -0.5, -0.2])
        right0 = head0 + np.array([0.2, -0.5, -0.2])
    line = right0 - left0
    mid = 0.5 * (left0 + right0) - c7
    return Calibration(
        height_m=float(height),
        height_source=source,
        seated=seated,
        has_q=has_q,
        trunk_m=trunk,
        neck_m=b.m(b.neck),
        eye_off=eye_off,
        neck0=neck0,
        head0=_v(head0),
        c1=_v(c1) if has_q else _v(head0),
        c7=_v(c7),
        hip=_v(hip),
        head_seg=_v(head0 - c7),
        hip_back=0.0 if seated else HIP_BACK_SHIFT * height,
        hip_side=0.0 if seated else HIP_SIDE_SHIFT * height,
        hand_yaw0=float(yaw_deg(float(line[0]), float(line[2]), SCALAR)),
        hand_span0=float(math.hypot(line[0], line[2])),
        left0=_v(left0),
        right0=_v(right0),
        warnings=tuple(warnings),
        mid_yaw0=float(yaw_deg(float(mid[0]), float(mid[2]), SCALAR)),
        mid_r0=float(math.hypot(mid[0], mid[2])),
    )
