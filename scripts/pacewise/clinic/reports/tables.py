"""Tidy CSV: sessions.csv, exercises.csv and pain.csv, one row per observation.

Times are ISO 8601 with their offset; empty cells mean "not recorded"; booleans are true/false,
so R, pandas and spreadsheets read the files without options.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel

from pacewise.clinic.reports.rows import (
    ExerciseRow,
    PainRow,
    SessionRow,
    exercise_rows,
    pain_rows,
    session_rows,
)
from pacewise.domain.pain import PainEntry
from pacewise.domain.session import SessionRecord


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def to_csv(model: type[BaseModel], rows: Sequence[BaseModel]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = list(model.model_fields)
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(getattr(row, name)) for name in names])
    return out.getvalue().encode("utf-8")


def csv_files(sessions: Sequence[SessionRecord], pain: Sequence[PainEntry]) -> dict[str, bytes]:
    return {
        "sessions.csv": to_csv(SessionRow, session_rows(sessions)),
        "exercises.csv": to_csv(ExerciseRow, exercise_rows(sessions)),
        "pain.csv": to_csv(PainRow, pain_rows(pain)),
    }
