from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pacewise.domain.safety import (
    Action,
    SafetyThresholds,
    SessionState,
    Symptom,
    break_due,
    evaluate,
    evaluate_all,
    pain_rise,
    session_cap,
    symptoms,
    tracking_lost,
)

LIMITS = SafetyThresholds()
CAP = 20 * 60.0
scores = st.integers(min_value=0, max_value=10)


def state(**kw: object) -> SessionState:
    base: dict[str, object] = {"elapsed_s": 60.0, "session_cap_s": CAP}
    base.update(kw)
    return SessionState.model_validate(base)


def test_calm_session_carries_on() -> None:
    decision = evaluate(state(pain_start=4, pain_now=5), LIMITS)
    assert decision.action is Action.carry_on


def test_pain_rise_of_two_pauses_with_reason() -> None:
    decision = pain_rise(state(pain_start=3, pain_now=5), LIMITS)
    assert decision.action is Action.pause
    assert "from 3 to 5" in decision.reason


@given(scores, scores, st.integers(min_value=1, max_value=5))
def test_pain_rule_pauses_exactly_at_threshold(start: int, now: int, points: int) -> None:
    limits = SafetyThresholds(pain_rise_points=points)
    decision = pain_rise(state(pain_start=start, pain_now=now), limits)
    assert (decision.action is Action.pause) is (now - start >= points)
    assert decision.reason


def test_missing_pain_never_pauses() -> None:
    assert pain_rise(state(pain_start=None, pain_now=9), LIMITS).action is Action.carry_on


@given(st.sets(st.sampled_from(list(Symptom))))
def test_any_symptom_report_pauses(reported: set[Symptom]) -> None:
    decision = symptoms(state(symptoms=frozenset(reported)), LIMITS)
    assert (decision.action is Action.pause) is bool(reported)
    for s in reported:
        assert s.value in decision.reason


@given(st.floats(min_value=0, max_value=60), st.floats(min_value=1, max_value=15))
def test_tracking_lost_pauses_after_threshold(lost: float, threshold: float) -> None:
    decision = tracking_lost(
        state(tracking_lost_s=lost), SafetyThresholds(tracking_lost_s=threshold)
    )
    assert (decision.action is Action.pause) is (lost > threshold)


@given(st.floats(min_value=0, max_value=3600), st.floats(min_value=0, max_value=3600))
def test_break_suggested_every_fifteen_minutes(elapsed: float, last: float) -> None:
    s = state(elapsed_s=elapsed, last_break_s=min(last, elapsed), session_cap_s=7200.0)
    decision = break_due(s, LIMITS)
    assert (decision.action is Action.suggest_break) is (elapsed - min(last, elapsed) >= 900)


@given(st.floats(min_value=0, max_value=7200), st.floats(min_value=60, max_value=3600))
def test_hard_stop_at_session_cap(elapsed: float, cap: float) -> None:
    decision = session_cap(state(elapsed_s=elapsed, session_cap_s=cap), LIMITS)
    assert (decision.action is Action.stop) is (elapsed >= cap)


@given(
    st.floats(min_value=0, max_value=3000),
    scores,
    scores,
    st.sets(st.sampled_from(list(Symptom))),
    st.floats(min_value=0, max_value=30),
)
def test_evaluate_returns_the_most_urgent_rule(
    elapsed: float, start: int, now: int, reported: set[Symptom], lost: float
) -> None:
    s = state(
        elapsed_s=elapsed,
        pain_start=start,
        pain_now=now,
        symptoms=frozenset(reported),
        tracking_lost_s=lost,
    )
    all_decisions = evaluate_all(s, LIMITS)
    chosen = evaluate(s, LIMITS)
    assert chosen.action == max(d.action for d in all_decisions)
    assert chosen.reason
    if elapsed >= CAP:
        assert chosen.rule == "session_cap"
