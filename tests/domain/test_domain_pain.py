from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from pacewise.domain.pain import (
    ExposureCheck,
    PainEntry,
    PainKind,
    is_important_change,
    is_meaningful_rise,
    new_pain_entry,
)

T0 = datetime(2025, 11, 3, 8, 0, tzinfo=UTC)
scores = st.integers(min_value=0, max_value=10)


def test_new_entry_uses_the_given_time_and_a_fresh_id() -> None:
    a = new_pain_entry(3, PainKind.diary, T0)
    b = new_pain_entry(3, PainKind.diary, T0)
    assert a.at == T0 and a.recorded_at == T0
    assert a.id != b.id and a.id.startswith("20251103T080000")


@pytest.mark.parametrize("score", [-1, 11, 3.5, "4"])
def test_score_must_be_an_integer_from_0_to_10(score: object) -> None:
    with pytest.raises(ValidationError):
        PainEntry(id="x", score=score, kind=PainKind.diary, at=T0)  # type: ignore[arg-type]


def test_time_must_carry_a_zone() -> None:
    with pytest.raises(ValidationError, match="time zone"):
        new_pain_entry(3, PainKind.diary, datetime(2025, 11, 3, 8, 0))


def test_exposure_check_records_expected_and_felt() -> None:
    check = ExposureCheck(movement="forward_flexion", expected_pain=7, expected_harm=6, felt_pain=4)
    entry = new_pain_entry(4, PainKind.after, T0, exposure=check)
    assert entry.exposure is not None and entry.exposure.expected_pain - 4 == 3


@given(scores, scores)
def test_important_change_is_two_points_or_thirty_percent(before: int, after: int) -> None:
    expected = abs(after - before) >= 2 or (before > 0 and abs(after - before) / before >= 0.3)
    assert is_important_change(before, after) is expected


@given(scores, scores)
def test_meaningful_rise_only_counts_rises(before: int, after: int) -> None:
    assert is_meaningful_rise(before, after) is (after - before >= 2)
    if after <= before:
        assert not is_meaningful_rise(before, after)


@given(st.integers(min_value=-12, max_value=14))
def test_any_time_zone_is_accepted(hours: int) -> None:
    at = datetime(2025, 1, 1, tzinfo=timezone(timedelta(hours=hours)))
    assert new_pain_entry(0, PainKind.flare, at).at == at
