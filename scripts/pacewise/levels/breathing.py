"""Paced breathing, about six breaths a minute, a controller held to the chest.

The orb grows on the in-breath and shrinks on the out-breath at the prescribed rate; the chest
controller's motion is the biofeedback that counts the breaths.
"""

from __future__ import annotations

import math

from pacewise.levels.api import NodeRef
from pacewise.levels.movement import NEUTRAL_S, MovementLevel
from pacewise.motion.signals import Exercise
from pacewise.motion.tracking_frame import TrackingFrame

ORB_SCENE = "res://addons/pacewise/props/pw_breath_orb.tscn"
DEFAULT_RATE = 6.0
ORB_STEP = 0.02


class Breathing(MovementLevel):
    exercise = "breathing"
    motion = Exercise.BREATHING
    counted_as = "breaths"
    go_text = "Breathe with the light."
    instructions = (
        "Then hold your left controller to your chest and breathe with the light: "
        "in as it grows, out as it fades."
    )

    def start_moving(self) -> None:
        self.rate = float(self.plan.cadence_per_min or DEFAULT_RATE)
        # Below the panel: a gentle downward gaze while breathing, and the text stays readable.
        self.orb: NodeRef = self.node.spawn(ORB_SCENE, name="Orb", position=(0.0, 0.62, -1.2))
        self._phase_shown = -1.0
        self._inhaling = False
        super().start_moving()

    def on_frame(self, frame: TrackingFrame) -> None:
        super().on_frame(frame)
        if self.moving_since is None or self.done:
            return
        guided = frame.t - self.moving_since - NEUTRAL_S
        if guided < 0:
            return
        angle = 2.0 * math.pi * guided * self.rate / 60.0
        phase = 0.5 - 0.5 * math.cos(angle)
        inhaling = math.sin(angle) >= 0.0
        if inhaling != self._inhaling:
            self._inhaling = inhaling
            self.node.cue("breath_in" if inhaling else "breath_out")
        if abs(phase - self._phase_shown) >= ORB_STEP:
            self._phase_shown = phase
            self.orb.set("phase", round(phase, 3))

    def feedback(self, rep: object) -> None:
        pass
