"""`pacewise play` and `pacewise demo`: one session, with a headset, a window, or headless.

`play` is the patient's: with a headset (OpenXR) or, without one, in a window with mouse and
keyboard, saved in the patient's own data folder. With no display at all it plays the demo
instead. `demo` is the synthetic patient's: it plays into a throwaway folder (or one given with
`--data-dir` that is empty or already holds demo sessions), never into a patient's record.
Both run under the supervisor, so the session survives its Python side dying.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pacewise.cli import app
from pacewise.cli.terminal import printable
from pacewise.domain.exercises import Unit, facts, session_order
from pacewise.domain.session import LevelEnd, LevelResult

if TYPE_CHECKING:
    from pacewise.runtime.launcher import Mode

EXERCISES = [e.value for e in session_order()]
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
    from pacewise.runtime.launcher import PROJECT_ROOT

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
    entry = facts(level.name)
    name = entry.label
    if level.ended is LevelEnd.not_measured:
        return f"{name}: not measured ({level.not_measured})"
    if level.ended is LevelEnd.skipped:
        return f"{name}: left for today"
    if entry.unit is Unit.seconds:
        counted = ""
        if level.steps is not None:
            counted = f"{level.steps} steps in "
        elif level.breaths is not None:
            counted = f"{level.breaths} breaths in "
        return f"{name}: {counted}{level.seconds or 0:.0f} of {level.quota} s"
    best = f", best {level.best_deg:.0f}°" if level.best_deg is not None else ""
    stopped = f" (stopped: {level.stopped})" if level.stopped else ""
    return f"{name}: {level.reps} of {level.quota} reps{best}{stopped}"


def show(summary: object, as_json: bool) -> None:
    from rich.console import Console

    from pacewise.runtime.game import Summary

    assert isinstance(summary, Summary)
    if as_json:
        typer.echo(json.dumps(summary.model_dump(mode="json"), indent=None))
        return
    console = Console(highlight=False)
    console.print(
        "[bold]Today's session[/bold]" + (" (synthetic patient)" if summary.synthetic else "")
    )
    for level in summary.levels:
        console.print(f"  {printable(describe_level(level))}", markup=False)
    if summary.pain_before is not None or summary.pain_after is not None:
        console.print(f"  pain before {summary.pain_before}, after {summary.pain_after}")
    minutes, seconds = divmod(int(summary.duration_s), 60)
    console.print(f"  {minutes} min {seconds:02d} s")
    if summary.stopped:
        console.print(f"  stopped: {printable(summary.stopped)}", markup=False)
    for pause in summary.pauses:
        said = printable(f"{pause.reason}; {pause.answer}; {pause.outcome}")
        console.print(f"  pause at {pause.t_s:.0f} s: {said}", markup=False)
    if summary.restarts:
        console.print(f"  the game's Python side restarted {summary.restarts} time(s); it resumed")
    for error in summary.behaviour_errors:
        where = f"{error['script']}:{error['line']}"
        text = printable(f"  level behaviour: {error['error']} ({where})")
        console.print(text, style="red", markup=False)
    for problem in summary.godot_problems:
        console.print(printable(f"  Godot: {problem}"), style="red", markup=False)
    if summary.store_failure:
        console.print(printable(f"  not saved: {summary.store_failure}"), style="red", markup=False)


def _finish(summary: object, as_json: bool) -> None:
    from pacewise.runtime.game import Summary

    if summary is None:
        typer.echo("error: the session ended without a summary (see the messages above)", err=True)
        raise typer.Exit(1)
    assert isinstance(summary, Summary)
    show(summary, as_json)
    if summary.store_failure:
        typer.echo(f"error: the session could not be saved: {summary.store_failure}", err=True)
        raise typer.Exit(4)
    if summary.godot_exit != 0:
        typer.echo(
            f"error: the game closed unexpectedly (exit {summary.godot_exit}); "
            "the session so far is saved",
            err=True,
        )
        raise typer.Exit(1)
    if summary.godot_problems:
        raise typer.Exit(1)


def _demo_folder(data_dir: Path | None) -> tuple[Path, bool]:
    """The synthetic patient's folder: the one given, or a throwaway one (True)."""
    from pacewise.store import synthetic
    from pacewise.store.errors import InvalidInputError

    if data_dir is None:
        return synthetic.prepare(Path(tempfile.mkdtemp(prefix="pacewise-demo-"))), True
    try:
        return synthetic.prepare(data_dir), False
    except InvalidInputError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


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
    persona: Annotated[
        Path | None,
        typer.Option(help="What the synthetic patient answers and does (docs/personas.md)."),
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            help="Keep the demo's data in this folder (empty, or made by an earlier demo). "
            "Default: a throwaway folder. Never the patient's own data."
        ),
    ] = None,
) -> None:
    """Play a whole session with the synthetic patient and print its summary."""
    from pacewise.runtime.game import Options
    from pacewise.runtime.game_side import GameSideArgs
    from pacewise.runtime.godot_install import GodotUnavailable
    from pacewise.runtime.launcher import Mode
    from pacewise.runtime.persona import PersonaError, load_persona
    from pacewise.runtime.supervisor import supervise

    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING)
    if speed is not None and speed <= 0:
        typer.echo("error: --speed must be above 0", err=True)
        raise typer.Exit(2)
    mode = Mode.HEADLESS if headless else Mode.DESKTOP
    only = parse_levels(levels)
    scenes = parse_scenes(level_scene)
    if stop_at is not None and stop_at < 0:
        typer.echo("error: --stop-at must be 0 or more seconds", err=True)
        raise typer.Exit(2)
    scripted = None
    if persona is not None:
        try:
            scripted = load_persona(persona)
        except PersonaError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
    if screenshots is not None:
        if headless:
            typer.echo("error: --screenshots needs a display: add --no-headless", err=True)
            raise typer.Exit(2)
        screenshots.mkdir(parents=True, exist_ok=True)
    folder, throwaway = _demo_folder(data_dir)
    options = Options(
        seed=seed,
        autopilot=True,
        persona=scripted,
        screenshot_dir=screenshots.resolve() if screenshots else None,
        only=only,
        stop_at=stop_at,
        scenes=scenes,
    )
    args = GameSideArgs(
        port=0,
        data_dir=str(folder),
        session_id="",
        summary_path="",
        speed=speed,
        verbose=verbose,
        options=options,
    )
    try:
        result = supervise(
            mode,
            folder,
            args,
            render_fps=90 if screenshots is not None else None,
            log_dir=folder / "logs",
        )
    except GodotUnavailable as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        if throwaway:
            shutil.rmtree(folder, ignore_errors=True)
    summary = result.summary
    if summary is not None and throwaway:
        summary = summary.model_copy(update={"store_path": None})
    _finish(summary, as_json)


def patient_mode(found: Mode, desktop: bool) -> Mode | None:
    """The mode `pacewise play` uses: the person plays whenever there is a display.

    A headset (XR) unless `--desktop`; with a display and no headset, the desktop rig (mouse
    and keyboard), never the synthetic patient; with no display, the headless demo (HEADLESS).
    None: `--desktop` was asked for where there is no display.
    """
    from pacewise.runtime.launcher import Mode

    if found is Mode.HEADLESS:
        return None if desktop else Mode.HEADLESS
    if found is Mode.XR and not desktop:
        return Mode.XR
    return Mode.KEYBOARD


@app.command()
def play(
    seed: Annotated[int, typer.Option(help="Seed of the synthetic patient (no display).")] = 1,
    desktop: Annotated[
        bool,
        typer.Option(
            "--desktop", help="Play yourself in a window with mouse and keyboard (no headset)."
        ),
    ] = False,
) -> None:
    """Play yourself: with a headset if OpenXR is there, else in a window with mouse and keys.

    With no display at all, the synthetic patient plays a demo instead (nothing is saved to
    your record).
    """
    from pacewise.runtime.game import Options
    from pacewise.runtime.game_side import GameSideArgs
    from pacewise.runtime.godot_install import GodotUnavailable
    from pacewise.runtime.launcher import Mode, choose_mode
    from pacewise.runtime.supervisor import supervise
    from pacewise.store.store import Store

    mode = patient_mode(choose_mode(), desktop)
    if mode is None:
        typer.echo("error: --desktop needs a display (DISPLAY or WAYLAND_DISPLAY)", err=True)
        raise typer.Exit(2)
    if mode is Mode.HEADLESS:
        typer.echo(
            "Pacewise: no display here, so the synthetic patient plays a demo; "
            "nothing is saved to your record.",
            err=True,
        )
        demo(headless=True, as_json=False, seed=seed, speed=None, verbose=False,
             screenshots=None, levels=None, stop_at=None, level_scene=None, persona=None,
             data_dir=None)  # fmt: skip
        return
    typer.echo(f"Pacewise: playing in {mode.value} mode", err=True)
    store = Store.open()
    args = GameSideArgs(
        port=0, data_dir=str(store.home), session_id="", summary_path="", options=Options(seed=seed)
    )
    try:
        result = supervise(mode, store.home, args, log_dir=store.home / "logs")
    except GodotUnavailable as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    _finish(result.summary, as_json=False)


@app.command("game-side", hidden=True)
def game_side(arguments: str) -> None:
    """The game's Python side, started by the supervisor (not for people)."""
    import os

    from pacewise.runtime.game_side import GameSideArgs, run_game_side
    from pacewise.runtime.protocol import TOKEN_ENV

    args = GameSideArgs.model_validate_json(arguments)
    raise typer.Exit(run_game_side(args, os.environ.get(TOKEN_ENV, "")))
