"""`pacewise play` and `pacewise demo`: one session, with a headset, a window, or headless."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from pacewise.cli import app
from pacewise.domain.session import LevelResult
from pacewise.runtime.day_plan import ORDER
from pacewise.runtime.game import Summary, play_game
from pacewise.runtime.godot_install import GodotUnavailable
from pacewise.runtime.launcher import PROJECT_ROOT, Mode, choose_mode

EXERCISES = [e.value for e in ORDER]
LevelsOption = Annotated[
    str | None,
    typer.Option(help=f"Only these exercises, comma-separated ({', '.join(EXERCISES)})."),
]
LevelSceneOption = Annotated[
    list[str] | None,
    typer.Option(help="Play another scene for an exercise: EXERCISE=res://path.tscn."),
]


def parse_levels(levels: str | None) -> list[str] | None:
    """`--levels a,b` as a list of exercises; exit 2 naming any unknown one."""
    only = [name.strip() for name in levels.split(",")] if levels else None
    unknown = [name for name in only or [] if name not in EXERCISES]
    if unknown:
        typer.echo(
            f"error: unknown exercise {', '.join(unknown)}; choose from {', '.join(EXERCISES)}",
            err=True,
        )
        raise typer.Exit(2)
    return only


def parse_scenes(pairs: list[str] | None) -> dict[str, str]:
    """`--level-scene reach=res://...tscn` pairs; exit 2 on a malformed or unknown one."""
    out: dict[str, str] = {}
    for pair in pairs or []:
        exercise, _, scene = pair.partition("=")
        if exercise not in EXERCISES or not (
            scene.startswith("res://") and scene.endswith(".tscn")
        ):
            typer.echo(
                f"error: --level-scene takes EXERCISE=res://path.tscn, not {pair!r}", err=True
            )
            raise typer.Exit(2)
        path = PROJECT_ROOT / scene.removeprefix("res://")
        if not path.is_file():
            typer.echo(f"error: no level scene {scene} ({path})", err=True)
            raise typer.Exit(2)
        out[exercise] = scene
    return out


def describe_level(level: LevelResult) -> str:
    name = level.name.replace("_", " ")
    if level.steps is not None or level.breaths is not None:
        counted = f"{level.steps} steps" if level.steps is not None else f"{level.breaths} breaths"
        return f"{name}: {counted} in {level.seconds or 0:.0f} of {level.quota} s"
    best = f", best {level.best_deg:.0f}°" if level.best_deg is not None else ""
    stopped = f" (stopped: {level.stopped})" if level.stopped else ""
    return f"{name}: {level.reps} of {level.quota} reps{best}{stopped}"


def show(summary: Summary, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(summary.model_dump(mode="json"), indent=None))
        return
    console = Console()
    console.print(f"[bold]Session {summary.session_id}[/bold] on Godot {summary.godot_version}")
    for level in summary.levels:
        console.print(f"  {describe_level(level)}")
    console.print(f"  pain before {summary.pain_before}, after {summary.pain_after}")
    console.print(
        f"  {summary.duration_s:.1f} s of session time, {summary.frames} frames, "
        f"{summary.wall_s:.1f} s wall ({summary.frames_per_wall_s:.0f} frames/s)"
    )
    if summary.stopped:
        console.print(f"  stopped: {summary.stopped}")
    for pause in summary.pauses:
        console.print(
            f"  pause at {pause.t_s:.0f} s: {pause.reason}; {pause.answer}; {pause.outcome}"
        )
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
    levels: LevelsOption = None,
    stop_at: Annotated[
        float | None,
        typer.Option(help="The synthetic patient presses stop at this session time (s)."),
    ] = None,
    level_scene: LevelSceneOption = None,
) -> None:
    """Play a whole session with the synthetic patient and print its summary."""
    if verbose:
        logging.basicConfig(level=logging.INFO)
    if speed is not None and speed <= 0:
        typer.echo("error: --speed must be above 0", err=True)
        raise typer.Exit(2)
    mode = Mode.HEADLESS if headless else Mode.DESKTOP
    only = parse_levels(levels)
    scenes = parse_scenes(level_scene)
    if stop_at is not None and stop_at < 0:
        typer.echo("error: --stop-at must be 0 or more seconds", err=True)
        raise typer.Exit(2)
    if screenshots is not None:
        if headless:
            typer.echo("error: --screenshots needs a display: add --no-headless", err=True)
            raise typer.Exit(2)
        screenshots.mkdir(parents=True, exist_ok=True)
    try:
        summary = play_game(
            mode,
            seed,
            speed,
            autopilot=True,
            screenshot_dir=screenshots,
            only=only,
            stop_at=stop_at,
            scenes=scenes,
        ).summary
    except GodotUnavailable as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    _finish(summary, as_json)


@app.command()
def play(
    seed: Annotated[int, typer.Option(help="Seed of the synthetic patient (no headset).")] = 1,
    desktop: Annotated[
        bool,
        typer.Option(
            "--desktop", help="Play yourself in a window with mouse and keyboard (no headset)."
        ),
    ] = False,
) -> None:
    """Play: with a headset if OpenXR is there, else a desktop window, else a headless demo."""
    mode = choose_mode()
    if desktop:
        if mode is Mode.HEADLESS:
            typer.echo("error: --desktop needs a display (DISPLAY or WAYLAND_DISPLAY)", err=True)
            raise typer.Exit(2)
        mode = Mode.KEYBOARD
    typer.echo(f"Pacewise: playing in {mode.value} mode", err=True)
    try:
        speed = 1.0 if mode is Mode.DESKTOP else None
        autopilot = mode in (Mode.HEADLESS, Mode.DESKTOP)
        summary = play_game(mode, seed, speed, autopilot).summary
    except GodotUnavailable as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    _finish(summary, as_json=False)
