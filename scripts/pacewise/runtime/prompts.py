"""What the session says to the patient: one place for every line, so it can be reviewed.

Plain words (reading age about 11), kind, never judging, and never nudging an answer: a
question names its choices evenly and none is preselected.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Prompts:
    """What the session says; plain words, kind, never judging, never nudging."""

    welcome_first: str = "Welcome to Pacewise. Take your time; press stop at any moment."
    welcome_back: str = "Welcome back. Take your time; press stop at any moment."
    pain_before: str = "Before we start: how much pain do you feel right now?"
    pain_after: str = "How much pain do you feel now?"
    stop_pain: str = "How much pain do you feel right now?"
    what_happened: str = "You pressed stop. What happened?"
    carry_on: str = "Would you like to carry on?"
    flare: str = (
        "Your pain is high today. We can do a short, gentle session, or rest today. Both are fine."
    )
    calibration: str = "Stand tall and relaxed, arms by your sides, look ahead."
    expected_pain: str = "Bending forward in a moment: how much pain do you expect?"
    expected_harm: str = "How much harm do you expect it to do to your back?"
    harm_ack: str = (
        "Thank you for telling me. Many people feel this way. Bending gently is safe for "
        "your back, even when it hurts, and you can stop at any moment. Would you like to "
        "try it gently today?"
    )
    felt_pain: str = "How much pain did bending forward cause?"
    felt_harm: str = "How much harm do you think it did to your back?"
    rest: str = "Rest a moment."
    brk: str = "Time for a short break. Sit or stand comfortably."
    rest_today: str = "Resting today is part of the plan. Thank you for checking in."


PROMPTS = Prompts()
