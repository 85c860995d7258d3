"""A session survives either side dying, and a full disk ends it calmly: real Godot, real kills.

`pacewise demo` runs under its supervisor with the synthetic patient. The tests watch the data
folder (the supervisor's `run/game.pid` and `run/godot.pid`, the session's resume document), kill
a process with SIGKILL at a chosen moment, or fill a real (tmpfs) disk, and check what the patient
and the record get.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pacewise.domain.pain import PainKind
from pacewise.domain.session import LevelEnd
from pacewise.store import synthetic
from pacewise.store.store import Store

LEVELS = "reach,lateral_flexion,breathing"


def start_demo(data: Path, godot: str, *extra: str) -> subprocess.Popen[str]:
    env = os.environ | {"GODOT": godot, "PACEWISE_HOME": str(data.parent / "patient")}
    return subprocess.Popen(
        [sys.executable, "-m", "pacewise.cli.main", "demo", "--headless", "--json",
         "--seed", "6", "--levels", LEVELS, "--data-dir", str(data), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip


def live_state(data: Path) -> dict[str, Any] | None:
    for path in (data / "sessions" / ".live").glob("*.resume.json"):
        try:
            return dict(json.loads(path.read_text()))
        except (OSError, json.JSONDecodeError):
            return None
    return None


def wait_for(what: Callable[[], bool], timeout: float, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if what():
            return
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"the demo ended before the moment came: {err[-3000:]}{out[-2000:]}")
        time.sleep(0.02)
    proc.kill()
    pytest.fail("the moment never came")


def in_second_level(data: Path) -> bool:
    state = live_state(data)
    return bool(state and state["phase"] == "level" and state["level_index"] == 1)


def finish(proc: subprocess.Popen[str], timeout: float = 240) -> tuple[int, dict[str, Any], str]:
    out, err = proc.communicate(timeout=timeout)
    summary = json.loads(out) if out.strip() else {}
    return proc.returncode, summary, err


def test_kill_9_of_the_game_side_resumes_the_session(godot: str, tmp_path: Path) -> None:
    data = tmp_path / "demo"
    proc = start_demo(data, godot, "--speed", "6")
    wait_for(lambda: in_second_level(data), 180, proc)
    before = live_state(data)
    assert before is not None
    pid = int((data / "run" / "game.pid").read_text())
    killed_at = time.monotonic()
    os.kill(pid, signal.SIGKILL)

    def resumed() -> bool:
        state = live_state(data)
        return bool(state and state.get("restarts") == 1)

    wait_for(resumed, 60, proc)
    resume_s = time.monotonic() - killed_at
    code, summary, err = finish(proc)
    assert code == 0, err[-3000:]
    print(f"resumed {resume_s:.2f} s after the kill")
    assert summary["restarts"] == 1 and summary["session_id"] == before["session_id"]
    assert summary["godot_problems"] == []
    store = Store.open(data)
    [record] = store.sessions()
    assert record.id == before["session_id"] and record.restarts == 1
    ends = {lv.name: lv.ended for lv in record.levels}
    assert ends["reach"] is LevelEnd.quota  # done before the kill: stays done
    assert ends["lateral_flexion"] is LevelEnd.interrupted  # in progress: documented
    assert ends["breathing"] is LevelEnd.quota  # play went on with the next level
    assert record.pain_before == before["pain_before"]
    kinds = sorted(p.kind for p in store.pain_entries())
    assert kinds == [PainKind.after, PainKind.before]  # given once each, nothing lost
    assert len(list(store.load_recording(record.id))) == record.frames + 1
    assert record.stopped is None


def test_kill_9_of_godot_saves_the_partial_session(godot: str, tmp_path: Path) -> None:
    data = tmp_path / "demo"
    proc = start_demo(data, godot, "--speed", "6")
    wait_for(lambda: in_second_level(data), 180, proc)
    os.kill(int((data / "run" / "godot.pid").read_text()), signal.SIGKILL)
    code, summary, err = finish(proc, timeout=120)
    assert code != 0, err[-2000:]
    assert summary["stopped"] and "the game closed" in summary["stopped"]
    store = Store.open(data)
    [record] = store.sessions()
    assert record.stopped is not None and "the game closed" in record.stopped
    ends = {lv.name: lv.ended for lv in record.levels}
    assert ends["reach"] is LevelEnd.quota
    assert ends["lateral_flexion"] is LevelEnd.interrupted
    assert "breathing" not in ends
    assert len(list(store.load_recording(record.id))) == record.frames + 1


@pytest.fixture
def small_disk(tmp_path: Path) -> Any:
    """A real 8 MiB filesystem (tmpfs) to fill up; root is needed to mount it."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", str(mount)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"mounting a small tmpfs is required under CI: {done.stderr}")
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_mid_session_ends_within_seconds_and_the_next_session_starts_clean(
    godot: str, small_disk: Path
) -> None:
    data = small_disk / "demo"
    proc = start_demo(data, godot, "--speed", "6")
    wait_for(lambda: in_second_level(data), 180, proc)
    filler = small_disk / "filler"
    subprocess.run(
        ["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], capture_output=True, check=False
    )
    filled_at = time.monotonic()
    code, summary, err = finish(proc, timeout=60)
    ended_s = time.monotonic() - filled_at
    print(f"ended {ended_s:.2f} s after the disk filled")
    assert code == 4, err[-3000:]
    assert "could not be saved" in err
    assert summary["store_failure"] and "No space left" in summary["store_failure"]
    assert ended_s < 30
    filler.unlink()
    again = start_demo(data, godot, "--levels", "reach")
    code, summary, err = finish(again)
    assert code == 0, err[-3000:]
    store = Store.open(data)
    records = {r.id: r for r in store.sessions()}
    assert summary["session_id"] in records and len(records) == 2
    first = next(r for r in records.values() if r.id != summary["session_id"])
    assert first.stopped is not None  # kept, marked as cut short
    assert not list((data / "sessions" / ".live").glob("*.resume.json"))


def test_a_read_only_data_folder_ends_the_session_with_a_message(
    godot: str, small_disk: Path
) -> None:
    data = small_disk / "demo"
    synthetic.prepare(data)
    Store.open(data)
    # Read-only while nothing is open for writing (a busy mount cannot be remounted).
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        proc = start_demo(data, godot)
        code, summary, err = finish(proc, timeout=120)
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    assert code == 4, err[-3000:]
    assert "Read-only file system" in (summary.get("store_failure") or "")
    assert "could not be saved" in err
    assert summary["pain_before"] is None  # refused at the first score: nothing half-kept
