"""One entry point for every report format, shared by the CLI and the dashboard's downloads."""

from __future__ import annotations

import json
from datetime import tzinfo
from pathlib import Path

from pacewise.clinic.overview import Snapshot, build
from pacewise.clinic.period import Period
from pacewise.clinic.reports import fhir, pdf, rows, summary, tables

FORMATS = ("html", "pdf", "csv", "fhir")
MEDIA = {
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/fhir+json",
    ".zip": "application/zip",
}


def base_name(period: Period) -> str:
    return f"pacewise-report-{period.start}-to-{period.end}"


def media_type(name: str) -> str:
    return MEDIA.get(Path(name).suffix, "application/octet-stream")


def report(snapshot: Snapshot, period: Period, tz: tzinfo, fmt: str) -> dict[str, bytes]:
    """File name → content. CSV gives three tables; every other format one file."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    sessions = [s for s in snapshot.sessions if period.contains(s.started_at, tz)]
    pain = [e for e in snapshot.pain if period.contains(e.at, tz)]
    name = base_name(period)
    view = build(snapshot, period, tz)
    if fmt == "csv":
        return tables.csv_files(sessions, pain, rows.summary_row(view))
    if fmt == "fhir":
        patient = fhir.local_patient_id(snapshot.sessions, snapshot.pain)
        doc = fhir.bundle(sessions, pain, snapshot.now, patient, rows.summary_row(view))
        return {f"{name}.fhir.json": json.dumps(doc, indent=2, ensure_ascii=False).encode()}
    if fmt == "html":
        return {f"{name}.html": summary.html(view, tz, snapshot.now).encode()}
    return {f"{name}.pdf": pdf.document(view, tz, snapshot.now)}
