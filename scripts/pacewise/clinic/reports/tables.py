"""Tidy CSV: sessions.csv, exercises.csv and pain.csv, one row per observation.

Times are ISO 8601 with their offset; empty cells mean "not recorded"; booleans are true/false,
so R, pandas and spreadsheets read the files without options. summary.csv holds the period's
headline figures (clinic/figures.py), the same the dashboard and the PDF show.

Text typed by a person (a note, a reason) can start with `=`, `+`, `-`, `@`, a tab or a
carriage return, which a spreadsheet runs as a formula (`=HYPERLINK(...)`). Such a cell is
written with a leading apostrophe, as OWASP recommends for CSV injection; numbers are never
touched, so a pain change of -3 stays a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime

from pydantic import BaseModel

from pacewise.clinic.reports.rows import (
    ExerciseRow,
    PainRow,
    SessionRow,
    SummaryRow,
    exercise_rows,
    pain_rows,
    session_rows,
)
from pacewise.domain.pain import PainEntry
from pacewise.domain.session import SessionRecord

#: First characters that make a spreadsheet treat a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return safe_text(value)
    return str(value)


def safe_text(text: str) -> str:
    """A text cell a spreadsheet shows as text, never runs as a formula; a line break inside
    it (which some readers take as the end of the row) becomes a space."""
    if text.startswith(FORMULA_START):
        text = "'" + text
    return text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


def to_csv(model: type[BaseModel], rows: Sequence[BaseModel]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = list(model.model_fields)
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(getattr(row, name)) for name in names])
    return out.getvalue().encode("utf-8")


def csv_files(
    sessions: Sequence[SessionRecord],
    pain: Sequence[PainEntry],
    summary: SummaryRow | None = None,
) -> dict[str, bytes]:
    extra = {} if summary is None else {"summary.csv": to_csv(SummaryRow, [summary])}
    return {
        **extra,
        "sessions.csv": to_csv(SessionRow, session_rows(sessions)),
        "exercises.csv": to_csv(ExerciseRow, exercise_rows(sessions)),
        "pain.csv": to_csv(PainRow, pain_rows(pain)),
    }
