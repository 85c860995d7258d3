from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from pacewise.domain.pacing import Plan, Step, at_quota, plan_exercise
from pacewise.domain.pain import PainEntry, PainKind, new_pain_entry
from pacewise.domain.prescription import Exercise, Prescription, default_prescription
from pacewise.domain.session import LevelResult, SessionRecord

T0 = datetime(2025, 11, 1, 9, 0, tzinfo=UTC)
REACH = Exercise.reach


def day(n: int, hours: int = 0) -> datetime:
    return T0 + timedelta(days=n, hours=hours)


def session(
    n: int,
    reps: int,
    before: int | None = 3,
    after: int | None = 3,
    stopped: str | None = None,
    name: str = "reach",
    seconds: float | None = None,
) -> SessionRecord:
    return SessionRecord(
        id=f"s{n}",
        started_at=day(n),
        duration_s=600,
        godot_version="4.6",
        frames=1,
        levels=[LevelResult(name=name, reps=reps, seconds=seconds)],
        pain_before=before,
        pain_after=after,
        stopped=stopped,
    )


def flare(n: int) -> PainEntry:
    return new_pain_entry(7, PainKind.flare, day(n, hours=5))


def today(
    sessions: list[SessionRecord],
    pain: list[PainEntry] | None = None,
    p: Prescription | None = None,
) -> Plan:
    return plan_exercise(
        REACH, p or default_prescription(), sessions, pain or [], day(len(sessions))
    )


BASELINE = [session(0, 10), session(1, 10), session(2, 10)]  # baseline 10 reps → start at 8


def test_first_sessions_measure_the_baseline() -> None:
    decision = today([]).today
    assert decision.step is Step.baseline and decision.quota == 10
    assert "baseline session 1 of 3" in decision.reason


def test_first_quota_is_eighty_percent_of_baseline() -> None:
    decision = today([session(0, 9), session(1, 10), session(2, 11)]).today
    assert decision.step is Step.start and decision.quota == 8
    assert "80% of your baseline of 10 reps" in decision.reason


def test_steps_up_after_two_sessions_as_planned() -> None:
    history = [*BASELINE, session(3, 8), session(4, 8)]
    decision = today(history).today
    assert decision.step is Step.step_up and decision.quota == 9
    assert decision.reason.startswith("raised to 9 reps")


def test_a_pain_rise_of_two_holds() -> None:
    decision = today([*BASELINE, session(3, 8), session(4, 8, before=3, after=5)]).today
    assert decision.step is Step.hold and decision.quota == 8
    assert "pain rose 2 points during the session on 5 Nov" in decision.reason


def test_sessions_not_done_as_planned_hold() -> None:
    decision = today([*BASELINE, session(3, 8), session(4, 6)]).today
    assert decision.step is Step.hold and "6 reps of 8 done on 5 Nov" in decision.reason
    stopped = today([*BASELINE, session(3, 8), session(4, 8, stopped="user")]).today
    assert stopped.step is Step.hold and "stopped early" in stopped.reason


def test_flare_up_holds_with_its_date() -> None:
    decision = today([*BASELINE, session(3, 8), session(4, 8)], [flare(4)]).today
    assert decision.step is Step.hold and decision.quota == 8
    assert decision.reason.startswith("kept at 8 reps: flare-up reported on 5 Nov")


def test_two_flare_ups_step_back() -> None:
    history = [*BASELINE, session(3, 8), session(4, 8), session(5, 8)]
    decision = today(history, [flare(3), flare(5)]).today
    assert decision.step is Step.step_back and decision.quota == 7
    assert "2 flare-ups" in decision.reason and "4 Nov" in decision.reason


def test_never_above_the_cap() -> None:
    p = default_prescription()
    caps = p.exercises[REACH].caps.model_copy(update={"max_reps": 9})
    reach = p.exercises[REACH].model_copy(update={"caps": caps})
    capped = p.model_copy(update={"exercises": {**p.exercises, REACH: reach}})
    history = [*BASELINE] + [session(n, 9) for n in range(3, 12)]
    decision = today(history, p=capped).today
    assert decision.quota == 9 and decision.step is Step.capped
    assert "cap" in decision.reason


def test_seconds_exercises_use_seconds() -> None:
    history = [session(n, 0, name="march", seconds=60.0) for n in range(3)]
    decision = plan_exercise(Exercise.march, default_prescription(), history, [], day(3)).today
    assert decision.unit.value == "seconds" and decision.quota == 48


def test_stop_at_quota_even_on_a_good_day() -> None:
    decision = today([*BASELINE]).today
    assert at_quota(decision, 8).stop
    assert "even on a good day" in at_quota(decision, 8).reason
    assert not at_quota(decision, 7).stop


def test_history_explains_every_past_session() -> None:
    history = [*BASELINE, session(3, 8), session(4, 8)]
    plan = today(history)
    assert [d.session_id for d in plan.history] == ["s0", "s1", "s2", "s3", "s4"]
    assert all(d.reason for d in plan.history)


outcomes = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=40),  # reps done
        st.integers(min_value=0, max_value=4),  # pain before
        st.integers(min_value=-3, max_value=4),  # pain change during the session
        st.booleans(),  # stopped early
        st.booleans(),  # flare-up the day after
    ),
    max_size=25,
)
Outcomes = list[tuple[int, int, int, bool, bool]]


def build(items: Outcomes, offset: int = 0) -> tuple[list[SessionRecord], list[PainEntry]]:
    sessions, pain = [], []
    for n, (reps, before, change, stopped, flared) in enumerate(items):
        after = max(0, before + change)
        sessions.append(session(n, reps, before + offset, after + offset, "u" if stopped else None))
        if flared:
            pain.append(flare(n))
    return sessions, pain


@settings(max_examples=150)
@given(outcomes)
def test_quota_stays_within_cap_moves_one_step_and_explains(items: Outcomes) -> None:
    sessions, pain = build(items)
    plan = today(sessions, pain)
    cap = default_prescription().exercises[REACH].caps.max_reps or 0
    for d in [*plan.history, plan.today]:
        assert 1 <= d.quota <= cap
        assert d.reason
    paced = [d for d in [*plan.history, plan.today] if d.step is not Step.baseline]
    for a, b in itertools.pairwise(paced):
        assert b.baseline is not None
        assert abs(a.quota - b.quota) <= max(1, round(b.baseline * 0.10))


@settings(max_examples=150)
@given(outcomes, st.integers(min_value=1, max_value=2))
def test_pain_level_itself_never_changes_the_quota(items: Outcomes, offset: int) -> None:
    """Not pain-contingent: the same history at a higher pain level gives the same quota."""
    low, pain = build(items)
    high, _ = build(items, offset)
    assert today(high, pain).today == today(low, pain).today


@given(outcomes)
def test_a_flare_up_never_raises_the_quota(items: Outcomes) -> None:
    sessions, _ = build(items)
    now = day(len(sessions))
    calm = plan_exercise(REACH, default_prescription(), sessions, [], now).today
    flared = plan_exercise(
        REACH, default_prescription(), sessions, [flare(len(sessions) - 1)], now
    ).today
    assert flared.quota <= calm.quota
    assert flared.step is not Step.step_up
