"""Safety rules: each a pure function from the session's state to a decision with a reason.

The game evaluates every rule on every tick (session time from the frames) and acts on the
most urgent decision. Defaults and the reasons for them are in docs/clinical.md.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum, StrEnum

from pydantic import BaseModel, ConfigDict, Field

from pacewise.domain.pain import Score


class Action(IntEnum):
    """What the game should do, ordered by urgency so the most urgent decision wins."""

    carry_on = 0
    suggest_break = 1
    pause = 2
    stop = 3


class Symptom(StrEnum):
    dizziness = "dizziness"
    sickness = "sickness"


class SafetyThresholds(BaseModel):
    """The clinician-adjustable thresholds (part of the prescription)."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    #: A rise of 2 points on the 0–10 scale is the smallest clinically important change.
    pain_rise_points: int = Field(default=2, ge=1, le=5)
    #: Tracking gaps shorter than this are blinks (occlusion, a hand behind the back).
    tracking_lost_s: float = Field(default=3.0, ge=1.0, le=15.0)
    #: Movement bouts of about 15 minutes, then a rest, as in graded activity programmes.
    break_every_min: float = Field(default=15.0, ge=5.0, le=30.0)


class SessionState(BaseModel):
    """What the rules look at; every time is session time in seconds from the game's frames."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    elapsed_s: float = Field(ge=0)
    session_cap_s: float = Field(gt=0)
    pain_start: Score | None = None
    pain_now: Score | None = None
    symptoms: frozenset[Symptom] = frozenset()
    tracking_lost_s: float = Field(default=0.0, ge=0)
    last_break_s: float = Field(default=0.0, ge=0)


class SafetyDecision(BaseModel):
    model_config = ConfigDict(frozen=True)

    rule: str
    action: Action
    reason: str


Rule = Callable[[SessionState, SafetyThresholds], SafetyDecision]


def _ok(rule: str, reason: str) -> SafetyDecision:
    return SafetyDecision(rule=rule, action=Action.carry_on, reason=reason)


def pain_rise(state: SessionState, limits: SafetyThresholds) -> SafetyDecision:
    if state.pain_start is None or state.pain_now is None:
        return _ok("pain_rise", "no pain rating to compare yet")
    rise = state.pain_now - state.pain_start
    if rise >= limits.pain_rise_points:
        return SafetyDecision(
            rule="pain_rise",
            action=Action.pause,
            reason=(
                f"paused: pain went from {state.pain_start} to {state.pain_now}, a rise of "
                f"{rise} (the limit is {limits.pain_rise_points}); rest, then choose to go on "
                "gently or stop for today"
            ),
        )
    return _ok("pain_rise", f"pain {state.pain_now}, {rise:+d} since the start")


def symptoms(state: SessionState, limits: SafetyThresholds) -> SafetyDecision:
    if state.symptoms:
        names = " and ".join(sorted(s.value for s in state.symptoms))
        return SafetyDecision(
            rule="symptoms",
            action=Action.pause,
            reason=f"paused: {names} reported; sit down, take the headset off if you need to",
        )
    return _ok("symptoms", "no dizziness or sickness reported")


def tracking_lost(state: SessionState, limits: SafetyThresholds) -> SafetyDecision:
    if state.tracking_lost_s > limits.tracking_lost_s:
        return SafetyDecision(
            rule="tracking_lost",
            action=Action.pause,
            reason=(
                f"paused: tracking lost for {state.tracking_lost_s:.0f} s (more than "
                f"{limits.tracking_lost_s:.0f} s), so movements cannot be measured safely"
            ),
        )
    return _ok("tracking_lost", "tracking is fine")


def break_due(state: SessionState, limits: SafetyThresholds) -> SafetyDecision:
    since = state.elapsed_s - state.last_break_s
    if since >= limits.break_every_min * 60:
        return SafetyDecision(
            rule="break_due",
            action=Action.suggest_break,
            reason=f"time for a short break: {since / 60:.0f} min of activity since the last one",
        )
    return _ok("break_due", "no break due yet")


def session_cap(state: SessionState, limits: SafetyThresholds) -> SafetyDecision:
    if state.elapsed_s >= state.session_cap_s:
        return SafetyDecision(
            rule="session_cap",
            action=Action.stop,
            reason=(
                f"session over: it reached the {state.session_cap_s / 60:.0f} min cap your "
                "physiotherapist set; stopping on time is part of the plan"
            ),
        )
    return _ok("session_cap", "within the session cap")


RULES: tuple[Rule, ...] = (session_cap, symptoms, pain_rise, tracking_lost, break_due)


def evaluate_all(state: SessionState, limits: SafetyThresholds) -> list[SafetyDecision]:
    return [rule(state, limits) for rule in RULES]


def evaluate(state: SessionState, limits: SafetyThresholds) -> SafetyDecision:
    """The most urgent decision of all rules (the first rule in RULES wins a tie)."""
    decisions = evaluate_all(state, limits)
    return max(decisions, key=lambda d: d.action)  # max keeps the first of equals
