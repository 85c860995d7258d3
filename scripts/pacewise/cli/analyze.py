"""`pacewise analyze RECORDING --exercise NAME [--min-deg D] [--json]`: analyse a recording."""

from __future__ import annotations

import math
from pathlib import Path
from typing import NoReturn

import typer

from pacewise.cli import app
from pacewise.motion.exercise import Exercise

NAMES = ", ".join(e.value for e in Exercise)


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def analyze(
    recording: Path = typer.Argument(..., help="a tracking recording (format v1, JSON Lines)"),
    exercise: str = typer.Option(..., "--exercise", "-e", help=f"one of: {NAMES}"),
    min_deg: float | None = typer.Option(
        None,
        "--min-deg",
        help="smallest peak that counts (default 15 flexion/rotation, 10 lateral)",
    ),
    as_json: bool = typer.Option(False, "--json", help="print the analysis as one JSON object"),
) -> None:
    """Trunk angles, repetitions and movement quality from a head-and-hands recording."""
    # imported here, not at the top: `pacewise --help` and other commands need none of it
    from pacewise.motion.analyzer import analyze as run_analysis
    from pacewise.motion.calibration import CalibrationError
    from pacewise.motion.recording import RecordingError, read_recording

    try:
        ex = Exercise(exercise)
    except ValueError:
        fail(f"unknown exercise {exercise!r}; choose one of: {NAMES}")
    if min_deg is not None and not (math.isfinite(min_deg) and 0.0 < min_deg < 90.0):
        fail(f"--min-deg must be between 0 and 90 degrees, got {min_deg}")
    try:
        rec = read_recording(recording)
        result = run_analysis(rec, ex, min_deg)
    except (RecordingError, CalibrationError) as error:
        fail(f"{recording}: {error}")
    if as_json:
        typer.echo(result.model_dump_json())
        return
    typer.echo(f"{ex.value}: {len(result.reps)} repetition(s)")
    for i, rep in enumerate(result.reps, 1):
        peak = f"{rep.peak_deg:.1f} deg" if rep.peak_deg is not None else f"{rep.peak} {rep.unit}"
        side = f" {rep.side}" if rep.side else ""
        span = f"{rep.start_t:7.2f}-{rep.end_t:7.2f} s"
        typer.echo(f"  {i:>3}. {span}  peak {peak} at {rep.peak_t:.2f} s{side}")
    for key in ("cadence_spm", "breaths_per_min"):
        if key in result.quality:
            typer.echo(f"  {key}: {result.quality[key]}")
    for w in result.warnings:
        typer.echo(f"  warning: {w}")
