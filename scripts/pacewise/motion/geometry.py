"""Small rigid-body helpers written with plain arithmetic on components.

Every function takes components (x, y, z, ...) that are either Python floats or numpy arrays of
equal shape, and the `Math` it should use for the few transcendental calls. The offline analyser
passes numpy columns (vectorised), the live analyser passes floats (no per-call numpy overhead),
and both run literally the same formulas, so they agree to the last bit or close to it.
"""

from __future__ import annotations

import math
from typing import Any, Protocol

import numpy as np

Num = Any  # float or numpy array; kept loose so one body of code serves both
Vec = tuple[Num, Num, Num]


class Math(Protocol):
    def atan2(self, y: Num, x: Num) -> Num: ...
    def sqrt(self, x: Num) -> Num: ...
    def tan(self, x: Num) -> Num: ...
    def acos(self, x: Num) -> Num: ...
    def sin(self, x: Num) -> Num: ...
    def cos(self, x: Num) -> Num: ...


class _Scalar:
    """math-module functions under the names the kernels use."""

    @staticmethod
    def atan2(y: Num, x: Num) -> Num:
        return math.atan2(y, x)

    @staticmethod
    def sqrt(x: Num) -> Num:
        return math.sqrt(x)

    @staticmethod
    def tan(x: Num) -> Num:
        return math.tan(x)

    @staticmethod
    def acos(x: Num) -> Num:
        return math.acos(x)

    @staticmethod
    def sin(x: Num) -> Num:
        return math.sin(x)

    @staticmethod
    def cos(x: Num) -> Num:
        return math.cos(x)


class _Vector:
    @staticmethod
    def atan2(y: Num, x: Num) -> Num:
        return np.arctan2(y, x)

    @staticmethod
    def sqrt(x: Num) -> Num:
        return np.sqrt(x)

    @staticmethod
    def tan(x: Num) -> Num:
        return np.tan(x)

    @staticmethod
    def acos(x: Num) -> Num:
        return np.arccos(x)

    @staticmethod
    def sin(x: Num) -> Num:
        return np.sin(x)

    @staticmethod
    def cos(x: Num) -> Num:
        return np.cos(x)


SCALAR: Math = _Scalar()
VECTOR: Math = _Vector()

DEG = 180.0 / math.pi


def quat_rotate(q: tuple[Num, Num, Num, Num], v: Vec) -> Vec:
    """Rotate v by the unit quaternion q = (x, y, z, w) (Godot order)."""
    qx, qy, qz, qw = q
    vx, vy, vz = v
    # t = 2 * (q_xyz x v); v' = v + w * t + q_xyz x t
    tx = 2.0 * (qy * vz - qz * vy)
    ty = 2.0 * (qz * vx - qx * vz)
    tz = 2.0 * (qx * vy - qy * vx)
    return (
        vx + qw * tx + (qy * tz - qz * ty),
        vy + qw * ty + (qz * tx - qx * tz),
        vz + qw * tz + (qx * ty - qy * tx),
    )


def quat_conj(q: tuple[Num, Num, Num, Num]) -> tuple[Num, Num, Num, Num]:
    return (-q[0], -q[1], -q[2], q[3])


def normalize(v: Vec, m: Math) -> Vec:
    n = m.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2])
    return (v[0] / n, v[1] / n, v[2] / n)


def tilt_rotate(u: Vec, v: Vec) -> Vec:
    """Apply the smallest rotation taking +Y onto the unit vector u to v.

    Rodrigues with k = Y x u (unnormalised): R v = c v + k x v + (k.v) k / (1 + c), c = u_y.
    """
    ux, uy, uz = u
    kx, kz = uz, -ux  # k = (uz, 0, -ux)
    vx, vy, vz = v
    s = (kx * vx + kz * vz) / (1.0 + uy)
    # k x v with ky = 0
    cx = -kz * vy
    cy = kz * vx - kx * vz
    cz = kx * vy
    return (uy * vx + cx + s * kx, uy * vy + cy, uy * vz + cz + s * kz)


def planar_angles(v: Vec, m: Math) -> tuple[Num, Num]:
    """(forward, lateral) inclination of v from vertical in degrees: +forward (-Z), +right (+X)."""
    return (m.atan2(-v[2], v[1]) * DEG, m.atan2(v[0], v[1]) * DEG)


def yaw_deg(vx: Num, vz: Num, m: Math) -> Num:
    """Yaw of a horizontal vector against +X, counter-clockwise seen from above (+Y) positive."""
    return m.atan2(-vz, vx) * DEG


def wrap_deg(a: Num) -> Num:
    """Wrap an angle difference into [-180, 180)."""
    return (a + 180.0) % 360.0 - 180.0


def direction_from_angles(forward_deg: Num, lateral_deg: Num, m: Math) -> Vec:
    """Unit vector whose planar inclinations are the given angles (inverse of planar_angles).

    Angles must stay inside (-90, 90); callers clip.
    """
    tf = m.tan(forward_deg / DEG)
    tl = m.tan(lateral_deg / DEG)
    return normalize((tl, 1.0 + 0.0 * tf, -tf), m)


def quat_from_matrix(r: np.ndarray) -> np.ndarray:
    """(..., 3, 3) rotation matrices to (..., 4) quaternions (x, y, z, w), w >= 0."""
    m00, m11, m22 = r[..., 0, 0], r[..., 1, 1], r[..., 2, 2]
    w = np.sqrt(np.maximum(0.0, 1.0 + m00 + m11 + m22)) / 2.0
    x = np.sqrt(np.maximum(0.0, 1.0 + m00 - m11 - m22)) / 2.0
    y = np.sqrt(np.maximum(0.0, 1.0 - m00 + m11 - m22)) / 2.0
    z = np.sqrt(np.maximum(0.0, 1.0 - m00 - m11 + m22)) / 2.0
    x = np.copysign(x, r[..., 2, 1] - r[..., 1, 2])
    y = np.copysign(y, r[..., 0, 2] - r[..., 2, 0])
    z = np.copysign(z, r[..., 1, 0] - r[..., 0, 1])
    q = np.stack([x, y, z, w], axis=-1)
    return np.asarray(q / np.linalg.norm(q, axis=-1, keepdims=True), dtype=np.float64)


def rot_x(a: np.ndarray) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    o, z = np.ones_like(a), np.zeros_like(a)
    return np.stack(
        [np.stack([o, z, z], -1), np.stack([z, c, -s], -1), np.stack([z, s, c], -1)], -2
    )


def rot_y(a: np.ndarray) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    o, z = np.ones_like(a), np.zeros_like(a)
    return np.stack(
        [np.stack([c, z, s], -1), np.stack([z, o, z], -1), np.stack([-s, z, c], -1)], -2
    )


def rot_z(a: np.ndarray) -> np.ndarray:
    c, s = np.cos(a), np.sin(a)
    o, z = np.ones_like(a), np.zeros_like(a)
    return np.stack(
        [np.stack([c, -s, z], -1), np.stack([s, c, z], -1), np.stack([z, z, o], -1)], -2
    )


def tilt_matrix(u: np.ndarray) -> np.ndarray:
    """(N, 3) unit vectors to (N, 3, 3) smallest rotations taking +Y onto each."""
    cols = [
        tilt_rotate((u[:, 0], u[:, 1], u[:, 2]), e) for e in ((1.0, 0, 0), (0, 1.0, 0), (0, 0, 1.0))
    ]
    return np.stack([np.stack(c, -1) for c in cols], -1)
