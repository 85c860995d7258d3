"""Sit-to-stand: arms crossed on the chest, stand up from the chair and sit back down."""

from __future__ import annotations

from pacewise.levels.movement import MovementLevel
from pacewise.motion.signals import Exercise


class SitToStand(MovementLevel):
    exercise = "sit_to_stand"
    motion = Exercise.SIT_TO_STAND
    go_text = "Now stand up slowly, and sit back down."
    instructions = (
        "Then cross your arms on your chest, stand up slowly, and sit back down. "
        "A mini squat is fine too."
    )
