"""`pacewise play` and `pacewise demo`: one session, with a headset, a window, or headless."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.console import Console

from pacewise.cli import app
from pacewise.domain.session import LevelResult
from pacewise.runtime.autopilot import Autopilot
from pacewise.runtime.godot_install import GodotUnavailable
from pacewise.runtime.launcher import PROJECT_ROOT, Mode, choose_mode, play_session
from pacewise.runtime.session import PANEL, SessionDirector
from pacewise.store.store import Store

LEVELS = ["res://scenes/levels/reach.tscn"]
GODOT_PROBLEM = re.compile(r"^(SCRIPT ERROR|ERROR|USER ERROR)\b", re.MULTILINE)


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


def run(
    mode: Mode,
    seed: int | None,
    speed: float | None,
    autopilot: bool,
    screenshot_dir: Path | None = None,
) -> Summary:
    store = Store.open()
    director = SessionDirector(
        project_root=PROJECT_ROOT,
        levels=LEVELS,
        store=store,
        autopilot=Autopilot(seed or 0, PANEL) if autopilot else None,
        seed=seed,
        screenshot_dir=screenshot_dir,
    )
    log_path = store.home / "logs" / f"godot-{director.session_id}.log"
    try:
        result = asyncio.run(play_session(director, mode, speed=speed, log_path=log_path))
    finally:
        director.close()
    problems = [
        line.strip() for line in result.log.splitlines() if GODOT_PROBLEM.match(line.strip())
    ]
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
        store_path=str(director.saved_path) if director.saved_path else None,
        seed=seed,
        wall_s=round(result.wall_s, 3),
        frames_per_wall_s=round(director.frames / result.wall_s, 1) if result.wall_s else 0.0,
        godot_exit=result.returncode,
        godot_problems=problems,
    )


def show(summary: Summary, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(summary.model_dump(mode="json"), indent=None))
        return
    console = Console()
    console.print(f"[bold]Session {summary.session_id}[/bold] on Godot {summary.godot_version}")
    for level in summary.levels:
        console.print(f"  {level.name}: {level.reps} of {level.quota} reps")
    console.print(f"  pain before {summary.pain_before}, after {summary.pain_after}")
    console.print(
        f"  {summary.duration_s:.1f} s of session time, {summary.frames} frames, "
        f"{summary.wall_s:.1f} s wall ({summary.frames_per_wall_s:.0f} frames/s)"
    )
    if summary.stopped:
        console.print(f"  stopped: {summary.stopped}")
    console.print(f"  saved in {summary.store_path}")
    for problem in summary.godot_problems:
        console.print(f"  [red]Godot: {problem}[/red]")


def _finish(summary: Summary, as_json: bool) -> None:
    show(summary, as_json)
    if summary.godot_problems or summary.store_path is None:
        raise typer.Exit(1)


@app.command()
def demo(
    headless: Annotated[bool, typer.Option(help="Run Godot without a window.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic patient.")] = 1,
    speed: Annotated[
        float | None,
        typer.Option(help="Session time per wall second (1 = real time); default: fastest."),
    ] = None,
    verbose: Annotated[bool, typer.Option("-v", help="Log the session's phases.")] = False,
    screenshots: Annotated[
        Path | None,
        typer.Option(help="Save pictures of the check-in, each level and the summary here."),
    ] = None,
) -> None:
    """Play a whole session with the synthetic patient and print its summary."""
    if verbose:
        logging.basicConfig(level=logging.INFO)
    if speed is not None and speed <= 0:
        typer.echo("error: --speed must be above 0", err=True)
        raise typer.Exit(2)
    mode = Mode.HEADLESS if headless else Mode.DESKTOP
    if screenshots is not None:
        if headless:
            typer.echo("error: --screenshots needs a display: add --no-headless", err=True)
            raise typer.Exit(2)
        screenshots.mkdir(parents=True, exist_ok=True)
    try:
        summary = run(mode, seed, speed, autopilot=True, screenshot_dir=screenshots)
    except GodotUnavailable as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    _finish(summary, as_json)


@app.command()
def play(
    seed: Annotated[int, typer.Option(help="Seed of the synthetic patient (no headset).")] = 1,
) -> None:
    """Play: with a headset if OpenXR is there, else a desktop window, else a headless demo."""
    mode = choose_mode()
    typer.echo(f"Pacewise: playing in {mode.value} mode", err=True)
    try:
        summary = run(mode, seed, 1.0 if mode is Mode.DESKTOP else None, mode is not Mode.XR)
    except GodotUnavailable as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    _finish(summary, as_json=False)
