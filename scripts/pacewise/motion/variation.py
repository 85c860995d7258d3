"""How one synthetic subject differs from the plain, instruction-following patient.

The plain patient shares the estimator's assumptions: the head turns a little with the trunk,
hands stay at the sternum, the room's axes are the body's. Real people do not. A `Variation`
holds one subject's departures, each drawn over a realistic range by `draw`:

- the head turning further than the trunk (people turn the head about twice as far) and quick
  glances away; head pitch and roll that follow a bend by their own gain;
- the hips shifting and turning with the trunk, by the subject's own amount;
- hands held loose, at the controller's grip offset, wobbling, or raised out to the sides;
- body proportions further from the average;
- the tracking space offset and turned from the body, and drifting slowly;
- more and longer tracking dropouts (drawn in `random_spec`, as is the frame rate, 72-120 Hz).

Draws come from the subject's own generator, separate from the movement plan's, so the plain
patient (no variation) is unchanged by this module.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np

from pacewise.motion.exercise import Exercise


class Hands(enum.StrEnum):
    """How the controllers are held during trunk rotation."""

    HELD = "held"  # at the sternum, as instructed
    LOOSE = "loose"  # in front of the body, lower, not rigid with the chest
    GRIP = "grip"  # at the chest, but the tracked point is the controller's, a hand's width off
    WOBBLY = "wobbly"  # at the chest, restless
    RAISED = "raised"  # arms out to the sides at shoulder height


@dataclass(frozen=True)
class Variation:
    head_yaw_gain: float  # head yaw on the neck per degree of trunk rotation
    glances: int  # quick head turns away, each 0.4-1.5 s
    head_pitch_gain: float  # head pitch on the neck per degree of forward flexion
    head_roll_gain: float  # head roll on the neck per degree of lateral flexion
    hip_back: float  # pelvis shift back in a standing forward bend (fraction of height)
    hip_side: float  # pelvis shift away from a standing side bend (fraction of height)
    hip_sway: float  # pelvis sideways with sin(rotation) (fraction of height, signed)
    hip_turn: float  # pelvis forward with 1 - cos(rotation) (fraction of height)
    hands: Hands
    arm_gain: float  # the arms turn this much further than the thorax (raised, loose)
    wobble_m: float  # hand drift, sd
    proportion_spread: float  # relative sd of segment lengths around the average
    room_yaw_deg: float  # tracking space turned against the body's facing
    room_offset_m: tuple[float, float, float]
    drift_m_per_min: tuple[float, float, float]
    drift_deg_per_min: float


def draw(rng: np.random.Generator, ex: Exercise) -> Variation:
    """One subject's departures from the plain patient, over ranges seen in people."""
    hands = Hands.HELD
    arm_gain = 0.0
    wobble = float(rng.uniform(0.002, 0.006))
    if ex is Exercise.TRUNK_ROTATION:
        hands = Hands(str(rng.choice([h.value for h in Hands])))
        if hands is Hands.LOOSE:
            arm_gain = float(rng.uniform(-0.1, 0.15))
            wobble = float(rng.uniform(0.006, 0.012))
        elif hands is Hands.WOBBLY:
            wobble = float(rng.uniform(0.006, 0.010))
        elif hands is Hands.RAISED:
            arm_gain = float(rng.uniform(0.2, 0.55))
            wobble = float(rng.uniform(0.008, 0.02))
    return Variation(
        head_yaw_gain=float(rng.uniform(0.0, 1.3)),
        glances=int(rng.integers(0, 4)),
        head_pitch_gain=float(rng.uniform(-0.6, 1.0)),
        head_roll_gain=float(rng.uniform(-0.3, 1.0)),
        hip_back=float(rng.uniform(0.04, 0.11)),
        hip_side=float(rng.uniform(0.0, 0.09)),
        hip_sway=float(rng.uniform(-0.04, 0.04)),
        hip_turn=float(rng.uniform(0.0, 0.05)),
        hands=hands,
        arm_gain=arm_gain,
        wobble_m=wobble,
        proportion_spread=float(rng.uniform(0.03, 0.07)),
        room_yaw_deg=float(rng.uniform(-20.0, 20.0)),
        room_offset_m=(
            float(rng.uniform(-1.5, 1.5)),
            float(rng.uniform(-0.03, 0.03)),
            float(rng.uniform(-1.5, 1.5)),
        ),
        drift_m_per_min=(
            float(rng.normal(0.0, 0.006)),
            float(rng.normal(0.0, 0.002)),
            float(rng.normal(0.0, 0.006)),
        ),
        drift_deg_per_min=float(rng.normal(0.0, 0.5)),
    )


def glance_yaw(rng: np.random.Generator, v: Variation, t: np.ndarray, lo: float) -> np.ndarray:
    """Quick head turns away (degrees on the neck), after the neutral window `lo`."""
    out = np.zeros_like(t)
    end = float(t[-1]) if t.size else 0.0
    for _ in range(v.glances):
        a = float(rng.uniform(lo + 0.5, max(end - 1.5, lo + 1.0)))
        dur = float(rng.uniform(0.4, 1.5))
        amp = float(rng.choice([-1.0, 1.0]) * rng.uniform(15.0, 45.0))
        x = np.clip((t - a) / dur, 0.0, 1.0)
        out += amp * np.sin(np.pi * x) ** 2
    return out


def hand_offset(rng: np.random.Generator, v: Variation, h: float, n: int) -> np.ndarray | None:
    """Where the controllers sit against the instructed chest hold (trunk frame), (N, 6)."""
    if v.hands is Hands.LOOSE:
        fwd = float(rng.uniform(0.08, 0.25))
        down = float(rng.uniform(0.05, 0.2))
        spread = float(rng.uniform(-0.02, 0.08))
        one = np.array([-spread, -down, -fwd, spread, -down, -fwd])
    elif v.hands is Hands.GRIP:
        one = np.concatenate([rng.normal(0.0, 0.03, 3), rng.normal(0.0, 0.03, 3)])
        one[[2, 5]] -= rng.uniform(0.03, 0.07, 2)  # the tracked point is ahead of the fist
    else:
        return None
    return np.tile(one, (n, 1))


def room(
    v: Variation, t: np.ndarray, p: np.ndarray, q: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray | None]:
    """Points (N, 3) and orientations (N, 4, x y z w) as the tracking space reports them."""
    yaw = np.radians(v.room_yaw_deg + v.drift_deg_per_min * t / 60.0)
    c, s = np.cos(yaw), np.sin(yaw)
    off = np.asarray(v.room_offset_m) + np.outer(t / 60.0, np.asarray(v.drift_m_per_min))
    x = c * p[:, 0] + s * p[:, 2] + off[:, 0]
    z = -s * p[:, 0] + c * p[:, 2] + off[:, 2]
    out = np.stack([x, p[:, 1] + off[:, 1], z], -1)
    if q is None:
        return out, None
    # the room's turn about +Y, applied before the device's own orientation: r = qy * q
    hy, hw = np.sin(yaw / 2.0), np.cos(yaw / 2.0)
    qx, qy, qz, qw = q[:, 0], q[:, 1], q[:, 2], q[:, 3]
    r = np.stack([hw * qx + hy * qz, hw * qy + hy * qw, hw * qz - hy * qx, hw * qw - hy * qy], -1)
    return out, r
