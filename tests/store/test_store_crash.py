"""Kill -9 writers at random moments, many times, and check nothing acknowledged is lost.

Each round forks a real writer process that saves pain entries, sessions with recordings and
plan revisions as fast as it can, writing an acknowledgement to a pipe only after each call
returned. The parent kills it with SIGKILL after a random delay, then checks that every
acknowledged item is in the store and that every file still loads. Rounds share one store, so
each writer also has to cope with what the previous one left half-done.
Set PACEWISE_CRASH_ROUNDS for a longer run (the benchmark runs hundreds).
"""

from __future__ import annotations

import os
import random
import signal
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pacewise.domain.pain import PainKind, new_pain_entry
from pacewise.domain.prescription import default_prescription
from pacewise.domain.session import LevelResult, SessionRecord
from pacewise.store import Store

ROUNDS = int(os.environ.get("PACEWISE_CRASH_ROUNDS", "40"))
T0 = datetime(2025, 1, 1, tzinfo=UTC)


def _writer(home: Path, ack_fd: int, seed: int) -> None:
    rng = random.Random(seed)
    store = Store.open(home)
    plan = default_prescription()
    n = 0
    while True:
        n += 1
        choice = rng.random()
        at = T0 + timedelta(minutes=seed * 1000 + n)
        if choice < 0.7:
            entry = store.add_pain(new_pain_entry(rng.randint(0, 10), PainKind.diary, at))
            os.write(ack_fd, f"P {entry.id}\n".encode())
        elif choice < 0.95:
            sid = f"r{seed}-{n}"
            lines = [f'{{"t":{i},"pad":"{"x" * rng.randint(0, 300)}"}}' for i in range(200)]
            record = SessionRecord(
                id=sid,
                started_at=at,
                duration_s=60.0,
                godot_version="4.6",
                frames=len(lines),
                levels=[LevelResult(name="reach", reps=rng.randint(0, 12))],
                pain_before=3,
                pain_after=4,
            )
            store.save_session(record, lines)
            os.write(ack_fd, f"S {sid} {len(lines)}\n".encode())
        else:
            version = store.set_prescription(plan, by=f"writer {seed}", at=at)
            os.write(ack_fd, f"R {version.revision}\n".encode())


def run_round(home: Path, seed: int, rng: random.Random) -> list[str]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the writer: never returns into pytest
        os.close(read_fd)
        try:
            _writer(home, write_fd, seed)
        finally:
            os._exit(0)
    os.close(write_fd)
    time.sleep(rng.uniform(0.0, 0.06))
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    chunks = []
    while chunk := os.read(read_fd, 1 << 16):
        chunks.append(chunk)
    os.close(read_fd)
    return b"".join(chunks).decode().splitlines()


def check_everything_acknowledged_is_there(home: Path, acks: list[str], new: list[str]) -> None:
    """All acknowledged items are there; recordings are read back for this round's sessions."""
    store = Store.open(home)
    # a killed writer may leave only what was never confirmed: each is named, and recovered
    for problem in store.check():
        assert problem.recoverable, problem
        assert "cut short" in problem.what, problem
    store.recover()
    assert store.check() == []  # every file loads, nothing damaged, nothing left over
    pain_ids = {e.id for e in store.pain_entries()}
    sessions = {s.id: s for s in store.sessions()}
    revision = store.prescription().revision
    for ack in acks:
        kind, *rest = ack.split()
        if kind == "P":
            assert rest[0] in pain_ids, f"acknowledged pain entry {rest[0]} lost"
        elif kind == "S":
            assert rest[0] in sessions, f"acknowledged session {rest[0]} lost"
            if ack in new:
                assert sum(1 for _ in store.load_recording(rest[0])) == int(rest[1])
        else:
            assert revision >= int(rest[0])


def test_kill_9_at_random_moments_loses_nothing_acknowledged(tmp_path: Path) -> None:
    home = tmp_path / "home"
    rng = random.Random(4)
    acks: list[str] = []
    for seed in range(ROUNDS):
        new = run_round(home, seed, rng)
        acks += new
        check_everything_acknowledged_is_there(home, acks, new)
    assert sum(a.startswith("P") for a in acks) > ROUNDS  # the writers really wrote
    # history of plan revisions is contiguous: no revision was half-written or lost
    revisions = [v.revision for v in Store.open(home).prescription_history()]
    assert revisions == list(range(1, len(revisions) + 1))


def run_writers_at_once(home: Path, seeds: list[int], rng: random.Random) -> list[str]:
    """Fork one writer per seed, let them race, kill every one with SIGKILL; their acks."""
    children = []
    for seed in seeds:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            try:
                _writer(home, write_fd, seed)
            finally:
                os._exit(0)
        os.close(write_fd)
        children.append((pid, read_fd))
    time.sleep(rng.uniform(0.0, 0.08))
    acks = []
    for pid, read_fd in children:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        chunks = []
        while chunk := os.read(read_fd, 1 << 16):
            chunks.append(chunk)
        os.close(read_fd)
        acks += b"".join(chunks).decode().splitlines()
    return acks


@pytest.mark.slow
def test_kill_9_four_writers_at_once_many_rounds(tmp_path: Path) -> None:
    """Four writers racing on one store, all killed at a random moment, round after round
    (PACEWISE_CRASH_ROUNDS_SLOW, default 200): nothing acknowledged is lost, every leftover
    is reported as such, and recover() leaves the store clean."""
    home = tmp_path / "home"
    rng = random.Random(11)
    acks: list[str] = []
    rounds = int(os.environ.get("PACEWISE_CRASH_ROUNDS_SLOW", "200"))
    for n in range(rounds):
        new = run_writers_at_once(home, [1000 + n * 4 + k for k in range(4)], rng)
        acks += new
        check_everything_acknowledged_is_there(home, acks, new)
    assert sum(a.startswith("P") for a in acks) > rounds
