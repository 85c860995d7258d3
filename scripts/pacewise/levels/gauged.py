"""Movement levels that show the trunk angle on a gauge against the prescribed target."""

from __future__ import annotations

from pacewise.levels.api import NodeRef
from pacewise.levels.movement import GAUGE_SCENE, MovementLevel

# Only send the gauge a new value when it moved this much (degrees): fewer ops, same picture.
GAUGE_STEP_DEG = 0.5


class GaugedLevel(MovementLevel):
    # Right of the panel (which stands at 0, 1.42, -1.5), where a glance finds it mid-movement.
    gauge_position: tuple[float, float, float] = (0.9, 1.25, -1.35)
    gauge_label: str = ""

    def start_moving(self) -> None:
        goal = max(self.plan.target_deg) if self.plan.target_deg else 20.0
        self.goal_deg = min(goal, self.plan.max_deg)
        self.gauge: NodeRef = self.node.spawn(
            GAUGE_SCENE,
            name="Gauge",
            position=self.gauge_position,
            goal=self.goal_deg,
            gain=self.plan.feedback_gain,
            label=self.gauge_label,
        )
        self._shown = 0.0
        super().start_moving()

    def on_signal_value(self, value: float) -> None:
        magnitude = abs(value)
        if abs(magnitude - self._shown) >= GAUGE_STEP_DEG:
            self._shown = magnitude
            self.gauge.set("value", round(magnitude, 1))
