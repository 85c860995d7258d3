"""The supervisor: starts Godot and the game's Python side as two processes, and keeps both up.

What `pacewise play` and `pacewise demo` run. Godot's output goes to a log file, never to a pipe
that could close under it (a dead reader would kill Godot with SIGPIPE). If the game side dies,
Godot keeps its calm pause on screen while the supervisor starts a new game side on the same
port with the same token and session id; it resumes from the store and Godot reconnects. If
Godot dies, the game side is asked to save what the session produced. The game side's process
id is kept in `<data folder>/run/game.pid` (docs/protocol.md), so tools and tests can find it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pacewise.runtime.bridge import new_token
from pacewise.runtime.game import Summary
from pacewise.runtime.game_side import GameSideArgs
from pacewise.runtime.launcher import (
    QUIT_GRACE_S,
    Mode,
    engine_problems,
    godot_binary,
    godot_command,
    open_log,
    read_log,
)
from pacewise.runtime.protocol import TOKEN_ENV
from pacewise.runtime.session import new_session_id
from pacewise.store.files import DIR_MODE

log = logging.getLogger(__name__)
#: A session whose game side dies more often than this ends (the patient is not kept waiting).
MAX_RESTARTS = 3
POLL_S = 0.05
TERM_GRACE_S = 15.0
PID_FILE = Path("run") / "game.pid"
GODOT_PID_FILE = Path("run") / "godot.pid"


@dataclass(frozen=True)
class Supervised:
    summary: Summary | None
    restarts: int
    game_exit: int
    godot_exit: int
    godot_log: str
    wall_s: float


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _write_pid(data_dir: Path, pid: int, name: Path = PID_FILE) -> None:
    path = data_dir / name
    try:
        path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(f"{pid}\n", encoding="utf-8")
        tmp.chmod(0o600)
        tmp.replace(path)
    except OSError as exc:  # a full disk: the session still runs, the file is only a pointer
        log.warning("could not write %s: %s", path, exc)


def _start_game_side(args: GameSideArgs, token: str) -> subprocess.Popen[bytes]:
    env = os.environ | {TOKEN_ENV: token}
    return subprocess.Popen(
        [sys.executable, "-m", "pacewise.cli.main", "game-side", args.model_dump_json()],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=sys.stderr.fileno(),  # the supervisor's stdout carries the summary only
    )


def _stop(proc: subprocess.Popen[bytes], grace_s: float) -> int:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(grace_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode if proc.returncode is not None else -1


def supervise(
    mode: Mode,
    data_dir: Path,
    args: GameSideArgs | None = None,
    *,
    render_fps: int | None = None,
    log_dir: Path | None = None,
) -> Supervised:
    """Play one session with Godot and a supervised game side; returns when both are done."""
    godot = godot_binary()
    token = new_token()
    run_dir = Path(tempfile.mkdtemp(prefix="pacewise-run-"))
    session_id = new_session_id(datetime.now(UTC))
    base = args or GameSideArgs(port=0, data_dir="", session_id="", summary_path="")
    game_args = base.model_copy(
        update={
            "port": free_port(),
            "data_dir": str(data_dir),
            "session_id": session_id,
            "summary_path": str(run_dir / "summary.json"),
        }
    )
    started = time.monotonic()
    game = _start_game_side(game_args, token)
    _write_pid(data_dir, game.pid)
    log_path = log_dir / f"godot-{session_id}.log" if log_dir is not None else None
    path, fd = open_log(log_path)
    try:
        godot_proc = subprocess.Popen(
            godot_command(godot, mode, game_args.port, render_fps=render_fps),
            env=os.environ | {TOKEN_ENV: token},
            stdin=subprocess.DEVNULL,
            stdout=fd,
            stderr=subprocess.STDOUT,
        )
    finally:
        os.close(fd)
    _write_pid(data_dir, godot_proc.pid, GODOT_PID_FILE)
    restarts = 0
    summary_file = Path(game_args.summary_path)
    try:
        while godot_proc.poll() is None:
            time.sleep(POLL_S)
            code = game.poll()
            if code is None:
                continue
            if summary_file.exists() or code in (0, 4):
                break  # the session is over (or could not be saved): Godot quits by itself
            if restarts >= MAX_RESTARTS:
                log.error("the game side failed %d times; ending the session", restarts + 1)
                break
            restarts += 1
            log.warning("the game side died (exit %s); restarting it (%d)", code, restarts)
            game = _start_game_side(game_args.model_copy(update={"resume": True}), token)
            _write_pid(data_dir, game.pid)
        try:
            godot_proc.wait(QUIT_GRACE_S)
        except subprocess.TimeoutExpired:
            godot_proc.kill()
            godot_proc.wait()
        game_exit = _stop(game, TERM_GRACE_S)
    finally:
        for proc in (godot_proc, game):
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    summary = None
    if summary_file.exists():
        summary = Summary.model_validate(json.loads(summary_file.read_text(encoding="utf-8")))
        summary_file.unlink()
    with contextlib.suppress(OSError):
        run_dir.rmdir()
    for name in (PID_FILE, GODOT_PID_FILE):
        with contextlib.suppress(OSError):
            (data_dir / name).unlink()
    text = read_log(path, temporary=path != log_path)
    wall = time.monotonic() - started
    if summary is not None:
        summary = summary.model_copy(
            update={
                "wall_s": round(wall, 3),
                "frames_per_wall_s": round(summary.frames / wall, 1) if wall else 0.0,
                "godot_exit": godot_proc.returncode or 0,
                "godot_problems": engine_problems(text),
                "restarts": max(summary.restarts, restarts),
            }
        )
    return Supervised(summary, restarts, game_exit, godot_proc.returncode or 0, text, wall)
