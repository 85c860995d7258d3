"""`pacewise serve`: the Python side for a Godot that started it (the editor's Play button)."""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from pacewise.cli import app
from pacewise.cli.play import LevelSceneOption, LevelsOption, parse_levels, parse_scenes
from pacewise.runtime.game import Options, new_director, serve_for_editor
from pacewise.runtime.protocol import TOKEN_ENV
from pacewise.store import synthetic
from pacewise.store.store import Store

#: How long `serve` waits for its game before it gives up (Godot connects within seconds).
CONNECT_TIMEOUT_S = 60.0


@app.command()
def serve(
    port_file: Annotated[
        Path, typer.Option(help="Write the bridge's port here once it listens (Godot reads it).")
    ],
    autopilot: Annotated[
        bool, typer.Option(help="Let the synthetic patient play (to preview a level).")
    ] = False,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic patient.")] = 1,
    levels: LevelsOption = None,
    level_scene: LevelSceneOption = None,
    connect_timeout: Annotated[
        float,
        typer.Option(
            min=0.1,
            help="Give up (exit code 3) when no game has connected within this many seconds.",
        ),
    ] = CONNECT_TIMEOUT_S,
) -> None:
    """Serve one session to the Godot that started this process; the token comes in the env.

    Exits with code 3 when no game connects within --connect-timeout seconds.
    """
    token = os.environ.get(TOKEN_ENV, "")
    if len(token) < 16:
        typer.echo(f"error: {TOKEN_ENV} must hold the bridge token (16+ characters)", err=True)
        raise typer.Exit(2)
    if not port_file.parent.is_dir():
        typer.echo(f"error: no folder {port_file.parent} for the port file", err=True)
        raise typer.Exit(2)
    logging.basicConfig(level=logging.INFO, format="pacewise: %(message)s")
    only = parse_levels(levels)
    scenes = parse_scenes(level_scene)
    # The synthetic patient never plays into the patient's record: it gets a throwaway folder.
    home = (
        synthetic.prepare(Path(tempfile.mkdtemp(prefix="pacewise-preview-"))) if autopilot else None
    )
    options = Options(seed=seed, autopilot=autopilot, only=only, scenes=scenes, designer=True)
    director = new_director(Store.open(home), options)
    try:
        asyncio.run(serve_for_editor(director, token, port_file, connect_timeout))
    except TimeoutError as gone:
        typer.echo(f"error: {gone}; giving up (is Godot running? see --connect-timeout)", err=True)
        raise typer.Exit(3) from None
    typer.echo(f"session {director.session_id} saved in {director.saved_path}", err=True)
