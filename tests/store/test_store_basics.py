from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pacewise.domain.pain import PainKind, new_pain_entry
from pacewise.domain.session import LevelResult, SessionRecord
from pacewise.store import InvalidInputError, Store

T0 = datetime(2025, 11, 3, 9, 30, tzinfo=UTC)


def session(sid: str, at: datetime = T0, **extra: object) -> SessionRecord:
    return SessionRecord(
        id=sid,
        started_at=at,
        duration_s=600.0,
        godot_version="4.6.stable",
        frames=54_000,
        levels=[LevelResult(name="reach", reps=12, best_deg=41.5)],
        pain_before=4,
        pain_after=5,
        **extra,  # type: ignore[arg-type]
    )


def test_open_uses_pacewise_home(home: Path) -> None:
    assert Store.open().home == home.absolute()
    assert stat.S_IMODE(home.stat().st_mode) == 0o700


def test_pain_round_trip_in_time_order(store: Store) -> None:
    later = store.add_pain(
        new_pain_entry(6, PainKind.flare, T0 + timedelta(days=1), note="lifting")
    )
    earlier = store.add_pain(new_pain_entry(3, PainKind.diary, T0))
    assert store.pain_entries() == [earlier, later]
    assert store.pain_entries(since=T0 + timedelta(hours=1)) == [later]


def test_pain_survives_reopen(store: Store, home: Path) -> None:
    entry = store.add_pain(new_pain_entry(2, PainKind.before, T0, session_id="s-1"))
    assert Store.open(home).pain_entries() == [entry]


def test_session_round_trip_with_recording(store: Store) -> None:
    lines = ['{"format":1,"kind":"header"}', '{"t":0.0,"head":[0,1.6,0]}']
    path = store.save_session(session("s-1"), lines)
    assert path.name == "s-1.json" and path.exists()
    assert store.sessions() == [session("s-1")]
    assert list(store.load_recording("s-1")) == lines


def test_saving_again_replaces_summary_and_keeps_recording(store: Store) -> None:
    store.save_session(session("s-1"), ['{"t":0}'])
    store.save_session(session("s-1", stopped="dizziness reported"))
    assert [s.stopped for s in store.sessions()] == ["dizziness reported"]
    assert list(store.load_recording("s-1")) == ['{"t":0}']


def test_files_are_private(store: Store, home: Path) -> None:
    store.add_pain(new_pain_entry(2, PainKind.diary, T0))
    store.save_session(session("s-1"), ['{"t":0}'])
    for path in home.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path


def test_rejects_wrong_types_without_writing(store: Store, home: Path) -> None:
    with pytest.raises(InvalidInputError):
        store.add_pain({"score": 3})  # type: ignore[arg-type]
    assert store.pain_entries() == []
