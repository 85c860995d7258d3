"""Stop works at any moment: the patient presses it, says what happened, and nothing is lost.

The synthetic patient presses stop through Godot (the same `stop` message a button sends) at
moments drawn from a seeded generator across check-in, calibration, levels, questions and rests.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pacewise.store.store import Store

LEVELS = "reach,forward_flexion"
EDGES = [0.5, 1.6]  # during the welcome; during the first pain question
_RNG = random.Random(2026)
RANDOM = sorted(round(_RNG.uniform(2.5, 75.0), 2) for _ in range(4))


def play(home: Path, godot: str, stop_at: float) -> dict[str, Any]:
    env = os.environ | {"PACEWISE_HOME": str(home.parent / "patient"), "GODOT": godot}
    out = subprocess.run(
        [sys.executable, "-m", "pacewise.cli.main", "demo", "--headless", "--json", "--seed", "2",
         "--levels", LEVELS, "--stop-at", str(stop_at), "--data-dir", str(home)],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:] + out.stdout[-3000:]
    result: dict[str, Any] = json.loads(out.stdout)
    return result


@pytest.mark.parametrize("stop_at", EDGES + RANDOM)
def test_stop_pauses_asks_and_saves(godot: str, tmp_path: Path, stop_at: float) -> None:
    home = tmp_path / "demo"
    summary = play(home, godot, stop_at)
    assert summary["godot_problems"] == [] and summary["op_failures"] == []
    store = Store.open(home)
    [record] = store.sessions()
    assert record.id == summary["session_id"]
    assert record.stopped is not None and record.stopped.startswith("stop pressed")
    [pause] = record.pauses
    assert pause.source == "stop"
    assert stop_at - 2 / 90 <= pause.t_s <= stop_at + 0.1  # honoured within a few frames
    kinds = sorted(p.kind.value for p in store.pain_entries())
    if pause.outcome == "session ended before it began":
        assert stop_at < 2.5
        assert record.levels == [] and record.pain_after is None
    else:
        assert pause.answer == "tired" and pause.outcome == "session ended"
        assert record.pain_before is not None and record.pain_after is not None
        assert kinds.count("before") == 1 and kinds.count("after") == 1
        stopped = [level for level in record.levels if level.stopped]
        assert len(stopped) <= 1  # the level in progress, if any, is marked
    assert len(list(store.load_recording(record.id))) == record.frames + 1
