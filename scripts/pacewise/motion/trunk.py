"""Trunk angles for one frame or a whole recording: the same formulas for both.

Flexion and lateral flexion come from the hip centre -> C7 line. C7 is reached from the headset
by walking down the head (eyes -> C1, rigid with the head's orientation) and then the neck, whose
chord is taken halfway between "rigid with the trunk" and "rigid with the head": a uniformly
bending cervical spine. So looking up or down, or tilting the head, moves C1 but not C7. The
hip centre stays where calibration put it, plus a pelvis shift that grows with the lean when
standing. A few fixed-point iterations settle the trunk direction these depend on.

Without head orientation (q null), the head is assumed to tilt with the trunk, a little further
(`NECK_FOLLOW`); the trunk direction is solved from the head position alone.

Trunk rotation comes from the controllers' left -> right line, which the exercise keeps at the
chest, so it turns with the thorax and not with the head.
"""

from __future__ import annotations

import math

from pacewise.motion.calibration import NECK_FOLLOW, Calibration
from pacewise.motion.geometry import (
    DEG,
    Math,
    Num,
    Vec,
    direction_from_angles,
    normalize,
    planar_angles,
    quat_rotate,
    tilt_rotate,
    wrap_deg,
    yaw_deg,
)

# C7's drop takes over the tilt from the hip -> C7 direction between these tilts, up to this share
DROP_FROM_DEG = 5.0
DROP_FULL_DEG = 25.0
DROP_WEIGHT = 1.0
ITERATIONS_Q = 3
ITERATIONS_NO_Q = 6
MAX_DEG = 85.0
# Arms held well away from the body (not the instructed posture) swing on past the thorax at the
# end of a rotation (horizontal shoulder ab/adduction, scapular glide). The controller line then
# over-reads the trunk; this share of its turn is attributed to the arms, fully from a span of
# 0.7 H (arms out to the sides) and not at all up to 0.4 H (hands at the chest).
ARM_SWING_SHARE = 0.28
MID_TRUST = 1.0


def _relu(x: Num) -> Num:
    return (abs(x) + x) * 0.5


def _hip(cal: Calibration, u: Vec) -> Vec:
    hx, hy, hz = cal.hip
    return (hx - cal.hip_side * u[0], hy, hz + cal.hip_back * _relu(-u[2]))


def _clip(a: Num) -> Num:
    # (min/max that work for floats and arrays alike)
    return 0.5 * (abs(a + MAX_DEG) - abs(a - MAX_DEG))


def trunk_axis(
    head: Vec,
    q: tuple[Num, Num, Num, Num] | None,
    cal: Calibration,
    m: Math,
) -> Vec:
    """Unit vector along hip centre -> C7."""
    return trunk_axis_c7(head, q, cal, m)[0]


def trunk_axis_c7(
    head: Vec,
    q: tuple[Num, Num, Num, Num] | None,
    cal: Calibration,
    m: Math,
) -> tuple[Vec, Vec]:
    """Unit vector along hip centre -> C7, and C7 as reached down from the head."""
    px, py, pz = head
    if q is not None:
        ex, ey, ez = quat_rotate(q, cal.eye_off)
        c1 = (px - ex, py - ey, pz - ez)
        nh = quat_rotate(q, cal.neck0)
        u = normalize((c1[0] - cal.hip[0], c1[1] - cal.hip[1], c1[2] - cal.hip[2]), m)
        c7 = c1
        for _ in range(ITERATIONS_Q):
            nt = tilt_rotate(u, cal.neck0)
            n = normalize((nh[0] + nt[0], nh[1] + nt[1], nh[2] + nt[2]), m)
            c7 = (
                c1[0] - cal.neck_m * n[0],
                c1[1] - cal.neck_m * n[1],
                c1[2] - cal.neck_m * n[2],
            )
            hip = _hip(cal, u)
            u = normalize((c7[0] - hip[0], c7[1] - hip[1], c7[2] - hip[2]), m)
        return u, c7
    u = normalize((px - cal.hip[0], py - cal.hip[1], pz - cal.hip[2]), m)
    c7 = head
    for _ in range(ITERATIONS_NO_Q):
        f, lat = planar_angles(u, m)
        w = direction_from_angles(
            _clip((1.0 + NECK_FOLLOW) * f), _clip((1.0 + NECK_FOLLOW) * lat), m
        )
        hs = tilt_rotate(w, cal.head_seg)
        hip = _hip(cal, u)
        c7 = (px - hs[0], py - hs[1], pz - hs[2])
        u = normalize((c7[0] - hip[0], c7[1] - hip[1], c7[2] - hip[2]), m)
    return u, c7


def _between(x: Num, lo: float, hi: float) -> Num:
    """(x - lo) / (hi - lo) clipped to [0, 1], for floats and arrays alike."""
    r = (x - lo) / (hi - lo)
    return 0.5 * (abs(r) - abs(r - 1.0) + 1.0)


def _with_drop(u: Vec, c7: Vec, cal: Calibration, m: Math) -> Vec:
    """The trunk direction with its tilt partly taken from how far C7 has dropped.

    C7's drop, L (1 - cos tilt), does not depend on where the pelvis went: people shift it back
    (or away from a side bend) by their own amount, which moves the hip centre the estimate
    assumed and so the direction of hip -> C7. The drop is blind to the direction and flat for
    small tilts, so it only takes over gradually, from DROP_FROM_DEG of tilt; the direction
    (forward or sideways) stays that of u.
    """
    cos_a = u[1]
    cos_v = 1.0 + (c7[1] - cal.c7[1]) / cal.trunk_m
    lo = math.cos(MAX_DEG / DEG)
    cos_v = 0.5 * (abs(cos_v - lo) - abs(cos_v - 1.0) + 1.0 + lo)  # clip to [lo, 1]
    tilt_a = m.acos(0.5 * (abs(cos_a + 1.0) - abs(cos_a - 1.0)))
    tilt_v = m.acos(cos_v)
    w = DROP_WEIGHT * _between(tilt_a * DEG, DROP_FROM_DEG, DROP_FULL_DEG)
    tilt = tilt_a + w * (tilt_v - tilt_a)
    h = m.sqrt(u[0] * u[0] + u[2] * u[2] + 1e-18)  # sin of u's own tilt
    k = m.sin(tilt) / h
    return (u[0] * k, m.cos(tilt), u[2] * k)


def flexion_angles(
    head: Vec, q: tuple[Num, Num, Num, Num] | None, cal: Calibration, m: Math
) -> tuple[Num, Num]:
    """(forward, lateral) flexion in degrees against neutral: + forward, + toward the right."""
    u, c7 = trunk_axis_c7(head, q, cal, m)
    if q is None:  # C7's height is then only as good as the guess of how far the neck bends
        return planar_angles(u, m)
    return planar_angles(_with_drop(u, c7, cal, m), m)


def rotation_angle(
    left: Vec,
    right: Vec,
    cal: Calibration,
    m: Math,
    head: Vec | None = None,
    q: tuple[Num, Num, Num, Num] | None = None,
) -> Num:
    """Trunk yaw against neutral in degrees, + counter-clockwise seen from above (left).

    Two readings of the thorax's turn from the controllers: the yaw of the left -> right line,
    and, when the head's orientation places C7, the yaw of C7 -> the controllers' midpoint (the
    hands orbit the spine). Hands held loose or restless wobble each on their own: a wobble of
    a centimetre turns a 20 cm line by 3 degrees, but the midpoint, 20-40 cm in front of the
    spine, by one. Each reading is weighted by the square of its lever at neutral (the span,
    MID_TRUST times the midpoint's distance), so raised arms lean on the line and hands held in
    front of the body on the midpoint.
    """
    vx = right[0] - left[0]
    vz = right[2] - left[2]
    yaw = wrap_deg(yaw_deg(vx, vz, m) - cal.hand_yaw0)
    if head is not None and q is not None:
        c7 = trunk_axis_c7(head, q, cal, m)[1]
        mx = (left[0] + right[0]) * 0.5 - c7[0]
        mz = (left[2] + right[2]) * 0.5 - c7[2]
        mid = wrap_deg(yaw_deg(mx, mz, m) - cal.mid_yaw0)
        w_line = cal.hand_span0 * cal.hand_span0
        w_mid = MID_TRUST * cal.mid_r0 * cal.mid_r0
        yaw = (w_line * yaw + w_mid * mid) / (w_line + w_mid)
    span = m.sqrt(vx * vx + vz * vz) / cal.height_m
    ext = (span - 0.4) / 0.3
    ext = 0.5 * (abs(ext) - abs(ext - 1.0) + 1.0)  # clip to [0, 1]
    return yaw / (1.0 + ARM_SWING_SHARE / (1.0 - ARM_SWING_SHARE) * ext)
