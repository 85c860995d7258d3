"""A session's live files: the recording streams to disk, a torn last line is dropped, and a
session whose game side died for good is saved as cut short by the next session."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pacewise.domain.session import SessionRecord
from pacewise.runtime.game import finalise_unfinished
from pacewise.store.live import FLUSH_EVERY, unfinished
from pacewise.store.store import Store


def record(session_id: str) -> SessionRecord:
    return SessionRecord(
        id=session_id,
        started_at=datetime(2026, 12, 1, 9, tzinfo=UTC),
        duration_s=12.0,
        godot_version="4.6",
        frames=3,
        stopped="the session did not finish (it was still being played when last saved)",
    )


def test_lines_reach_the_file_in_batches_and_a_torn_tail_is_dropped(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "home")
    live = store.live("20261201T090000-aaaa")
    for i in range(FLUSH_EVERY + 5):
        live.append(f'{{"n": {i}}}')
    on_disk = live.recording_path.read_bytes().count(b"\n")
    assert on_disk == FLUSH_EVERY  # the rest waits for the next batch or a sync
    live.sync()
    with live.recording_path.open("ab") as handle:
        handle.write(b'{"n": 99')  # a kill in the middle of a write
    lines = list(live.recording_lines())
    assert len(lines) == FLUSH_EVERY + 5 and lines[-1] == f'{{"n": {FLUSH_EVERY + 4}}}'
    assert oct(live.recording_path.stat().st_mode & 0o777) == oct(0o600)


def test_a_session_left_unfinished_is_saved_as_cut_short_by_the_next_one(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "home")
    sid = "20261201T090000-bbbb"
    live = store.live(sid)
    live.append('{"format": "pacewise.tracking", "version": 1}')
    for i in range(3):
        live.append(f'{{"t": {i}}}')
    live.save_state({"session_id": sid})
    store.save_session(record(sid))  # the last checkpoint before the game side died
    live.close()
    assert unfinished(store.home / "sessions") == [sid]
    assert finalise_unfinished(store) == [sid]
    assert unfinished(store.home / "sessions") == []
    [saved] = store.sessions()
    assert saved.stopped is not None and "did not finish" in saved.stopped
    assert len(list(store.load_recording(sid))) == 4


def test_the_session_being_resumed_is_left_alone(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "home")
    sid = "20261201T090000-cccc"
    store.live(sid).save_state({"session_id": sid})
    assert finalise_unfinished(store, keep=sid) == []
    assert unfinished(store.home / "sessions") == [sid]


def test_check_reports_an_unfinished_session_and_recover_closes_it(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "home")
    sid = "20261201T090000-dddd"
    store.live(sid).save_state({"session_id": sid})
    store.save_session(record(sid))
    [problem] = [p for p in store.check() if sid in p.what]
    assert problem.recoverable and "stopped unexpectedly" in problem.what
    assert any(sid in action for action in store.recover())
    assert not [p for p in store.check() if sid in p.what]
