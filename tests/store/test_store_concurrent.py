"""Several real processes write at once: no update may be lost or half-applied."""

from __future__ import annotations

import multiprocessing as mp
from datetime import UTC, datetime, timedelta
from multiprocessing.synchronize import Barrier
from pathlib import Path

from pacewise.domain.pain import PainKind, new_pain_entry
from pacewise.domain.prescription import default_prescription
from pacewise.domain.session import LevelResult, SessionRecord
from pacewise.store import Store

WORKERS = 4
EACH = 40
T0 = datetime(2025, 3, 1, tzinfo=UTC)


def worker(home: str, number: int, start: Barrier) -> None:
    store = Store.open(Path(home))
    start.wait()
    for i in range(EACH):
        at = T0 + timedelta(minutes=number * 1000 + i)
        store.add_pain(new_pain_entry(i % 11, PainKind.diary, at, note=f"w{number}"))
        if i % 8 == 0:
            record = SessionRecord(
                id=f"w{number}-{i}",
                started_at=at,
                duration_s=1.0,
                godot_version="4.6",
                frames=1,
                levels=[LevelResult(name="march", reps=0, seconds=30.0)],
            )
            store.save_session(record, [f'{{"w":{number},"i":{i}}}'])
        if i % 10 == 0:
            store.set_prescription(default_prescription(), by=f"w{number}", at=at)
        store.pain_entries()  # readers alongside writers must never see damage


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    Store.open(home)
    ctx = mp.get_context("fork")
    start = ctx.Barrier(WORKERS)
    procs = [ctx.Process(target=worker, args=(str(home), n, start)) for n in range(WORKERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    store = Store.open(home)
    assert store.check() == []
    entries = store.pain_entries()
    assert len(entries) == WORKERS * EACH
    assert len({e.id for e in entries}) == WORKERS * EACH
    for n in range(WORKERS):
        assert sorted(e.score for e in entries if e.note == f"w{n}") == sorted(
            i % 11 for i in range(EACH)
        )
    assert len(store.sessions()) == WORKERS * len(range(0, EACH, 8))
    revisions = [v.revision for v in store.prescription_history()]
    assert revisions == list(range(1, WORKERS * len(range(0, EACH, 10)) + 1))
    mirror = (home / "mirror" / "pain.jsonl").read_bytes()
    assert mirror.count(b"\n") == WORKERS * EACH
