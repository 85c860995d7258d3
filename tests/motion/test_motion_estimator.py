"""The trunk-angle estimator against the body model, one confounder at a time (no noise)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pacewise.motion.body import Anthropometry, ArmPosture, Pose, forward_kinematics, truth_angles
from pacewise.motion.calibration import calibrate
from pacewise.motion.geometry import VECTOR
from pacewise.motion.recording import Device, Header, Recording, Subject
from pacewise.motion.trunk import flexion_angles, rotation_angle

HZ = 90.0
CAL_S = 1.0


def ramp(peak: float, n: int) -> np.ndarray:
    """Neutral for the calibration second, then a smooth move to `peak`."""
    t = np.arange(n) / HZ
    x = np.clip((t - CAL_S - 0.2) / 1.5, 0.0, 1.0)
    return peak * x * x * (3 - 2 * x)


def pose(n: int, arm: ArmPosture, seated: bool = False, **series: np.ndarray) -> Pose:
    z = np.zeros(n)

    def get(name: str) -> np.ndarray:
        return series.get(name, z)

    return Pose(
        flex=get("flex"),
        lat=get("lat"),
        rot=get("rot"),
        hip_offset=series.get("hip", np.zeros((n, 3))),
        neck_pitch=get("pitch"),
        neck_roll=get("roll"),
        neck_yaw=get("yaw"),
        arm=arm,
        seated=seated,
        hand_wobble=np.zeros((n, 6)),
        swing_deg=z,
    )


def estimate(
    p: Pose, height: float = 1.72, head_q: bool = True, body: Anthropometry | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[np.ndarray, ...]]:
    body = body or Anthropometry(height_m=height)
    pts = forward_kinematics(body, p)
    n = p.flex.size
    ok = np.ones(n, dtype=np.bool_)
    nan_q = np.full((n, 4), math.nan)
    rec = Recording(
        header=Header(
            format="pacewise.tracking",
            version=1,
            hz=HZ,
            calibration_s=CAL_S,
            posture="seated" if p.seated else "standing",
            subject=Subject(height_m=height),
        ),
        t=np.arange(n) / HZ,
        head=Device(pts.eyes, pts.head_q if head_q else nan_q, ok),
        left=Device(pts.left, nan_q, ok),
        right=Device(pts.right, nan_q, ok),
    )
    cal = calibrate(rec)
    h = (pts.eyes[:, 0], pts.eyes[:, 1], pts.eyes[:, 2])
    q = tuple(pts.head_q.T) if head_q else None
    f, lat = flexion_angles(h, q, cal, VECTOR)  # type: ignore[arg-type]
    lt = (pts.left[:, 0], pts.left[:, 1], pts.left[:, 2])
    rt = (pts.right[:, 0], pts.right[:, 1], pts.right[:, 2])
    return f, lat, rotation_angle(lt, rt, cal, VECTOR), truth_angles(pts)


N = int(4 * HZ)


def test_body_model_truth_is_the_commanded_trunk_angle() -> None:
    p = pose(N, ArmPosture.HANGING, flex=ramp(50.0, N), hip=np.zeros((N, 3)))
    _, _, _, (flex, lat, rot) = estimate(p)
    np.testing.assert_allclose(flex, ramp(50.0, N), atol=1e-9)
    assert np.abs(lat).max() < 1e-9 and np.abs(rot).max() < 1e-9


@pytest.mark.parametrize("pitch", [-30.0, 35.0])
def test_looking_up_or_down_is_not_trunk_flexion(pitch: float) -> None:
    f, lat, _, _ = estimate(pose(N, ArmPosture.HANGING, pitch=ramp(pitch, N)))
    assert np.abs(f).max() < 1.5 and np.abs(lat).max() < 1.0


def test_turning_the_head_is_not_trunk_rotation() -> None:
    _, lat, rot, _ = estimate(pose(N, ArmPosture.CHEST, yaw=ramp(60.0, N)))
    assert np.abs(rot).max() < 0.5 and np.abs(lat).max() < 2.0


def test_tilting_the_head_is_not_side_bending() -> None:
    _, lat, _, _ = estimate(pose(N, ArmPosture.SIDES, roll=ramp(25.0, N)))
    assert np.abs(lat).max() < 2.0


@pytest.mark.parametrize("peak", [30.0, 70.0])
def test_standing_forward_bend_with_the_pelvis_shifting_back(peak: float) -> None:
    flex = ramp(peak, N)
    hip = np.zeros((N, 3))
    hip[:, 2] = 0.07 * 1.72 * np.sin(np.radians(flex))
    f, _, _, (truth, _, _) = estimate(
        pose(N, ArmPosture.HANGING, flex=flex, hip=hip, pitch=0.4 * flex)
    )
    assert abs(f.max() - truth.max()) < 2.0


@pytest.mark.parametrize(("height", "seated"), [(1.55, True), (1.72, False), (1.92, True)])
def test_side_bend_with_the_neck_following_any_height(height: float, seated: bool) -> None:
    lat = ramp(-30.0, N)
    hip = np.zeros((N, 3))
    if not seated:  # standing, the pelvis shifts away from the bend
        hip[:, 0] = -0.04 * height * np.sin(np.radians(lat))
    _, est, _, (_, truth, _) = estimate(
        pose(N, ArmPosture.SIDES, seated=seated, lat=lat, roll=0.5 * lat, hip=hip), height=height
    )
    assert abs(est.min() - truth.min()) < 2.0


def test_without_head_orientation_the_neck_is_assumed_to_follow() -> None:
    lat = ramp(30.0, N)
    _, est, _, (_, truth, _) = estimate(
        pose(N, ArmPosture.SIDES, seated=True, lat=lat, roll=0.5 * lat), head_q=False
    )
    assert abs(est.max() - truth.max()) < 3.0


@pytest.mark.parametrize("peak", [-50.0, 45.0])
def test_rotation_from_hands_at_the_chest_with_the_head_leading(peak: float) -> None:
    rot = ramp(peak, N)
    _, _, est, (_, _, truth) = estimate(pose(N, ArmPosture.CHEST, rot=rot, yaw=0.3 * rot))
    assert abs(np.abs(est).max() - np.abs(truth).max()) < 1.0
    assert np.sign(est[-1]) == np.sign(peak)


def test_a_subject_unlike_the_average_still_within_3_deg() -> None:
    body = Anthropometry(height_m=1.80).scaled(np.random.default_rng(4), spread=0.06)
    flex = ramp(45.0, N)
    f, _, _, (truth, _, _) = estimate(
        pose(N, ArmPosture.HANGING, seated=True, flex=flex), height=1.80, body=body
    )
    assert abs(f.max() - truth.max()) < 3.0


MOVES = {"flex": ArmPosture.HANGING, "lat": ArmPosture.SIDES, "rot": ArmPosture.CHEST}


def _random_move(
    rng: np.random.Generator, which: str, seated: bool, height: float, pelvis: tuple[float, float]
) -> Pose:
    peak = rng.uniform(15.0, 60.0) * (1.0 if which == "flex" else rng.choice([-1.0, 1.0]))
    x = ramp(peak, N)
    hip = np.zeros((N, 3))
    if not seated and which == "flex":
        hip[:, 2] = pelvis[0] * height * np.sin(np.radians(x))
    if not seated and which == "lat":
        hip[:, 0] = -pelvis[1] * height * np.sin(np.radians(x))
    return pose(
        N,
        MOVES[which],
        seated=seated,
        hip=hip,
        **{which: x},
        pitch=(rng.uniform(-0.5, 0.6) * x if which == "flex" else 0)
        + ramp(rng.uniform(-20, 20), N),
        roll=(rng.uniform(0.0, 0.7) * x if which == "lat" else 0) + ramp(rng.uniform(-10, 10), N),
        yaw=(rng.uniform(0.0, 0.5) * x if which == "rot" else 0) + ramp(rng.uniform(-20, 20), N),
    )


def _worst_error(p: Pose, which: str, height: float, body: Anthropometry) -> float:
    f, lat, rot, (tf, tl, tr) = estimate(p, height=height, body=body)
    est, truth = {"flex": (f, tf), "lat": (lat, tl), "rot": (rot, tr)}[which]
    return float(np.abs(est - truth).max())


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.integers(0, 2**31 - 1), st.sampled_from(list(MOVES)), st.booleans(), st.floats(1.5, 1.95))
def test_an_average_body_is_inverted_exactly_whatever_the_head_does(
    seed: int, which: str, seated: bool, height: float
) -> None:
    """Average proportions and the assumed pelvis shift: the neck model removes head motion."""
    p = _random_move(np.random.default_rng(seed), which, seated, height, (0.07, 0.04))
    assert _worst_error(p, which, height, Anthropometry(height_m=height)) < 0.5


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.integers(0, 2**31 - 1), st.sampled_from(list(MOVES)), st.booleans(), st.floats(1.5, 1.95))
def test_a_body_unlike_the_average_stays_within_6_deg(
    seed: int, which: str, seated: bool, height: float
) -> None:
    """Own proportions (about 4 % off) and own pelvis shift: error bounded throughout the move."""
    rng = np.random.default_rng(seed)
    body = Anthropometry(height_m=height).scaled(rng)
    pelvis = (rng.uniform(0.04, 0.10), rng.uniform(0.01, 0.07))
    p = _random_move(rng, which, seated, height, pelvis)
    assert _worst_error(p, which, height, body) < 6.0
