"""Side lanterns: lateral flexion with a lantern on each side that glows when that side's bend
reaches the target. The worked example of docs/levels.md."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pacewise.levels.api import Calibration, LevelPlan, NodeRef
from pacewise.levels.lateral_flexion import LateralFlexion
from pacewise.motion.analyzer import Rep

LANTERN = "res://addons/pacewise/props/pw_target.tscn"
GLOW = [0.98, 0.82, 0.42]


class SideLanterns(LateralFlexion):
    parameters: ClassVar[dict[str, type]] = {
        **LateralFlexion.parameters,
        "lantern_height_m": float,
        "lantern_distance_m": float,
    }

    @classmethod
    def check(
        cls, params: Mapping[str, Any], plan: LevelPlan, calibration: Calibration
    ) -> list[str]:
        distance = float(params.get("lantern_distance_m", 0.7))
        if distance < 0.5:
            return [f"lantern_distance_m {distance:g} puts lanterns within arm's reach"]
        return []

    def start_moving(self) -> None:
        super().start_moving()
        height = float(self.params.get("lantern_height_m", 1.1))
        distance = float(self.params.get("lantern_distance_m", 0.7))
        self.lanterns: dict[str, NodeRef] = {
            side: self.node.spawn(
                LANTERN,
                name=f"Lantern_{side}",
                position=(x * distance, height, -0.3),
                label=side,
            )
            for side, x in (("left", -1.0), ("right", 1.0))
        }

    def on_rep(self, rep: Rep) -> None:
        super().on_rep(rep)
        if rep.side in self.lanterns:
            self.lanterns[rep.side].set("color", GLOW)
            self.node.cue("chime")
