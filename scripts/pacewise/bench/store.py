"""Store benchmark: durable pain appends, ten years of data loading, and the kill -9 crash test."""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pacewise.domain.pain import PainKind, new_pain_entry
from pacewise.domain.session import LevelResult, SessionRecord
from pacewise.store import Store

APPENDS = 2000
SESSIONS = 3000
PAIN = 10_000
CRASH_ROUNDS = int(os.environ.get("PACEWISE_CRASH_ROUNDS", "300"))
T0 = datetime(2016, 1, 1, 8, 0, tzinfo=UTC)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_append(home: Path) -> tuple[float, float, float]:
    store = Store.open(home)
    times = []
    for i in range(APPENDS):
        entry = new_pain_entry(i % 11, PainKind.diary, T0 + timedelta(minutes=i))
        start = time.perf_counter()
        store.add_pain(entry)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), _percentile(times, 0.99), max(times)


def fill_ten_years(home: Path) -> None:
    store = Store.open(home)
    rng = random.Random(10)
    step = timedelta(days=3653) / SESSIONS
    for i in range(SESSIONS):
        at = T0 + step * i
        record = SessionRecord(
            id=f"{at:%Y%m%d}-{i:05d}",
            started_at=at,
            duration_s=rng.uniform(300, 1200),
            godot_version="4.6.stable",
            frames=rng.randint(20_000, 100_000),
            levels=[
                LevelResult(name="reach", reps=rng.randint(6, 20), quota=12, best_deg=41.0),
                LevelResult(name="march", reps=0, seconds=90.0, steps=130),
                LevelResult(name="breathing", reps=0, seconds=120.0, breaths=12),
            ],
            pain_before=rng.randint(2, 7),
            pain_after=rng.randint(2, 7),
            seed=i,
        )
        store.save_session(record, ['{"format":1,"type":"header"}', '{"t":0.0}'])
    step = timedelta(days=3653) / PAIN
    kinds = list(PainKind)
    for i in range(PAIN):
        store.add_pain(new_pain_entry(rng.randint(0, 10), rng.choice(kinds), T0 + step * i))


def time_load(home: Path, runs: int = 7) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        store = Store.open(home)
        sessions = store.sessions()
        pain = store.pain_entries()
        times.append(time.perf_counter() - start)
        assert len(sessions) == SESSIONS and len(pain) == PAIN
    return statistics.median(times), min(times)


def time_check(home: Path) -> tuple[float, float]:
    """`pacewise check` (every file, recordings by checksum) and the dashboard's cheap scan."""
    store = Store.open(home)
    start = time.perf_counter()
    problems = store.check()
    check_s = time.perf_counter() - start
    assert problems == [], problems[:3]
    start = time.perf_counter()
    store.scan()
    return check_s, time.perf_counter() - start


def crash_test() -> tuple[str, float]:
    test = Path(__file__).resolve().parents[3] / "tests" / "store" / "test_store_crash.py"
    if not test.exists():
        return "not run (tests/ not found)", 0.0
    env = {**os.environ, "PACEWISE_CRASH_ROUNDS": str(CRASH_ROUNDS)}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    verdict = "passed" if done.returncode == 0 else "FAILED:\n" + done.stdout[-2000:]
    return verdict, seconds


def run() -> str:
    with tempfile.TemporaryDirectory(prefix="pacewise-bench-") as tmp:
        p50, p99, worst = bench_append(Path(tmp) / "append")
        home = Path(tmp) / "ten-years"
        fill_ten_years(home)
        median, best = time_load(home)
        check_s, scan_s = time_check(home)
        (home / "sessions" / "index.jsonl").unlink()
        cold_median, _ = time_load(home, runs=3)
    verdict, crash_s = crash_test()
    return "\n".join(
        [
            "## Store\n",
            "| measure | result | target |",
            "|---|---|---|",
            f"| durable pain append, {APPENDS} appends (fsync file + mirror) | "
            f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {worst:.2f} ms | p99 ≤ 20 ms |",
            f"| load {SESSIONS} sessions + {PAIN} pain entries (fresh Store, median of 7) | "
            f"{median * 1000:.0f} ms (best {best * 1000:.0f} ms) | ≤ 300 ms |",
            f"| `pacewise check` of the same data (journal against mirror, every recording "
            f"by checksum, leftovers, permissions) | {check_s * 1000:.0f} ms | — |",
            f"| the dashboard's scan per page (profile, recordings by size, leftovers, "
            f"permissions) | {scan_s * 1000:.0f} ms | — |",
            f"| same load with the session index deleted (every summary file read) | "
            f"{cold_median * 1000:.0f} ms | — |",
            f"| kill -9 crash tests: {CRASH_ROUNDS} rounds of one writer, then 200 rounds of "
            f"four racing writers | {verdict} in {crash_s:.0f} s | every acknowledged entry "
            "present; every leftover reported, and clean after recover |",
            "",
            "Appends are timed one by one on a store in a temporary folder on the same disk as the "
            "checkout. Recordings exist for every session but are never read by the load.",
            "",
        ]
    )


if __name__ == "__main__":
    print(run())
