"""Dashboard benchmark: the overview page for ten years of data, over real HTTP.

Ten years is 3,000 sessions and 10,000 pain entries, generated through the store's public API.
The page is fetched from the real uvicorn server the `pacewise dashboard` command runs, so the
time covers reading the store, the pacing replay, the charts, the template and the socket.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pacewise.clinic.live import running
from pacewise.clinic.sample_data import fill
from pacewise.store import Store

SESSIONS = 3000
PAIN = 10_000
DAYS = 3653
RUNS = 5
T0 = datetime(2015, 5, 1, 8, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=DAYS + 1)


def _timed(get: object, path: str, runs: int = RUNS) -> tuple[float, float, int]:
    times = []
    size = 0
    for _ in range(runs):
        start = time.perf_counter()
        reply = get(path)  # type: ignore[operator]
        times.append(time.perf_counter() - start)
        assert reply.status == 200, reply.status
        size = len(reply.body)
    return statistics.median(times), min(times), size


def run() -> str:
    with tempfile.TemporaryDirectory(prefix="pacewise-bench-dashboard-") as tmp:
        home = Path(tmp) / "home"
        started = time.perf_counter()
        filled = fill(
            Store.open(home), start=T0, days=DAYS, sessions=SESSIONS, diary=PAIN - 2 * SESSIONS
        )
        fill_s = time.perf_counter() - started
        with running(home, clock=lambda: NOW, tz=UTC) as live:
            client = live.client()
            client.login(live.guard.token)
            rows = [
                (
                    "overview, all ten years (`?span=all`), first request",
                    _timed(client.get, "/?span=all", 1),
                ),
                ("overview, all ten years, data unchanged since", _timed(client.get, "/?span=all")),
                ("overview, default 12 weeks", _timed(client.get, "/")),
                ("plan editor", _timed(client.get, "/plan")),
            ]
    lines = [
        "## Dashboard\n",
        f"Ten years of generated data: {filled.sessions} sessions and {filled.pain_entries} pain "
        f"entries ({fill_s:.0f} s to write through the store). Each page fetched {RUNS} times "
        "from the real server over loopback. The first request reads the store and replays the "
        "pacing engine for every exercise; later ones reuse that while no data file has "
        "changed (size and modification time of every file are checked on each request), and "
        "still build the charts and the HTML.\n",
        "| page | median | best | size |",
        "|---|---|---|---|",
    ]
    for name, (median, best, size) in rows:
        lines.append(
            f"| {name} | {median * 1000:.0f} ms | {best * 1000:.0f} ms | {size // 1024} KiB |"
        )
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
