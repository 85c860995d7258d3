"""`pacewise plan show/set/validate`: the physiotherapist's plan, validated, with history."""

from __future__ import annotations

import getpass
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import typer

from pacewise.cli import app
from pacewise.cli.pain import fail
from pacewise.domain.prescription import UNIT, PrescriptionVersion, Unit, check
from pacewise.store import Store, StoreError

plan_app = typer.Typer(help="Show, check and set the exercise plan (the prescription).")
app.add_typer(plan_app, name="plan")


def _load_file(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror or error}")
    try:
        return json.loads(text)
    except ValueError as error:
        fail(f"{path} is not valid JSON: {error}")


def checked_plan_file(path: Path) -> Any:
    prescription, problems = check(_load_file(path))
    if prescription is None:
        listing = "\n".join(f"  - {p}" for p in problems)
        fail(f"{path} has {len(problems)} problem(s):\n{listing}")
    return prescription


@plan_app.command("validate")
def validate(file: Path = typer.Argument(..., help="a plan as JSON")) -> None:
    """Check a plan file; exit 2 listing every problem."""
    checked_plan_file(file)
    typer.echo(f"{file}: the plan is valid")


@plan_app.command("set")
def set_(
    file: Path = typer.Argument(..., help="a plan as JSON"),
    by: str | None = typer.Option(None, help="who sets the plan (default: your user name)"),
    note: str | None = typer.Option(None, help="why it changed"),
) -> None:
    """Validate a plan and make it the plan in force, keeping every earlier revision."""
    prescription = checked_plan_file(file)
    who = by or getpass.getuser()
    try:
        version = Store.open().set_prescription(
            prescription, by=who, at=datetime.now().astimezone(), note=note
        )
    except (StoreError, OSError) as error:
        fail(str(error), code=1)
    typer.echo(f"plan revision {version.revision} saved (by {who})")


def _describe(version: PrescriptionVersion) -> str:
    p = version.prescription
    when = f"{version.at.astimezone():%Y-%m-%d %H:%M}" if version.at else "—"
    lines = [
        f"plan revision {version.revision}, set by {version.by} ({when})",
        f"session cap {p.session_cap_min:g} min, {p.sessions_per_week} sessions a week",
    ]
    for exercise, plan in p.exercises.items():
        if UNIT[exercise] is Unit.reps:
            amount = f"{plan.reps} reps × {plan.sets}"
        else:
            amount = f"{plan.duration_s} s × {plan.sets}"
        angles = "/".join(f"{a:g}°" for a in plan.target_deg)
        extra = f", targets {angles} (cap {plan.caps.max_deg:g}°)" if angles else ""
        state = "" if plan.enabled else "  [off]"
        lines.append(f"  {exercise.value:<16} {plan.position.value:<8} {amount}{extra}{state}")
    return "\n".join(lines)


@plan_app.command("show")
def show(as_json: bool = typer.Option(False, "--json", help="print JSON")) -> None:
    """Show the plan in force (the default plan until a physiotherapist sets one)."""
    try:
        version = Store.open().prescription()
    except (StoreError, OSError) as error:
        fail(str(error), code=1)
    if as_json:
        typer.echo(version.model_dump_json(indent=2))
    else:
        typer.echo(_describe(version))
