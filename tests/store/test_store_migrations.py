"""Every schema version ever written loads; files from a newer Pacewise are refused, untouched.

The samples under samples/ are real files of each version, kept forever.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pacewise.domain.pain import PainKind
from pacewise.domain.profile import Hand
from pacewise.store import DamagedFileError, Store
from pacewise.store.migrations import CURRENT

SAMPLES = Path(__file__).parent / "samples"


def place(home: Path, sample: str, target: str) -> Path:
    path = home / target
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SAMPLES / sample, path)
    return path


def test_every_current_version_has_a_sample() -> None:
    names = {p.name for p in SAMPLES.iterdir()}
    for kind, version in CURRENT.items():
        for v in range(1, version + 1):
            assert any(n.startswith(f"{kind}-v{v}.") for n in names), (kind, v)


def test_pain_v1_and_v2_load_together(store: Store, home: Path) -> None:
    journal = home / "pain" / "pain.jsonl"
    data = (SAMPLES / "pain-v1.jsonl").read_bytes() + (SAMPLES / "pain-v2.jsonl").read_bytes()
    journal.write_bytes(data)
    (home / "pain" / "mirror.jsonl").write_bytes(data)  # where the mirror was kept before 2026
    store = Store.open()  # moves the mirror to its own folder
    assert (home / "mirror" / "pain.jsonl").read_bytes() == data
    assert not (home / "pain" / "mirror.jsonl").exists()
    entries = store.pain_entries()
    assert [e.score for e in entries] == [4, 6, 3, 7]
    first = entries[0]
    assert first.kind is PainKind.before and first.recorded_at == first.at  # v1 → v2
    late_diary = entries[2]
    assert late_diary.recorded_at is not None and late_diary.recorded_at > late_diary.at
    assert entries[3].exposure is not None and entries[3].exposure.expected_pain == 8


def test_new_entries_append_after_old_versions(store: Store, home: Path) -> None:
    place(home, "pain-v1.jsonl", "pain/pain.jsonl")
    place(home, "pain-v1.jsonl", "mirror/pain.jsonl")
    from pacewise.domain.pain import new_pain_entry

    store.add_pain(new_pain_entry(2, PainKind.diary, datetime(2025, 12, 1, tzinfo=UTC)))
    assert [e.score for e in store.pain_entries()] == [4, 6, 2]


def test_session_v1_with_its_recording(store: Store, home: Path) -> None:
    place(home, "session-v1.json", "sessions/2025/2025-11-03-a.json")
    place(home, "session-v1.recording.jsonl", "sessions/2025/2025-11-03-a.recording.jsonl")
    (session,) = store.sessions()
    assert session.id == "2025-11-03-a" and session.pain_rise == 2
    assert session.levels[0].best_deg == 42.0
    assert list(store.load_recording("2025-11-03-a")) == [
        '{"format":1,"type":"header"}',
        '{"t":0.0}',
    ]


def test_session_index_v1_restores_a_missing_summary(store: Store, home: Path) -> None:
    place(home, "session-index-v1.jsonl", "sessions/index.jsonl")
    place(home, "session-v1.recording.jsonl", "sessions/2025/2025-11-03-a.recording.jsonl")
    with pytest.raises(DamagedFileError, match="missing"):
        store.sessions()
    store.recover()
    assert [s.id for s in store.sessions()] == ["2025-11-03-a"]


def test_prescription_and_profile_v1(store: Store, home: Path) -> None:
    place(home, "prescription-v1.json", "prescription/rev-000001.json")
    place(home, "profile-v1.json", "profile.json")
    current = store.prescription()
    assert current.revision == 1 and current.by == "A. Physio"
    profile = store.profile()
    assert profile.seated and profile.dominant_hand is Hand.left


def test_newer_versions_are_refused_clearly_and_left_alone(store: Store, home: Path) -> None:
    pain = place(home, "pain-v99.jsonl", "pain/pain.jsonl")
    place(home, "pain-v99.jsonl", "mirror/pain.jsonl")
    summary = place(home, "session-v99.json", "sessions/2025/2025-11-03-a.json")
    before = pain.read_bytes(), summary.read_bytes()
    with pytest.raises(DamagedFileError) as caught:
        store.pain_entries()
    assert "pain.jsonl line 1: written by a newer Pacewise (pain version 99" in str(caught.value)
    with pytest.raises(DamagedFileError, match=r"newer Pacewise \(session version 99"):
        store.sessions()
    store.recover()
    assert (pain.read_bytes(), summary.read_bytes()) == before
