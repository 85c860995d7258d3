"""Kinematic body model: trunk angles, pelvis, neck and arm posture in; headset and hands out.

This is the ground-truth side. The synthetic patient drives it, and the truth angles are read
back from its points (hip centre -> C7 line, shoulder line), never from the estimator. The
estimator only shares the *average* proportions (`Anthropometry`), as a real one would share
published anthropometric ratios; each synthetic subject deviates from them.

Segment ratios are fractions of standing height, after the classic Drillis-Contini / Winter
tables (hip joint ~0.52 H, C7 ~0.83 H, eyes ~0.936 H, biacromial width ~0.23 H).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

import numpy as np

from pacewise.motion.geometry import (
    DEG,
    VECTOR,
    direction_from_angles,
    quat_from_matrix,
    rot_x,
    rot_y,
    rot_z,
    tilt_matrix,
)


class ArmPosture(enum.StrEnum):
    """What each exercise tells the patient to do with the controllers."""

    CHEST = "chest"  # held in front of the sternum (trunk rotation)
    HANGING = "hanging"  # arms hang under gravity (forward flexion)
    SIDES = "sides"  # along the thighs (lateral flexion)
    CROSSED = "crossed"  # crossed on the chest, hands on opposite shoulders (sit-to-stand)
    SWING = "swing"  # swinging opposite to the legs (march)
    BREATH = "breath"  # left hand on the sternum, right hand resting (breathing)
    RAISED = "raised"  # arms raised out to the sides at shoulder height (rotation, held wrong)


@dataclass(frozen=True)
class Anthropometry:
    """Segment proportions as fractions of standing height (`height_m`)."""

    height_m: float = 1.72
    hip: float = 0.52  # standing hip-joint-centre height
    trunk: float = 0.31  # hip centre -> C7
    neck: float = 0.075  # C7 -> C1 chord
    neck_tilt_deg: float = 15.0  # forward lean of the neck chord in neutral posture
    eye_up: float = 0.031  # C1 -> eyes, up (head frame)
    eye_fwd: float = 0.055  # C1 -> eyes, forward (head frame)
    shoulder_half: float = 0.115
    shoulder_down: float = 0.01
    arm: float = 0.37  # shoulder -> controller grip
    seat_hip: float = 0.31  # seated hip-centre height above the floor

    def m(self, ratio: float) -> float:
        return ratio * self.height_m

    def hip_eye_ratio(self) -> float:
        """Eye height above the hip centre in neutral posture, as a fraction of height."""
        return self.trunk + self.neck * float(np.cos(self.neck_tilt_deg / DEG)) + self.eye_up

    def scaled(self, rng: np.random.Generator, spread: float = 0.04) -> Anthropometry:
        """A subject who deviates from the average proportions by about `spread` (relative)."""

        def j(x: float) -> float:
            return float(x * (1.0 + rng.normal(0.0, spread)))

        return replace(
            self,
            trunk=j(self.trunk),
            neck=j(self.neck),
            neck_tilt_deg=float(self.neck_tilt_deg + rng.normal(0.0, 4.0)),
            eye_up=j(self.eye_up),
            eye_fwd=j(self.eye_fwd),
            shoulder_half=j(self.shoulder_half),
            arm=j(self.arm),
            seat_hip=j(self.seat_hip),
        )


@dataclass(frozen=True)
class Pose:
    """Time series (length N) that drive the model. Angles in degrees, offsets in metres.

    `hip_offset` moves the hip centre from its neutral place (pelvis shifting back in a bend,
    standing up). Neck angles are the head relative to the trunk: pitch + = looking down,
    roll + = ear toward the right shoulder, yaw + = turning left.
    """

    flex: np.ndarray
    lat: np.ndarray
    rot: np.ndarray
    hip_offset: np.ndarray  # (N, 3)
    neck_pitch: np.ndarray
    neck_roll: np.ndarray
    neck_yaw: np.ndarray
    arm: ArmPosture
    seated: bool
    hand_wobble: np.ndarray  # (N, 6) left then right hand drift; trunk frame when held on it
    swing_deg: np.ndarray  # arm swing (SWING) or chest excursion in metres (BREATH)
    # Hands held on the trunk (CHEST, RAISED) but not rigidly: the arms turn this much further
    # than the thorax about its axis (degrees; None = rigid), and each controller sits this far
    # from the instructed place in the trunk frame (grip offset, hands held loose), (N, 6).
    arm_yaw_deg: np.ndarray | None = None
    hand_offset: np.ndarray | None = None


@dataclass(frozen=True)
class Points:
    hip: np.ndarray
    c7: np.ndarray
    c1: np.ndarray
    eyes: np.ndarray
    head_q: np.ndarray  # (N, 4) x, y, z, w
    l_shoulder: np.ndarray
    r_shoulder: np.ndarray
    left: np.ndarray
    right: np.ndarray


def _apply(r: np.ndarray, v: np.ndarray) -> np.ndarray:
    return np.asarray(np.einsum("nij,nj->ni", r, v), dtype=np.float64)


def forward_kinematics(body: Anthropometry, pose: Pose) -> Points:
    n = pose.flex.shape[0]
    h = body.m
    base_hip = np.array([0.0, h(body.seat_hip if pose.seated else body.hip), 0.0])
    hip = base_hip + pose.hip_offset
    u = np.stack(
        direction_from_angles(np.clip(pose.flex, -89, 89), np.clip(pose.lat, -89, 89), VECTOR),
        -1,
    )
    r_trunk = tilt_matrix(u) @ rot_y(pose.rot / DEG)
    c7 = hip + h(body.trunk) * u
    r_neck = (
        rot_y(pose.neck_yaw / DEG) @ rot_x(-pose.neck_pitch / DEG) @ rot_z(-pose.neck_roll / DEG)
    )
    r_half = (
        rot_y(pose.neck_yaw / (2 * DEG))
        @ rot_x(-pose.neck_pitch / (2 * DEG))
        @ rot_z(-pose.neck_roll / (2 * DEG))
    )
    a = body.neck_tilt_deg / DEG
    neck0 = np.tile(h(body.neck) * np.array([0.0, np.cos(a), -np.sin(a)]), (n, 1))
    c1 = c7 + _apply(r_trunk @ r_half, neck0)
    r_head = r_trunk @ r_neck
    eye_off = np.tile(np.array([0.0, h(body.eye_up), -h(body.eye_fwd)]), (n, 1))
    eyes = c1 + _apply(r_head, eye_off)

    def local(v: tuple[float, float, float]) -> np.ndarray:
        return np.asarray(c7 + _apply(r_trunk, np.tile(np.array(v), (n, 1))), dtype=np.float64)

    sh = h(body.shoulder_half)
    l_sh = local((-sh, -h(body.shoulder_down), 0.0))
    r_sh = local((sh, -h(body.shoulder_down), 0.0))
    arm = h(body.arm)
    down = np.array([0.0, -1.0, 0.0])
    facing = _apply(rot_y(pose.rot / DEG), np.tile(np.array([0.0, 0.0, -1.0]), (n, 1)))
    side = _apply(rot_y(pose.rot / DEG), np.tile(np.array([1.0, 0.0, 0.0]), (n, 1)))
    wl, wr = pose.hand_wobble[:, :3], pose.hand_wobble[:, 3:]
    on_trunk_l = _apply(r_trunk, wl)  # drift of a hand held against the chest moves with it
    on_trunk_r = _apply(r_trunk, wr)
    if pose.arm in (ArmPosture.CHEST, ArmPosture.RAISED):
        if pose.arm is ArmPosture.CHEST:
            vl = np.array([-h(0.06), -h(0.13), -h(0.11)])
        else:
            vl = np.array([-(sh + 0.95 * arm), -h(body.shoulder_down), -h(0.04)])
        vr = vl * np.array([-1.0, 1.0, 1.0])
        off = pose.hand_offset if pose.hand_offset is not None else np.zeros((n, 6))
        r_arm = r_trunk
        if pose.arm_yaw_deg is not None:  # the arms turn on past the thorax, about its axis
            r_arm = r_trunk @ rot_y(pose.arm_yaw_deg / DEG)
        left = c7 + _apply(r_arm, vl + off[:, :3] + wl)
        right = c7 + _apply(r_arm, vr + off[:, 3:] + wr)
    elif pose.arm is ArmPosture.CROSSED:
        left = local((h(0.075), -h(0.05), -h(0.07))) + on_trunk_l
        right = local((-h(0.075), -h(0.05), -h(0.07))) + on_trunk_r
    elif pose.arm is ArmPosture.HANGING:
        left = l_sh + arm * down + h(0.03) * facing + wl
        right = r_sh + arm * down + h(0.03) * facing + wr
    elif pose.arm is ArmPosture.SIDES:
        left = l_sh + arm * down - h(0.03) * side + wl
        right = r_sh + arm * down + h(0.03) * side + wr
    elif pose.arm is ArmPosture.SWING:
        phi = pose.swing_deg[:, None] / DEG
        left = l_sh + arm * (np.cos(phi) * down + np.sin(phi) * facing) + wl
        right = r_sh + arm * (np.cos(phi) * down - np.sin(phi) * facing) + wr
    else:  # BREATH
        chest = -h(0.10) - pose.swing_deg
        left = (
            c7
            + _apply(r_trunk, np.stack([np.zeros(n), np.full(n, -h(0.14)), chest], -1))
            + 0.2 * on_trunk_l
        )
        right = r_sh + arm * down + h(0.04) * facing + wr
    return Points(
        hip=hip,
        c7=c7,
        c1=c1,
        eyes=eyes,
        head_q=quat_from_matrix(r_head),
        l_shoulder=l_sh,
        r_shoulder=r_sh,
        left=left,
        right=right,
    )


def truth_angles(points: Points) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Forward flexion, lateral flexion and shoulder-line yaw (degrees), as the design defines."""
    v = points.c7 - points.hip
    flex = np.degrees(np.arctan2(-v[:, 2], v[:, 1]))
    lat = np.degrees(np.arctan2(v[:, 0], v[:, 1]))
    s = points.r_shoulder - points.l_shoulder
    rot = np.degrees(np.arctan2(-s[:, 2], s[:, 0]))
    return flex, lat, rot
