"""A live synthetic patient who plays the game: sees targets, reaches for them, rates pain.

It drives the scripted rig through the real bridge so Godot's physics, not Python, decides
what a hand touches. Deterministic for a seed: every random draw happens at a point fixed by
the session's frames, never by the wall clock.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

Point = tuple[float, float, float]
Quaternion = tuple[float, float, float, float]


@dataclass(frozen=True)
class Pose:
    head: Point
    head_q: Quaternion
    left: Point
    right: Point


@dataclass(frozen=True)
class Traits:
    height_m: float
    movement_s: float
    reaction_s: float
    aim_noise_m: float
    pain_before: int
    pain_change: int


def _min_jerk(s: float) -> float:
    s = min(max(s, 0.0), 1.0)
    return s * s * s * (10.0 - 15.0 * s + 6.0 * s * s)


def _lerp(a: Point, b: Point, k: float) -> Point:
    return (a[0] + (b[0] - a[0]) * k, a[1] + (b[1] - a[1]) * k, a[2] + (b[2] - a[2]) * k)


def _yaw_q(yaw_rad: float) -> Quaternion:
    return (0.0, math.sin(yaw_rad / 2.0), 0.0, math.cos(yaw_rad / 2.0))


@dataclass
class _Move:
    start_t: float
    start: tuple[Point, Point]
    goal: tuple[Point, Point]
    goal_yaw: float
    start_yaw: float


class SyntheticPatient:
    """A standing person facing -Z at the origin, reaching with both hands together."""

    def __init__(self, seed: int) -> None:
        self._rng = np.random.default_rng(seed)
        rng = self._rng
        self.traits = Traits(
            height_m=float(rng.uniform(1.55, 1.90)),
            movement_s=float(rng.uniform(0.9, 1.6)),
            reaction_s=float(rng.uniform(0.3, 0.7)),
            aim_noise_m=float(rng.uniform(0.0, 0.03)),
            pain_before=int(rng.integers(2, 7)),
            pain_change=int(rng.integers(-1, 2)),
        )
        h = self.traits.height_m
        self.eye_height_m = 0.936 * h
        self._rest_left: Point = (-0.2, 0.53 * h, -0.12)
        self._rest_right: Point = (0.2, 0.53 * h, -0.12)
        self._hands: tuple[Point, Point] = (self._rest_left, self._rest_right)
        self._yaw = 0.0
        self._target: Point | None = None
        self._move: _Move | None = None

    def pain_answer(self, kind: str) -> int:
        """The 0-10 rating this patient gives before or after the session."""
        if kind == "before":
            return self.traits.pain_before
        return min(10, max(0, self.traits.pain_before + self.traits.pain_change))

    def _head(self, yaw: float) -> Point:
        # The head sits slightly in front of the trunk's vertical axis and turns with it.
        forward = 0.08
        return (-math.sin(yaw) * forward, self.eye_height_m, -math.cos(yaw) * forward)

    def _start_move(self, t: float, goal: tuple[Point, Point], goal_yaw: float) -> None:
        self._move = _Move(t, self._hands, goal, goal_yaw, self._yaw)

    def step(self, t: float, targets: Sequence[Point]) -> Pose:
        """The pose at session time `t`, given the targets the patient can see."""
        target = targets[0] if targets else None
        if target != self._target:
            self._target = target
            if target is not None:
                noise = self._rng.normal(0.0, self.traits.aim_noise_m, 3)
                aim = (target[0] + noise[0], target[1] + noise[1], target[2] + noise[2])
                yaw = math.atan2(-aim[0], -aim[2])
                side = (math.cos(yaw) * 0.05, 0.0, -math.sin(yaw) * 0.05)
                goal = (
                    (aim[0] - side[0], aim[1], aim[2] - side[2]),
                    (aim[0] + side[0], aim[1], aim[2] + side[2]),
                )
                self._start_move(t + self.traits.reaction_s, goal, yaw)
            else:
                self._start_move(t, (self._rest_left, self._rest_right), 0.0)
        move = self._move
        if move is not None:
            k = _min_jerk((t - move.start_t) / self.traits.movement_s)
            self._hands = (
                _lerp(move.start[0], move.goal[0], k),
                _lerp(move.start[1], move.goal[1], k),
            )
            self._yaw = move.start_yaw + (move.goal_yaw - move.start_yaw) * k
        return Pose(self._head(self._yaw), _yaw_q(self._yaw), self._hands[0], self._hands[1])
