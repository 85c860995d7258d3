"""`pacewise export` / `pacewise import`: the whole data folder as one archive the patient owns."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer

from pacewise.cli import app
from pacewise.cli.pain import fail
from pacewise.cli.terminal import printable
from pacewise.clinic.archive import ArchiveError, default_name, export_to, import_archive
from pacewise.store import StoreError, default_home


@app.command("export")
def export(
    out: Path | None = typer.Option(None, "--out", help="archive to write (a .zip file)"),
) -> None:
    """Write every session, pain score and plan revision to one zip archive (mode 0600)."""
    now = datetime.now().astimezone()
    target = out or Path(default_name(now))
    if target.exists() and target.is_dir():
        fail(f"{target} is a folder; give a file name such as {default_name(now)}")
    if not target.absolute().parent.is_dir():
        fail(f"the folder {target.absolute().parent} does not exist")
    home = default_home()
    if not home.is_dir():
        fail(f"there is no Pacewise data folder at {home}")
    try:
        manifest = export_to(home, target, now)
    except ArchiveError as error:
        fail(str(error), code=1)
    except OSError as error:
        fail(f"cannot write {target}: {error.strerror or error}", code=1)
    typer.echo(
        f"wrote {target}: {manifest.sessions} sessions, {manifest.pain_entries} pain entries, "
        f"{manifest.plan_revisions} plan revisions, {len(manifest.files)} files"
    )


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="an archive made by `pacewise export`"),
    replace: bool = typer.Option(
        False, "--replace", help="keep the current data aside and use the archive's instead"
    ),
) -> None:
    """Bring an archive in as the data folder; a damaged or foreign archive changes nothing."""
    if not file.is_file():
        fail(f"{file} is not a file")
    now = datetime.now().astimezone()
    try:
        done = import_archive(file, default_home(), now, replace=replace)
    except ArchiveError as error:
        fail(str(error))
    except (StoreError, OSError) as error:
        fail(f"import failed, nothing was changed: {error}", code=1)
    typer.echo(
        f"imported {file} into {done.home}: {done.sessions} sessions, {done.pain_entries} pain "
        f"entries, {done.plan_revisions} plan revisions (counted as they loaded)"
    )
    for note in done.notes:
        typer.echo(printable(f"note: {note}"))
    if done.notes:
        typer.echo("run `pacewise check` for these, and `pacewise recover` to repair them")
    if done.previous is not None:
        typer.echo(f"the data that was there before is kept in {done.previous}")
