"""Lateral flexion: slide a hand down the side of the leg, left then right, to the target."""

from __future__ import annotations

from pacewise.levels.gauged import GaugedLevel
from pacewise.motion.signals import Exercise


class LateralFlexion(GaugedLevel):
    exercise = "lateral_flexion"
    motion = Exercise.LATERAL_FLEXION
    gauge_label = "side bend"
    go_text = "Now bend to one side, then the other, in your own time."
    instructions = (
        "Then let one hand slide down the side of your leg, bending sideways, and come back. "
        "Left, then right."
    )
