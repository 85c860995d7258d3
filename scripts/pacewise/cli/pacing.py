"""`pacewise pacing explain`: today's quota for each exercise, and why."""

from __future__ import annotations

import json
from datetime import datetime

import typer

from pacewise.cli import app
from pacewise.cli.pain import fail
from pacewise.domain.pacing import plan_exercise
from pacewise.domain.prescription import Exercise
from pacewise.store import Store, StoreError

pacing_app = typer.Typer(help="Activity pacing: how much of each exercise today, and why.")
app.add_typer(pacing_app, name="pacing")


@pacing_app.command("explain")
def explain(
    exercise: str | None = typer.Argument(None, help="one exercise (default: all)"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """Today's quota per exercise with the reason for it."""
    names = [e.value for e in Exercise]
    if exercise is not None and exercise not in names:
        fail(f"unknown exercise {exercise!r}; choose one of: {', '.join(names)}")
    chosen = [Exercise(exercise)] if exercise else list(Exercise)
    try:
        store = Store.open()
        prescription = store.prescription().prescription
        sessions = store.sessions()
        pain = store.pain_entries()
    except (StoreError, OSError) as error:
        fail(str(error), code=1)
    now = datetime.now().astimezone()
    decisions = [plan_exercise(e, prescription, sessions, pain, now).today for e in chosen]
    if as_json:
        typer.echo(json.dumps([d.model_dump(mode="json") for d in decisions], indent=2))
        return
    for d in decisions:
        amount = "—" if d.quota == 0 else f"{d.quota} {d.unit.value}"
        typer.echo(f"{d.exercise.value:<16} {amount:<12} {d.reason}")
