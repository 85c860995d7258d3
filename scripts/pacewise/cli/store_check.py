"""`pacewise check` and `pacewise recover`: find every problem in the data folder, and repair
what can be repaired from the copies the store keeps.

Exit codes (docs/store.md): check gives 0 when all is well and 1 when it found problems;
recover gives 0 when nothing is left to repair and 1 when problems remain that it cannot
repair (each is listed with what the person can do). Both give 2 when they cannot run at all.
"""

from __future__ import annotations

import json

import typer

from pacewise.cli import app
from pacewise.cli.pain import fail
from pacewise.cli.terminal import printable
from pacewise.store import Problem, Store, StoreError, default_home


def _say(problems: list[Problem]) -> None:
    for problem in problems:
        where = f"{problem.path}" + (f" line {problem.line}" if problem.line else "")
        typer.echo(printable(f"problem: {where}: {problem.what}"))
        typer.echo(printable(f"  to repair: {problem.hint}"))


def _as_json(problems: list[Problem]) -> str:
    return json.dumps(
        [
            {
                "path": str(p.path),
                "line": p.line,
                "what": p.what,
                "recoverable": p.recoverable,
                "fix": p.hint,
            }
            for p in problems
        ],
        indent=2,
    )


def _open() -> Store:
    home = default_home()
    if not home.is_dir():
        fail(f"there is no Pacewise data folder at {home}")
    try:
        return Store.open(home)
    except OSError as error:
        fail(f"cannot open the data folder {home}: {error.strerror or error}")


@app.command("check")
def check(
    as_json: bool = typer.Option(False, "--json", help="print the problems as JSON"),
    quick: bool = typer.Option(
        False, "--quick", help="compare recordings by size instead of by checksum"
    ),
) -> None:
    """Check every file of the data folder; exit 1 and list each problem if any is found."""
    store = _open()
    try:
        problems = store.check(deep=not quick)
    except (StoreError, OSError) as error:
        fail(f"the check could not finish: {error}", code=1)
    if as_json:
        typer.echo(_as_json(problems))
    elif not problems:
        typer.echo(f"all is well: no problems in {store.home}")
    else:
        _say(problems)
        fixable = sum(p.recoverable for p in problems)
        typer.echo(
            f"{len(problems)} problem(s) found; `pacewise recover` repairs {fixable} of them"
        )
    if problems:
        raise typer.Exit(1)


@app.command("recover")
def recover() -> None:
    """Repair what can be repaired (damaged files are kept aside), then check again."""
    store = _open()
    try:
        actions = store.recover()
        left = store.check()
    except (StoreError, OSError) as error:
        fail(f"recovery could not finish: {error}", code=1)
    for action in actions:
        typer.echo(printable(action))
    if not actions:
        typer.echo("nothing was changed")
    if left:
        _say(left)
        typer.echo(f"{len(left)} problem(s) remain that `pacewise recover` cannot repair")
        raise typer.Exit(1)
    typer.echo(f"all is well: no problems in {store.home}")
