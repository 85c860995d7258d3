"""`pacewise report`: clinical summaries and data exports, written as local files only."""

from __future__ import annotations

import os
import tempfile
import zipfile
from datetime import datetime
from enum import StrEnum
from pathlib import Path

import typer

from pacewise.cli import app
from pacewise.cli.pain import fail
from pacewise.clinic.overview import Snapshot
from pacewise.clinic.period import PeriodError, local_tz, resolve
from pacewise.clinic.reports import render
from pacewise.store import Store, StoreError


class Format(StrEnum):
    html = "html"
    pdf = "pdf"
    csv = "csv"
    fhir = "fhir"


def write_private(path: Path, data: bytes) -> None:
    """Write atomically with mode 0600: a report is health data."""
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _target(out: Path | None, files: dict[str, bytes], fmt: Format, base: str) -> Path:
    if out is None:
        return Path(f"{base}-csv" if fmt is Format.csv else next(iter(files)))
    return out


@app.command("report")
def report(
    fmt: Format = typer.Option(..., "--format", help="html, pdf, csv (three tables) or fhir"),
    start: str | None = typer.Option(None, "--from", help="first day, YYYY-MM-DD (default: all)"),
    end: str | None = typer.Option(None, "--to", help="last day, YYYY-MM-DD (default: today)"),
    out: Path | None = typer.Option(
        None, "--out", help="file to write (csv: a folder, or a .zip file)"
    ),
) -> None:
    """Write a report for a date range; nothing is sent anywhere."""
    tz = local_tz()
    now = datetime.now(tz)
    try:
        snapshot = Snapshot.read(Store.open(), now)
    except (StoreError, OSError) as error:
        fail(str(error), code=1)
    try:
        period = resolve(start, end, now.date(), snapshot.earliest(tz), 0)
    except PeriodError as error:
        fail(str(error))
    files = render.report(snapshot, period, tz, fmt.value)
    target = _target(out, files, fmt, render.base_name(period))
    if not target.absolute().parent.is_dir():
        fail(f"the folder {target.absolute().parent} does not exist")
    if fmt is Format.csv and target.suffix != ".zip" and target.exists() and not target.is_dir():
        fail(f"{target} exists and is not a folder")
    try:
        if fmt is not Format.csv:
            write_private(target, next(iter(files.values())))
        elif target.suffix == ".zip":
            handle, tmp = tempfile.mkstemp(dir=target.parent)
            os.close(handle)
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as bundle:
                for name, data in files.items():
                    bundle.writestr(name, data)
            write_private(target, Path(tmp).read_bytes())
            Path(tmp).unlink()
        else:
            target.mkdir(mode=0o700, exist_ok=True)
            for name, data in files.items():
                write_private(target / name, data)
    except OSError as error:
        fail(f"cannot write {target}: {error.strerror or error}", code=1)
    typer.echo(f"wrote {target} ({period.label()})")
