"""The body's own frame: turn the tracking space so that the subject faces -Z.

The format says forward is -Z, but a tracking space is set up once and people stand where and
how they like: facing 10-20 degrees off its axes is ordinary. Forward and lateral flexion are
inclinations in the body's sagittal and frontal planes, so a turned room would read part of a
forward bend as a side bend. The neutral window gives the facing: the headset's forward
direction when head orientation is known (people look ahead while calibrating), else the normal
of the controller line. Every frame is then turned about +Y by minus that angle, before
calibration and before any angle is computed, offline and live alike.
"""

from __future__ import annotations

import math

import numpy as np

from pacewise.motion.geometry import DEG, SCALAR, quat_rotate, wrap_deg, yaw_deg
from pacewise.motion.recording import Device, Recording

MAX_FACING_DEG = 60.0  # beyond this the neutral window is not a person facing the play area


def facing_deg(rec: Recording, window_s: float) -> float:
    """Yaw of the subject's forward against -Z in the neutral window (+ counter-clockwise)."""
    window = rec.t - rec.t[0] <= window_s
    head = window & rec.head.ok & rec.head.has_q
    if np.count_nonzero(head) >= 3 and np.all(rec.head.has_q[window & rec.head.ok]):
        q = rec.head.q[head]
        q = q * np.where(q @ q[0] < 0.0, -1.0, 1.0)[:, None]
        m = q.mean(axis=0)
        m = m / np.linalg.norm(m)
        f = quat_rotate((float(m[0]), float(m[1]), float(m[2]), float(m[3])), (0.0, 0.0, -1.0))
        if math.hypot(f[0], f[2]) > 0.3:  # not looking straight down or up
            return _clip(float(wrap_deg(yaw_deg(f[0], f[2], SCALAR) - 90.0)))
    both = window & rec.left.ok & rec.right.ok
    if np.count_nonzero(both) >= 3:
        line = rec.right.p[both].mean(axis=0) - rec.left.p[both].mean(axis=0)
        if math.hypot(line[0], line[2]) > 0.1:
            return _clip(float(yaw_deg(float(line[0]), float(line[2]), SCALAR)))
    return 0.0


def _clip(a: float) -> float:
    return 0.0 if abs(a) > MAX_FACING_DEG else a


def turn(rec: Recording, deg: float) -> Recording:
    """The recording seen from a room turned by -deg about +Y (so that facing deg -> 0)."""
    if deg == 0.0:
        return rec
    c, s = math.cos(-deg / DEG), math.sin(-deg / DEG)
    hy, hw = math.sin(-deg / (2 * DEG)), math.cos(-deg / (2 * DEG))

    def dev(d: Device) -> Device:
        p = d.p
        out = np.stack([c * p[:, 0] + s * p[:, 2], p[:, 1], -s * p[:, 0] + c * p[:, 2]], -1)
        q = d.q
        r = np.stack(
            [
                hw * q[:, 0] + hy * q[:, 2],
                hw * q[:, 1] + hy * q[:, 3],
                hw * q[:, 2] - hy * q[:, 0],
                hw * q[:, 3] - hy * q[:, 1],
            ],
            -1,
        )
        return Device(p=out, q=r, ok=d.ok)

    return Recording(rec.header, rec.t, dev(rec.head), dev(rec.left), dev(rec.right))


class Turner:
    """The same turn for one frame at a time (the live analyser), in plain floats."""

    def __init__(self, deg: float) -> None:
        self.c, self.s = math.cos(-deg / DEG), math.sin(-deg / DEG)
        self.hy, self.hw = math.sin(-deg / (2 * DEG)), math.cos(-deg / (2 * DEG))

    def p(self, v: tuple[float, float, float]) -> tuple[float, float, float]:
        c, s = self.c, self.s
        return (c * v[0] + s * v[2], v[1], -s * v[0] + c * v[2])

    def q(self, q: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        hy, hw = self.hy, self.hw
        return (
            hw * q[0] + hy * q[2],
            hw * q[1] + hy * q[3],
            hw * q[2] - hy * q[0],
            hw * q[3] - hy * q[1],
        )
