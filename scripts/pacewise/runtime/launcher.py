"""Starts Godot against a running bridge and plays one session to its end.

Picks the rig: OpenXR when a runtime is installed, a desktop window when a display exists,
else headless in lock-step (`--fixed-fps`, faster than real time, deterministic).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import time
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from pacewise.runtime.bridge import BridgeServer, new_token
from pacewise.runtime.godot_install import find_godot
from pacewise.runtime.protocol import TOKEN_ENV
from pacewise.runtime.transport import EngineHandler

PROJECT_ROOT = Path(__file__).resolve().parents[3]
PHYSICS_HZ = 90
QUIT_GRACE_S = 15.0
# An exported game binary (the packaged build) to run instead of `godot --path <project>`.
GAME_BINARY_ENV = "PACEWISE_GAME_BINARY"
# Godot's audio driver, e.g. `Dummy` on machines without a sound card (pictures, CI).
AUDIO_DRIVER_ENV = "PACEWISE_GODOT_AUDIO"


# Godot 4.6 logs these two errors whenever an OpenXR session shuts down (upstream bugs
# godotengine/godot#122238 and #122239, seen from 4.6.2 on); they say nothing about our game.
KNOWN_ENGINE_ERRORS = (
    re.compile(r"^ERROR: Attempt to disconnect a nonexistent connection from '<OpenXRSpatial"),
    re.compile(r"^ERROR: \d+ RID allocations of type '\w*OpenXRAPI\w*' were leaked at exit\."),
)
ENGINE_PROBLEM = re.compile(r"^(SCRIPT ERROR|ERROR|USER ERROR)\b")


def engine_problems(log: str) -> list[str]:
    """The error lines of a Godot log, less the known harmless ones."""
    lines = (line.strip() for line in log.splitlines())
    return [
        line
        for line in lines
        if ENGINE_PROBLEM.match(line) and not any(k.match(line) for k in KNOWN_ENGINE_ERRORS)
    ]


class Mode(Enum):
    HEADLESS = "headless"  # no window: the synthetic patient, lock-step, faster than real time
    DESKTOP = "desktop"  # a window: the synthetic patient plays in real time (to watch)
    KEYBOARD = "keyboard"  # a window: a person plays with mouse and keyboard (desktop rig)
    XR = "xr"  # a headset through OpenXR


@dataclass(frozen=True)
class GodotResult:
    returncode: int
    log: str
    wall_s: float


def xr_runtime_available() -> bool:
    """An OpenXR runtime is installed (the loader's environment variable or active runtime)."""
    env = os.environ.get("XR_RUNTIME_JSON")
    if env:
        return Path(env).is_file()
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    places = [
        config / "openxr/1/active_runtime.json",
        Path("/etc/xdg/openxr/1/active_runtime.json"),
    ]
    return any(p.is_file() for p in places)


def display_available() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def choose_mode() -> Mode:
    if xr_runtime_available() and display_available():
        return Mode.XR
    if display_available():
        return Mode.DESKTOP
    return Mode.HEADLESS


def _newest(root: Path, patterns: tuple[str, ...]) -> float:
    newest = 0.0
    for sub in ("addons", "scenes"):
        for pattern in patterns:
            for path in (root / sub).rglob(pattern):
                newest = max(newest, path.stat().st_mtime)
    return max(newest, (root / "project.godot").stat().st_mtime)


def ensure_imported(godot: str, root: Path = PROJECT_ROOT) -> None:
    """Run Godot's import once the scripts changed: class names resolve only after it."""
    cache = root / ".godot" / "global_script_class_cache.cfg"
    if cache.exists() and cache.stat().st_mtime >= _newest(root, ("*.gd", "*.tscn")):
        return
    import subprocess

    out = subprocess.run(
        [godot, "--headless", "--xr-mode", "off", "--path", str(root), "--import"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if not cache.exists():
        raise RuntimeError(f"Godot's import of {root} failed:\n{out.stdout[-3000:]}")
    cache.touch()


def godot_command(
    godot: str, mode: Mode, port: int, root: Path = PROJECT_ROOT, render_fps: int | None = None
) -> list[str]:
    """Godot's command line; `render_fps` renders a window at that fixed rate of game time."""
    game = os.environ.get(GAME_BINARY_ENV)
    cmd = [game] if game else [godot, "--path", str(root)]
    if os.environ.get(AUDIO_DRIVER_ENV):
        cmd += ["--audio-driver", os.environ[AUDIO_DRIVER_ENV]]
    user = [f"--pw-port={port}"]
    if mode is Mode.HEADLESS:
        cmd += ["--headless", "--fixed-fps", str(PHYSICS_HZ), "--xr-mode", "off"]
        user += ["--pw-rig=scripted", "--pw-lockstep"]
    elif mode is Mode.DESKTOP:
        cmd += ["--xr-mode", "off"]
        if render_fps:
            # Pictures only: game time at a fixed rate, frames drawn only when one is taken.
            cmd += ["--fixed-fps", str(render_fps), "--disable-render-loop"]
        user += ["--pw-rig=scripted", "--pw-lockstep"]
    elif mode is Mode.KEYBOARD:
        cmd += ["--xr-mode", "off"]
        user += ["--pw-rig=desktop"]
    else:
        cmd += ["--xr-mode", "on"]
        user += ["--pw-rig=xr"]
    return [*cmd, "--", *user]


def godot_binary() -> str:
    """The Godot to run: an exported game binary if given, else Godot with the project imported."""
    if os.environ.get(GAME_BINARY_ENV):
        return os.environ[GAME_BINARY_ENV]  # an export: nothing to find or import
    godot, _version = find_godot()
    ensure_imported(godot)
    return godot


def open_log(log_path: Path | None) -> tuple[Path, int]:
    """Godot's log file, owner-only. Godot writes to a file, never to a pipe: a pipe whose
    reader dies would kill Godot with SIGPIPE, and the patient's world with it."""
    import tempfile

    if log_path is not None:
        try:
            log_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            return log_path, os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        except OSError:  # a full or read-only data folder: the game still plays, logged aside
            pass
    fd, name = tempfile.mkstemp(prefix="pacewise-godot-", suffix=".log")
    return Path(name), fd


def read_log(path: Path, temporary: bool) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    if temporary:
        path.unlink(missing_ok=True)
    return text


async def play_session(
    director: EngineHandler,
    mode: Mode,
    *,
    speed: float | None = None,
    log_path: Path | None = None,
    render_fps: int | None = None,
) -> GodotResult:
    """Serve the bridge, start Godot, and wait until the session ends or Godot exits."""
    godot = godot_binary()
    token = new_token()
    server = BridgeServer(director, token, speed=speed)
    await server.start()
    env = os.environ | {TOKEN_ENV: token}
    started = time.monotonic()
    path, fd = open_log(log_path)
    try:
        proc = await asyncio.create_subprocess_exec(
            *godot_command(godot, mode, server.port, render_fps=render_fps),
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=fd,
            stderr=asyncio.subprocess.STDOUT,
        )
    finally:
        os.close(fd)
    try:
        finished = asyncio.create_task(server.finished.wait())
        exited = asyncio.create_task(proc.wait())
        await asyncio.wait({finished, exited}, return_when=asyncio.FIRST_COMPLETED)
        try:
            await asyncio.wait_for(proc.wait(), QUIT_GRACE_S)
        except TimeoutError:
            proc.kill()
            await proc.wait()
        finished.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await finished
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await server.close()
    log = read_log(path, temporary=path != log_path)
    return GodotResult(proc.returncode or 0, log, time.monotonic() - started)
