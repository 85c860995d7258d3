"""The patient's own settings: how they like to play, independent of the clinical plan."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Hand(StrEnum):
    left = "left"
    right = "right"


class Profile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    display_name: str | None = Field(default=None, max_length=80)
    seated: bool = False
    height_cm: float | None = Field(default=None, ge=90, le=230)
    dominant_hand: Hand = Hand.right
    #: Comfort: a darkened edge while the view moves reduces motion sickness for many people.
    vignette: bool = True
    #: Comfort: calm music and voice cues, 0 (off) to 1.
    volume: float = Field(default=0.7, ge=0.0, le=1.0)
