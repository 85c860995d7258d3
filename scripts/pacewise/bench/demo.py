"""A whole headless session (all six levels): real Godot, real bridge, real store."""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from pacewise.runtime.game import Options, play_game
from pacewise.runtime.launcher import Mode
from pacewise.store import synthetic
from pacewise.store.store import Store

RUNS = 5


def run_bench() -> list[tuple[float, int, float]]:
    """(wall seconds, frames, session seconds) for each run, seed 1."""
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(RUNS):
            store = Store.open(synthetic.prepare(Path(tmp) / str(i)))
            summary = play_game(Mode.HEADLESS, store, Options(seed=1, autopilot=True)).summary
            results.append((summary.wall_s, summary.frames, summary.duration_s))
    return results


def run() -> str:
    results = run_bench()
    walls = [r[0] for r in results]
    frames = results[0][1]
    session = results[0][2]
    median = statistics.median(walls)
    return "\n".join(
        [
            "## Headless demo session\n",
            f"`pacewise demo --headless` with seed 1, {RUNS} runs of a whole first session (all "
            "six levels at the default plan's baseline quotas): real Godot (`--fixed-fps 90`, "
            "lock-step) against the real Python side over the loopback bridge, live analysers "
            "and store included. Wall time from starting Godot to its exit (import done).\n",
            "| measure | value |",
            "|---|---|",
            f"| session time (from frames) | {session:.1f} s |",
            f"| tracking frames | {frames} |",
            f"| wall time, median (min–max) | {median:.2f} s ({min(walls):.2f}–{max(walls):.2f}) |",
            f"| frames per wall second | {frames / median:.0f} |",
            f"| speed-up over real time | {session / median:.0f}× |",
            "",
        ]
    )
