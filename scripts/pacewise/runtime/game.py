"""Play one session with Godot and summarise it: what `pacewise play` and `demo` run."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel

from pacewise.domain.session import LevelResult, Pause
from pacewise.runtime.autopilot import Autopilot
from pacewise.runtime.bridge import BridgeServer
from pacewise.runtime.day_plan import todays_levels
from pacewise.runtime.launcher import PROJECT_ROOT, Mode, engine_problems, play_session
from pacewise.runtime.session import PANEL, SessionDirector
from pacewise.store.store import Store

PICTURE_FPS = 90


class Summary(BaseModel):
    """What a finished session prints: every number here comes from the game's frames."""

    session_id: str
    godot_version: str
    rig: str
    frames: int
    levels: list[LevelResult]
    pain_before: int | None
    pain_after: int | None
    duration_s: float
    stopped: str | None
    store_path: str | None
    seed: int | None
    wall_s: float
    frames_per_wall_s: float
    godot_exit: int
    godot_problems: list[str]
    op_failures: list[str]
    pauses: list[Pause]


@dataclass(frozen=True)
class Played:
    """The summary, and the director for those who want more (tests, benchmarks)."""

    summary: Summary
    director: SessionDirector


def new_director(
    store: Store,
    seed: int | None,
    autopilot: bool,
    screenshot_dir: Path | None = None,
    only: list[str] | None = None,
    stop_at: float | None = None,
    scenes: dict[str, str] | None = None,
) -> SessionDirector:
    """A director for today's session from the patient's plan and history in `store`."""
    prescription = store.prescription().prescription
    return SessionDirector(
        project_root=PROJECT_ROOT,
        levels=todays_levels(store, datetime.now(UTC), only),
        store=store,
        autopilot=Autopilot(seed or 0, PANEL, stop_at=stop_at) if autopilot else None,
        seed=seed,
        safety=prescription.safety,
        session_cap_s=prescription.session_cap_min * 60.0,
        prescription=prescription,
        clock=lambda: datetime.now(UTC),
        screenshot_dir=screenshot_dir,
        scenes=scenes,
    )


def play_game(
    mode: Mode,
    seed: int | None,
    speed: float | None,
    autopilot: bool,
    screenshot_dir: Path | None = None,
    only: list[str] | None = None,
    stop_at: float | None = None,
    scenes: dict[str, str] | None = None,
) -> Played:
    store = Store.open()
    director = new_director(store, seed, autopilot, screenshot_dir, only, stop_at, scenes)
    log_path = store.home / "logs" / f"godot-{director.session_id}.log"
    try:
        # Pictures need no real time: run at the physics rate, drawing only the frames taken.
        render_fps = PICTURE_FPS if screenshot_dir is not None else None
        result = asyncio.run(
            play_session(director, mode, speed=speed, log_path=log_path, render_fps=render_fps)
        )
    finally:
        director.close()
    problems = engine_problems(result.log)
    summary = Summary(
        session_id=director.session_id,
        godot_version=director.godot_version,
        rig=director.rig,
        frames=director.frames,
        levels=director.level_results(),
        pain_before=director.pain_before,
        pain_after=director.pain_after,
        duration_s=round(director.t, 4),
        stopped=director.stopped,
        store_path=str(director.saved_path) if director.saved_path else None,
        seed=seed,
        wall_s=round(result.wall_s, 3),
        frames_per_wall_s=round(director.frames / result.wall_s, 1) if result.wall_s else 0.0,
        godot_exit=result.returncode,
        godot_problems=problems,
        op_failures=director.op_failures,
        pauses=director.pauses,
    )
    return Played(summary, director)


RECONNECT_WAIT_S = 10.0


async def serve_for_editor(
    director: SessionDirector, token: str, port_file: Path, connect_timeout_s: float | None = None
) -> SessionDirector:
    """Serve one session to a Godot that started us (the editor's Play button).

    The port is written to `port_file` (owner-only) for Godot to read. The session ends when it
    is finished, or when the game has been gone for a while (the designer pressed Stop). With
    `connect_timeout_s`, TimeoutError when no game has sent a frame and none has been connected
    for that long: a Godot that never comes must not leave this process running for ever.
    """
    server = BridgeServer(director, token)
    await server.start()
    tmp = port_file.with_suffix(".tmp")
    tmp.write_text(str(server.port), encoding="utf-8")
    tmp.chmod(0o600)
    tmp.replace(port_file)
    try:
        gone_since: float | None = None
        loop = asyncio.get_running_loop()
        idle_since = loop.time()
        while not server.finished.is_set():
            await asyncio.sleep(0.2)
            if server.connected:
                gone_since = None
                idle_since = loop.time()
            elif director.frames == 0:
                if connect_timeout_s is not None and loop.time() - idle_since > connect_timeout_s:
                    raise TimeoutError(f"no game connected within {connect_timeout_s:g} s")
            elif director.frames > 0:
                gone_since = gone_since or loop.time()
                if loop.time() - gone_since > RECONNECT_WAIT_S:
                    break
    finally:
        await server.close()
        port_file.unlink(missing_ok=True)
        director.close()
    return director
