"""The game's Python side as a process of its own: the bridge and the session, nothing else.

The supervisor starts it with a port, a session id and the session's options (the bridge token
comes in the environment). Started with `resume`, it reads the session's resume document and
carries on under the same id: Godot, which kept a calm pause on screen, reconnects to the same
port. When the session ends, or the supervisor asks it to stop (SIGTERM, because Godot is gone),
it saves what the session produced and writes its summary for the supervisor to print.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
from pathlib import Path

from pydantic import BaseModel

from pacewise.runtime.bridge import BridgeServer
from pacewise.runtime.game import Options, finalise_unfinished, new_director, summarise
from pacewise.runtime.protocol import TOKEN_ENV
from pacewise.runtime.recorder import StoreFailure
from pacewise.runtime.session import SessionDirector
from pacewise.store.files import atomic_write
from pacewise.store.store import Store

log = logging.getLogger(__name__)
#: With no Godot connected for this long (after it had connected), the game side gives up.
GONE_S = 40.0
#: A game side that no Godot ever reaches gives up after this long.
NO_CLIENT_S = 120.0
#: After the last `quit`, how long Godot has to close the link itself.
QUIT_WAIT_S = 10.0


class GameSideArgs(BaseModel):
    """Everything the supervisor hands a game side (as JSON in one argument)."""

    port: int
    data_dir: str
    session_id: str
    summary_path: str
    resume: bool = False
    speed: float | None = None
    #: Log the session's phases (-v); by default only warnings and errors.
    verbose: bool = False
    options: Options = Options()


def _prepare(args: GameSideArgs, store: Store) -> SessionDirector:
    director = new_director(store, args.options, session_id=args.session_id)
    live = store.live(args.session_id)
    state = live.load_state() if args.resume else None
    if state is not None:
        director.resume_from(state)
        # The frames the recording kept are the ones the session counts.
        director.frames = max(0, sum(1 for _ in live.recording_lines()) - 1)
    else:
        finalise_unfinished(store, keep=args.session_id)
    return director


async def _serve(args: GameSideArgs, director: SessionDirector, token: str) -> None:
    server = BridgeServer(director, token, port=args.port, speed=args.speed)
    await server.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    started = loop.time()
    gone_since: float | None = None
    try:
        while not server.finished.is_set() and not stop.is_set():
            await asyncio.sleep(0.05)
            now = loop.time()
            if server.connected or (director.frames == 0 and now - started < NO_CLIENT_S):
                gone_since = None
                continue
            gone_since = gone_since or now
            if now - gone_since > (GONE_S if director.frames else 0.0):
                log.error("no game connected for %.0f s: ending the session", now - gone_since)
                break
        # Godot quits by itself once it has applied the last `quit`: let it go first, so the
        # close of the link can never overtake the last commands.
        deadline = loop.time() + QUIT_WAIT_S
        while server.finished.is_set() and server.connected and loop.time() < deadline:
            await asyncio.sleep(0.02)
    finally:
        await server.close()


def run_game_side(args: GameSideArgs, token: str) -> int:
    """Serve one session to Godot; returns the process's exit code."""
    level = logging.INFO if args.verbose else logging.WARNING
    logging.basicConfig(level=level, format="pacewise game: %(message)s")
    if len(token) < 16:
        log.error("%s must hold the bridge token", TOKEN_ENV)
        return 2
    store = Store.open(Path(args.data_dir))
    try:
        director = _prepare(args, store)
    except (OSError, StoreFailure) as exc:
        log.error("could not start the session: %s", exc)
        return 4
    try:
        asyncio.run(_serve(args, director, token))
    finally:
        director.close()
        summary = summarise(director)
        try:
            atomic_write(
                Path(args.summary_path), json.dumps(summary.model_dump(mode="json")).encode()
            )
        except OSError as exc:
            log.error("could not write the summary for the supervisor: %s", exc)
    return director.exit_code if director.failure is None else 4
