"""Assemble a session for today: its levels, its store, its observers, and its summary.

Two ways to run one: `play_game` serves the bridge and starts Godot in this process (tests and
benchmarks that look inside the session), and the supervisor (runtime/supervisor.py) runs the
game side and Godot as separate processes, restarting the game side if it dies (what
`pacewise play` and `pacewise demo` do). Both build the session here.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from pacewise.domain.pain import PainKind
from pacewise.domain.session import LevelResult, Pause
from pacewise.runtime.autopilot import Autopilot
from pacewise.runtime.bridge import BridgeServer
from pacewise.runtime.day_plan import todays_levels
from pacewise.runtime.launcher import PROJECT_ROOT, Mode, engine_problems, play_session
from pacewise.runtime.persona import Persona
from pacewise.runtime.recorder import Recorder, StoreFailure
from pacewise.runtime.screenshots import Screenshots
from pacewise.runtime.session import PANEL, SessionDirector, SessionObserver, new_session_id
from pacewise.store.store import Store

log = logging.getLogger(__name__)
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
    wall_s: float = 0.0
    frames_per_wall_s: float = 0.0
    godot_exit: int = 0
    godot_problems: list[str] = Field(default_factory=list)
    op_failures: list[str] = Field(default_factory=list)
    pauses: list[Pause] = Field(default_factory=list)
    path: str = "full"
    synthetic: bool = False
    restarts: int = 0
    behaviour_errors: list[dict[str, object]] = Field(default_factory=list)
    level_warnings: list[str] = Field(default_factory=list)
    #: Why the session could not be saved, when it could not (the exit code is then 4).
    store_failure: str | None = None


@dataclass(frozen=True)
class Played:
    """The summary, and the director for those who want more (tests, benchmarks)."""

    summary: Summary
    director: SessionDirector

    @property
    def autopilot(self) -> Autopilot | None:
        return next((o for o in self.director.observers if isinstance(o, Autopilot)), None)


class Options(BaseModel):
    """What a session is asked to be: who plays, which levels, and what is watched.

    A model, so the supervisor can hand the same options to every life of the game side.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    seed: int | None = 1
    autopilot: bool = False
    persona: Persona | None = None
    screenshot_dir: Path | None = None
    only: list[str] | None = None
    stop_at: float | None = None
    scenes: dict[str, str] | None = None
    hook_budget_s: float | None = None
    #: A designer is watching (the editor's Play): behaviour errors are shown on screen.
    designer: bool = False


def finalise_unfinished(store: Store, keep: str | None = None) -> list[str]:
    """Save the sessions whose game side died and never resumed, as cut short."""
    try:
        return store.finish_unfinished(keep)
    except OSError as exc:
        log.warning("could not close earlier unfinished sessions: %s", exc)
        return []


def flare_reported_today(store: Store, now: datetime) -> bool:
    """A flare-up entered in the diary in the last day: the check-in offers the gentle path."""
    since = now - timedelta(hours=24)
    return any(e.kind is PainKind.flare for e in store.pain_entries(since))


def new_director(
    store: Store,
    options: Options,
    *,
    session_id: str | None = None,
    clock_now: datetime | None = None,
) -> SessionDirector:
    """A session for today from the patient's plan and history in `store`."""
    now = clock_now or datetime.now(UTC)
    prescription = store.prescription().prescription
    observers: list[SessionObserver] = []
    persona = options.persona
    if options.autopilot:
        observers.append(
            Autopilot(options.seed or 0, PANEL, stop_at=options.stop_at, persona=persona)
        )
    if options.screenshot_dir is not None:
        observers.append(Screenshots(options.screenshot_dir))
    session_id = session_id or new_session_id(now)
    flare = flare_reported_today(store, now) or bool(persona and persona.flare_today)
    return SessionDirector(
        project_root=PROJECT_ROOT,
        levels=todays_levels(store, now, options.only),
        recorder=Recorder(store, session_id, lambda: datetime.now(UTC)),
        observers=observers,
        seed=options.seed,
        safety=prescription.safety,
        session_cap_s=prescription.session_cap_min * 60.0,
        prescription=prescription,
        history=lambda: (store.sessions(), store.pain_entries()),
        clock=lambda: datetime.now(UTC),
        scenes=options.scenes,
        session_id=session_id,
        synthetic=options.autopilot,
        flare_today=flare,
        first_session=not store.sessions(),
        hook_budget_s=options.hook_budget_s,
        designer=options.designer,
    )


def summarise(
    director: SessionDirector,
    *,
    wall_s: float = 0.0,
    godot_exit: int = 0,
    godot_log: str = "",
) -> Summary:
    return Summary(
        session_id=director.session_id,
        godot_version=director.godot_version,
        rig=director.rig,
        frames=director.frames,
        levels=director.level_results(),
        pain_before=director.pain_before,
        pain_after=director.pain_after,
        duration_s=round(director.t, 4),
        stopped=director.stopped,
        store_path=director.saved_path,
        seed=director.seed,
        wall_s=round(wall_s, 3),
        frames_per_wall_s=round(director.frames / wall_s, 1) if wall_s else 0.0,
        godot_exit=godot_exit,
        godot_problems=engine_problems(godot_log),
        op_failures=director.op_failures,
        pauses=director.pauses,
        path=director.path.value,
        synthetic=director.synthetic,
        restarts=director.restarts,
        behaviour_errors=[
            {
                "node": f.node,
                "script": f.script,
                "line": f.line,
                "hook": f.hook,
                "error": f.error,
                "traceback": f.traceback,
            }
            for f in director.host.failures
        ],
        level_warnings=list(director.host.warnings),
        store_failure=director.failure,
    )


def play_game(mode: Mode, store: Store, options: Options, speed: float | None = None) -> Played:
    """One session with Godot started by this process (no supervisor): for tests and benches."""
    finalise_unfinished(store)
    director = new_director(store, options)
    log_path = store.home / "logs" / f"godot-{director.session_id}.log"
    try:
        # Pictures need no real time: run at the physics rate, drawing only the frames taken.
        render_fps = PICTURE_FPS if options.screenshot_dir is not None else None
        result = asyncio.run(
            play_session(director, mode, speed=speed, log_path=log_path, render_fps=render_fps)
        )
    finally:
        director.close()
    summary = summarise(
        director, wall_s=result.wall_s, godot_exit=result.returncode, godot_log=result.log
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
        try:
            director.close()
        except StoreFailure as exc:
            log.error("%s", exc)
    return director
