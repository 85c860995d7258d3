"""`pacewise levels check`: are the level scenes, their scripts and the plan consistent?"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pacewise.cli import app
from pacewise.cli.plan import checked_plan_file
from pacewise.runtime.launcher import PROJECT_ROOT
from pacewise.runtime.level_check import check_levels
from pacewise.store.store import Store

levels_app = typer.Typer(help="Check the game's levels.")
app.add_typer(levels_app, name="levels")


@levels_app.command("check")
def check(
    prescription: Annotated[
        Path | None,
        typer.Option(help="A plan as JSON (default: the patient's current plan)."),
    ] = None,
    scenes: Annotated[
        list[Path] | None,
        typer.Argument(help="Level scenes to check (default: every scene in scenes/levels)."),
    ] = None,
) -> None:
    """Check every level: its script, its parameters, and its targets against the plan."""
    if prescription is not None:
        plan = checked_plan_file(prescription)
    else:
        plan = Store.open().prescription().prescription
    files = scenes or sorted((PROJECT_ROOT / "scenes" / "levels").glob("*.tscn"))
    missing = [f for f in files if not f.is_file()]
    if missing:
        typer.echo(f"error: no such scene: {', '.join(map(str, missing))}", err=True)
        raise typer.Exit(2)
    reports = check_levels(files, PROJECT_ROOT, plan)
    bad = 0
    for report in reports:
        name = report.scene.name
        if report.ok:
            scripts = ", ".join(b.script_path for b in report.behaviours)
            typer.echo(f"ok      {name}  ({scripts})")
            continue
        bad += 1
        typer.echo(f"PROBLEM {name}")
        for problem in report.problems:
            typer.echo(f"        - {problem}")
    typer.echo(f"{len(reports)} level(s) checked, {bad} with problems")
    if bad:
        raise typer.Exit(2)
