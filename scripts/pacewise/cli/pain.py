"""`pacewise pain add/list`: the pain diary from the command line."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from enum import StrEnum
from typing import NoReturn

import typer

from pacewise.cli import app
from pacewise.cli.terminal import printable
from pacewise.domain.pain import PainKind, new_pain_entry
from pacewise.store import Store, StoreError

pain_app = typer.Typer(help="Record and list pain scores (0 = no pain, 10 = worst imaginable).")
app.add_typer(pain_app, name="pain")


class KindChoice(StrEnum):
    diary = "diary"
    before = "before"
    after = "after"
    flare = "flare"


def fail(message: str, code: int = 2) -> NoReturn:
    """One clear message on stderr and a non-zero exit; nothing has been written.

    Each line is made printable: messages quote file names and notes from the data folder.
    """
    text = "\n".join(printable(line) for line in message.splitlines())
    typer.echo(f"error: {text}", err=True)
    raise typer.Exit(code)


def parse_since(text: str) -> datetime:
    """A date (start of that day, local time) or a full ISO date-time."""
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time()).astimezone()
        value = datetime.fromisoformat(text)
    except ValueError:
        fail(f"--since {text!r} is not a date like 2025-11-03")
    return value if value.tzinfo else value.astimezone()


@pain_app.command("add")
def add(
    score: int = typer.Option(..., help="0 (no pain) to 10 (worst pain imaginable)"),
    kind: KindChoice = typer.Option(KindChoice.diary, help="when the score was taken"),
    note: str | None = typer.Option(None, help="anything worth remembering about it"),
) -> None:
    """Save a pain score; prints the new entry's id once it is safely on disk."""
    if not 0 <= score <= 10:
        fail(f"--score must be a whole number from 0 to 10, got {score}")
    if note is not None and len(note) > 2000:
        fail("--note is longer than 2000 characters")
    entry = new_pain_entry(score, PainKind(kind.value), datetime.now().astimezone(), note=note)
    try:
        Store.open().add_pain(entry)
    except (StoreError, OSError) as error:
        fail(f"could not save the score: {error}", code=1)
    typer.echo(entry.id)


@pain_app.command("list")
def list_(
    since: str | None = typer.Option(None, help="only entries from this date (YYYY-MM-DD) on"),
    as_json: bool = typer.Option(False, "--json", help="print JSON instead of a table"),
) -> None:
    """List pain entries, oldest first."""
    start = parse_since(since) if since is not None else None
    try:
        entries = Store.open().pain_entries(since=start)
    except (StoreError, OSError) as error:
        fail(str(error), code=1)
    if as_json:
        typer.echo(json.dumps([e.model_dump(mode="json") for e in entries], indent=2))
        return
    if not entries:
        typer.echo("no pain entries yet")
        return
    for e in entries:
        local = e.at.astimezone()
        note = f"  {printable(e.note)}" if e.note else ""
        typer.echo(f"{local:%Y-%m-%d %H:%M}  {e.kind.value:<6}  {e.score:>2}/10{note}")
