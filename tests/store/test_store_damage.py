"""Damaged and wrongly hand-edited files: named clearly, kept, and recoverable."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pacewise.domain.pain import PainKind, new_pain_entry
from pacewise.domain.prescription import default_prescription
from pacewise.domain.profile import Profile
from pacewise.domain.session import SessionRecord
from pacewise.store import DamagedFileError, Store

T0 = datetime(2025, 11, 3, 9, 0, tzinfo=UTC)


def fill_pain(store: Store, n: int = 5) -> list[str]:
    return [
        store.add_pain(new_pain_entry(i % 11, PainKind.diary, T0 + timedelta(hours=i))).id
        for i in range(n)
    ]


def session(sid: str) -> SessionRecord:
    return SessionRecord(
        id=sid, started_at=T0, duration_s=5.0, godot_version="4.6", frames=450, pain_before=3
    )


def edit_line(path: Path, number: int, old: bytes, new: bytes) -> None:
    lines = path.read_bytes().split(b"\n")
    assert old in lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    path.write_bytes(b"\n".join(lines))


def damaged_copies(folder: Path, name: str) -> list[Path]:
    return sorted(folder.glob(f"{name}.damaged-*"))


def test_hand_edited_pain_line_is_named_and_restored_from_mirror(store: Store, home: Path) -> None:
    ids = fill_pain(store)
    journal = home / "pain" / "pain.jsonl"
    edit_line(journal, 3, b'"score":2', b'"score":9')
    edited = journal.read_bytes()
    with pytest.raises(DamagedFileError) as caught:
        store.pain_entries()
    message = str(caught.value)
    assert f"{journal} line 3: checksum does not match" in message
    assert journal.read_bytes() == edited  # reading never rewrites
    actions = store.recover()
    assert any("1 restored from the mirror" in a for a in actions)
    assert [e.id for e in store.pain_entries()] == ids
    assert store.pain_entries()[2].score == 2
    (kept,) = damaged_copies(journal.parent, "pain.jsonl")
    assert kept.read_bytes() == edited


def test_garbage_line_reported_with_line_number(store: Store, home: Path) -> None:
    fill_pain(store, 3)
    journal = home / "pain" / "pain.jsonl"
    lines = journal.read_bytes().splitlines(keepends=True)
    journal.write_bytes(lines[0] + b"\x00\x00garbage\n" + b"".join(lines[1:]))
    loaded = store.load_pain()
    assert len(loaded.items) == 3
    (problem,) = loaded.problems
    assert problem.line == 2 and "not valid JSON" in problem.what and problem.recoverable


def test_torn_tail_is_ignored_then_set_aside(store: Store, home: Path) -> None:
    ids = fill_pain(store, 2)
    journal = home / "pain" / "pain.jsonl"
    with journal.open("ab") as f:
        f.write(b'{"v":2,"crc":"0000')  # a write cut short by a crash: never acknowledged
    assert [e.id for e in store.pain_entries()] == ids
    (problem,) = store.check()  # reported while it is there, though it was never confirmed
    assert problem.path == journal and "unfinished" in problem.what and problem.recoverable
    later = fill_pain(store, 1)
    assert {e.id for e in store.pain_entries()} == {*ids, *later}
    assert (journal.parent / "pain.jsonl.torn").read_bytes() == b'{"v":2,"crc":"0000\n'


def test_invalid_session_summary_restored_from_index(store: Store, home: Path) -> None:
    path = store.save_session(session("s-1"), ['{"t":0}'])
    doc = json.loads(path.read_text())
    doc["session"]["pain_before"] = 12
    path.write_text(json.dumps(doc))
    with pytest.raises(DamagedFileError) as caught:
        store.sessions()
    assert str(path) in str(caught.value) and "pain_before" in str(caught.value)
    store.recover()
    assert store.sessions() == [session("s-1")]
    (kept,) = damaged_copies(path.parent, "s-1.json")
    assert json.loads(kept.read_text())["session"]["pain_before"] == 12


def test_truncated_summary_and_deleted_summary(store: Store) -> None:
    a = store.save_session(session("s-a"))
    b = store.save_session(session("s-b"))
    a.write_bytes(a.read_bytes()[:40])
    b.unlink()
    problems = {p.path.name: p.what for p in store.check()}
    assert "not valid JSON" in problems["s-a.json"]
    assert "missing" in problems["s-b.json"]
    store.recover()
    assert [s.id for s in store.sessions()] == ["s-a", "s-b"]
    assert store.check() == []


def test_changed_recording_is_refused(store: Store) -> None:
    path = store.save_session(session("s-1"), ['{"t":0}', '{"t":1}'])
    recording = path.with_name("s-1.recording.jsonl")
    recording.write_text('{"t":0}\n{"t":2}\n')
    with pytest.raises(DamagedFileError, match="does not match the checksum"):
        store.load_recording("s-1")


def test_damaged_index_does_not_hide_sessions(store: Store, home: Path) -> None:
    store.save_session(session("s-1"))
    index = home / "sessions" / "index.jsonl"
    index.write_bytes(index.read_bytes().replace(b'"frames":450', b'"frames":451'))
    assert [s.id for s in store.sessions()] == ["s-1"]
    assert any("only the index" in p.what for p in store.check())
    store.recover()
    assert store.check() == []


def test_damaged_latest_plan_falls_back_to_previous_revision(store: Store, home: Path) -> None:
    plan = default_prescription()
    store.set_prescription(plan, by="A. Physio", at=T0)
    second = store.set_prescription(plan, by="B. Physio", at=T0 + timedelta(days=7))
    path = home / "prescription" / f"rev-{second.revision:06d}.json"
    text = path.read_text().replace('"max_deg": 35.0', '"max_deg": 80.0')
    path.write_text(text.replace('"target_deg": [\n            15.0', '"target_deg": [\n  80.0'))
    with pytest.raises(DamagedFileError) as caught:
        store.prescription()
    assert str(path) in str(caught.value) and "above the hard limit" in str(caught.value)
    store.recover()
    current = store.prescription()
    assert current.revision == 1 and current.by == "A. Physio"
    assert damaged_copies(path.parent, path.name)
    third = store.set_prescription(plan, by="C. Physio", at=T0 + timedelta(days=8))
    assert third.revision == 3  # the damaged revision's number is never reused


def test_damaged_profile_restored_from_backup(store: Store, home: Path) -> None:
    store.save_profile(Profile(display_name="Sam", seated=True))
    store.save_profile(Profile(display_name="Sam", seated=False))
    (home / "profile.json").write_text("{not json")
    with pytest.raises(DamagedFileError, match=r"profile\.json: not valid JSON"):
        store.profile()
    store.recover()
    assert store.profile() == Profile(display_name="Sam", seated=True)


def test_file_of_another_kind_is_named(store: Store, home: Path) -> None:
    folder = home / "sessions" / "2025"
    folder.mkdir(mode=0o700)
    (folder / "notes.json").write_text('{"hello": "world"}')
    (folder / "notes.json").chmod(0o600)
    (problem,) = store.check()
    assert problem.path.name == "notes.json"
    assert "not a Pacewise session file" in problem.what
