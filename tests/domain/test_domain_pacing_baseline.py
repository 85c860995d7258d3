"""What counts towards pacing: stopped, cut-short, failed, gentle and old sessions.

docs/clinical.md ("What counts towards pacing") states each rule; each has a test here that
feeds it the session that should trigger it. The defect these guard against: a level that
failed or a session that was stopped taught pacing a baseline of 0 or 3 reps.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pacewise.domain.pacing import Step, plan_exercise
from pacewise.domain.prescription import Exercise, default_prescription
from pacewise.domain.session import LevelEnd, LevelResult, SessionPath, SessionRecord

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def session(
    n: int,
    reps: int,
    ended: LevelEnd | None = LevelEnd.quota,
    *,
    stopped: str | None = None,
    path: SessionPath = SessionPath.full,
    why: str | None = None,
) -> SessionRecord:
    level_stopped = "stop pressed" if ended is LevelEnd.stopped else None
    return SessionRecord(
        id=f"s{n}",
        started_at=T0 + timedelta(days=n),
        duration_s=600,
        godot_version="4.6",
        frames=1,
        levels=[
            LevelResult(
                name="reach", reps=reps, ended=ended, stopped=level_stopped, not_measured=why
            )
        ],
        pain_before=3,
        pain_after=3,
        stopped=stopped,
        path=path,
    )


def quota(sessions: list[SessionRecord]) -> tuple[int, Step, str]:
    at = T0 + timedelta(days=len(sessions) + 1)
    decision = plan_exercise(Exercise.reach, default_prescription(), sessions, [], at).today
    return decision.quota, decision.step, decision.reason


def test_levels_that_measured_nothing_never_enter_the_baseline() -> None:
    failed = [
        session(i, 0, LevelEnd.not_measured, why="the level's behaviour failed") for i in range(3)
    ]
    amount, step, reason = quota(failed)
    assert step is Step.baseline and "baseline session 1 of 3" in reason
    good = failed + [session(3 + i, 10) for i in range(3)]
    amount, step, reason = quota(good)
    assert (amount, step) == (8, Step.start) and "baseline of 10 reps" in reason


def test_a_stopped_level_does_not_enter_the_baseline() -> None:
    sessions = [session(0, 3, LevelEnd.stopped, stopped="stop pressed"), session(1, 10)]
    amount, step, _ = quota(sessions)
    assert step is Step.baseline  # only one sample so far, not two
    amount, step, reason = quota([*sessions, session(2, 10), session(3, 10)])
    assert (amount, step) == (8, Step.start), reason


def test_a_session_cut_short_by_the_game_closing_does_not_enter_the_baseline() -> None:
    cut = session(0, 2, LevelEnd.interrupted, stopped="the game closed during level")
    amount, step, reason = quota([cut, session(1, 10), session(2, 10), session(3, 10)])
    assert (amount, step) == (8, Step.start), reason


def test_a_level_finished_before_a_later_stop_counts() -> None:
    partial = [session(i, 10, LevelEnd.quota, stopped="stop pressed later") for i in range(3)]
    amount, step, _ = quota(partial)
    assert (amount, step) == (8, Step.start)


def test_a_gentle_session_does_not_count_either_way() -> None:
    gentle = session(0, 5, path=SessionPath.gentle)
    amount, step, _ = quota([gentle, session(1, 10), session(2, 10), session(3, 10)])
    assert (amount, step) == (8, Step.start)


def test_after_the_baseline_a_level_not_measured_neither_raises_nor_resets() -> None:
    base = [session(i, 10) for i in range(3)]
    done = [session(3, 8), session(4, 0, LevelEnd.not_measured, why="nothing was measured")]
    amount, step, reason = quota(base + done)
    assert (amount, step) == (8, Step.hold)
    assert "did not count: nothing could be measured" in reason
    amount, step, reason = quota([*base, *done, session(5, 8)])
    assert (amount, step) == (9, Step.step_up), reason  # the streak went 1 → 2, not 0 → 1


def test_after_the_baseline_a_stop_resets_the_streak() -> None:
    base = [session(i, 10) for i in range(3)]
    amount, step, reason = quota([*base, session(3, 8), session(4, 4, LevelEnd.stopped)])
    assert (amount, step) == (8, Step.hold) and "stopped early" in reason


def test_files_written_before_level_ends_existed_read_as_before() -> None:
    old = [session(i, 10, None) for i in range(3)]
    assert quota(old)[:2] == (8, Step.start)
    old_stopped = [session(0, 3, None, stopped="stop pressed")]
    old_stopped[0] = old_stopped[0].model_copy(
        update={"levels": [LevelResult(name="reach", reps=3, stopped="stop pressed")]}
    )
    assert quota(old_stopped)[1] is Step.baseline
