"""Reach: lights appear around the patient at prescribed trunk-rotation angles; touch each.

Targets sit at chest height in front of the sternum, turned left and right by the day's angles
(never beyond the prescription's cap), at a comfortable fraction of the patient's reach.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

from pacewise.domain.session import Repetition
from pacewise.levels.api import Behaviour, Calibration, LevelPlan, NodeRef
from pacewise.motion.tracking_frame import TrackingFrame

TARGET_SCENE = "res://addons/pacewise/props/pw_target.tscn"
DEFAULT_ANGLES = (15.0, 30.0, 45.0, 60.0)
NEUTRAL_S = 3.0
CHEST_BELOW_SHOULDER_M = 0.15
SHOULDER_HALF_WIDTH_OF_STATURE = 0.115


def target_position(
    head: tuple[float, float, float],
    facing_yaw_deg: float,
    chest_height_m: float,
    distance_m: float,
    angle_deg: float,
    side: str,
) -> tuple[float, float, float]:
    """Where a target at trunk rotation `angle_deg` to `side` sits (Godot axes, -Z forward)."""
    yaw = math.radians(facing_yaw_deg + (angle_deg if side == "left" else -angle_deg))
    return (
        head[0] - math.sin(yaw) * distance_m,
        chest_height_m,
        head[2] - math.cos(yaw) * distance_m,
    )


def _angles(params: Mapping[str, Any], plan: LevelPlan) -> list[float]:
    return [float(a) for a in params.get("angles_deg") or plan.target_deg or DEFAULT_ANGLES]


class Reach(Behaviour):
    exercise = "reach"
    keep: ClassVar[tuple[str, ...]] = ("reps", "best_deg", "t")
    parameters: ClassVar[dict[str, type]] = {
        "angles_deg": list,
        "pause_s": float,
        "reach_fraction": float,
    }

    @classmethod
    def check(
        cls, params: Mapping[str, Any], plan: LevelPlan, calibration: Calibration
    ) -> list[str]:
        problems = [
            f"angles_deg {a:g} is above the prescription's cap of {plan.max_deg:g}°"
            for a in _angles(params, plan)
            if a > plan.max_deg
        ]
        fraction = float(params.get("reach_fraction", 0.8))
        stature = calibration.stature_m
        # Both hands meet in front of the sternum: the arm reaches from a shoulder to the midline.
        half = SHOULDER_HALF_WIDTH_OF_STATURE * stature
        drop = CHEST_BELOW_SHOULDER_M
        distance = calibration.arm_reach_m * fraction
        needed = math.sqrt(distance**2 + half**2 + drop**2)
        if needed > calibration.arm_reach_m:
            problems.append(
                f"targets at reach_fraction {fraction:g} are {distance:.2f} m in front of the "
                f"chest: out of reach for a {stature:.2f} m patient "
                f"(arm {calibration.arm_reach_m:.2f} m)"
            )
        return problems

    def on_ready(self) -> None:
        plan = self.session.plan(self.exercise)
        cap = plan.max_deg
        self.angles = [min(a, cap) for a in _angles(self.params, plan)]
        self.quota = plan.quota  # the session counts against it and ends the level there
        self.pause_s = float(self.params.get("pause_s", 0.6))
        self.reach_fraction = float(self.params.get("reach_fraction", 0.8))
        self.reps = 0
        self.t = 0.0
        self.target: NodeRef | None = None
        self.next_at: float | None = None
        # The best angle is the widest target touched: each sits at a prescribed trunk angle.
        self.best_deg: float | None = None
        self.target_deg = 0.0
        self.target_side = "left"
        self.node.say(
            f"Stand still for a moment.\nThen reach for each light with both hands. "
            f"{self.quota} to go."
        )

    def on_reload(self, old: Behaviour) -> None:
        super().on_reload(old)
        if self.reps:  # the old target went with the old code: the next one comes soon
            self.next_at = self.t + self.pause_s

    def _place_next(self) -> None:
        cal = self.session.calibration
        i = self.reps
        angle = self.angles[(i // 2) % len(self.angles)]
        self.target_deg = angle
        self.target_side = "left" if i % 2 == 0 else "right"
        side = "left" if i % 2 == 0 else "right"
        where = target_position(
            cal.head,
            cal.facing_yaw_deg,
            cal.shoulder_height_m - CHEST_BELOW_SHOULDER_M,
            cal.arm_reach_m * self.reach_fraction,
            angle,
            side,
        )
        self.target = self.node.spawn(TARGET_SCENE, position=where)
        self.target.connect("touched")
        self.next_at = None

    def on_frame(self, frame: TrackingFrame) -> None:
        self.t = frame.t
        if self.next_at is None and self.target is None and self.reps == 0:
            self.next_at = frame.t + NEUTRAL_S
        if self.target is None and self.next_at is not None and self.t >= self.next_at:
            self._place_next()

    def on_signal(self, node: str, signal: str, args: list[Any]) -> None:
        if signal != "touched" or self.target is None or node != self.target.path:
            return
        self.reps += 1
        hand = str(args[0]) if args else "right"
        self.node.haptic(hand if hand in ("left", "right") else "right", 0.4, 0.08)
        self.target.free()
        self.target = None
        self.best_deg = max(self.best_deg or 0.0, self.target_deg)
        self.session.report(reps=self.reps, best_deg=self.best_deg)
        self.session.report_rep(
            Repetition(t_s=self.t, peak_deg=self.target_deg, side=self.target_side)
        )
        left = self.quota - self.reps
        if left <= 0:
            self.node.say("Well done. That is today's reaching.")
            self.session.finish()
        else:
            self.node.say(f"{left} to go." if left > 1 else "One more.")
            self.next_at = self.t + self.pause_s
