"""Reports as files: FHIR validated by fhir.resources (R4B models), tidy CSV, a real PDF, HTML."""

from __future__ import annotations

import csv
import io
import json
import re
import stat
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from typer.testing import CliRunner

from pacewise.cli import app, commands  # noqa: F401  (registers the sub-commands)
from pacewise.clinic.live import Client
from pacewise.clinic.overview import Snapshot
from pacewise.clinic.period import Period
from pacewise.clinic.reports import render
from pacewise.store import Store

runner = CliRunner()
APRIL = Period(start=date(2025, 4, 1), end=date(2025, 4, 30))


def in_april(home: Path) -> tuple[list, list]:  # type: ignore[type-arg]
    store = Store.open(home)
    sessions = [s for s in store.sessions() if APRIL.contains(s.started_at, UTC)]
    pain = [e for e in store.pain_entries() if APRIL.contains(e.at, UTC)]
    return sessions, pain


def report(home: Path, fmt: str, period: Period = APRIL) -> dict[str, bytes]:
    now = datetime(2025, 5, 10, 12, tzinfo=UTC)
    return render.report(Snapshot.read(Store.open(home), now), period, UTC, fmt)


def test_fhir_bundle_validates_and_carries_every_pain_score(home: Path) -> None:
    ((name, data),) = report(home, "fhir").items()
    assert name.endswith(".fhir.json")
    doc = json.loads(data)
    bundle = Bundle.model_validate(doc)
    assert bundle.type == "collection"
    sessions, pain = in_april(home)
    resources = [e.resource for e in bundle.entry]
    patients = [r for r in resources if isinstance(r, Patient)]
    assert len(patients) == 1
    patient = patients[0]
    assert patient.name is None and patient.birthDate is None and patient.telecom is None
    assert patient.identifier and patient.identifier[0].value.startswith("pw-")
    patient_url = next(e.fullUrl for e in bundle.entry if isinstance(e.resource, Patient))
    observations = [r for r in resources if isinstance(r, Observation)]
    scores = [o for o in observations if o.code.coding[0].code == "72514-3"]
    assert len(scores) == len(pain) > 0
    by_id = {e.id: e for e in pain}
    for obs in scores:
        assert obs.code.coding[0].system == "http://loinc.org"
        assert obs.subject.reference == patient_url
        entry = by_id[obs.identifier[0].value]
        assert obs.valueInteger == entry.score and 0 <= obs.valueInteger <= 10
        assert obs.effectiveDateTime == entry.at
    summaries = [o for o in observations if o.code.coding[0].code == "55411-3"]
    assert len(summaries) == len(sessions) > 0
    urls = {e.fullUrl for e in bundle.entry}
    for obs in summaries:
        assert obs.effectivePeriod.start < obs.effectivePeriod.end
        assert obs.hasMember and all(m.reference in urls for m in obs.hasMember)


def test_fhir_raw_values_are_r4_shaped(home: Path) -> None:
    doc = json.loads(next(iter(report(home, "fhir").values())))
    for entry in doc["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "Observation" and "valueInteger" in resource:
            assert type(resource["valueInteger"]) is int
            assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", resource["effectiveDateTime"])


def test_csv_tables_are_tidy_and_complete(home: Path) -> None:
    files = report(home, "csv")
    assert set(files) == {"summary.csv", "sessions.csv", "exercises.csv", "pain.csv"}
    sessions, pain = in_april(home)
    tables = {name: list(csv.reader(io.StringIO(data.decode()))) for name, data in files.items()}
    for rows in tables.values():
        header = rows[0]
        assert len(set(header)) == len(header)
        assert all(len(row) == len(header) for row in rows)
    assert len(tables["sessions.csv"]) - 1 == len(sessions)
    assert len(tables["pain.csv"]) - 1 == len(pain)
    assert len(tables["exercises.csv"]) - 1 == sum(len(s.levels) for s in sessions)
    head = tables["pain.csv"][0]
    scores = [int(row[head.index("score")]) for row in tables["pain.csv"][1:]]
    assert sorted(scores) == sorted(e.score for e in pain)
    flags = {
        row[tables["sessions.csv"][0].index("important_change")]
        for row in tables["sessions.csv"][1:]
    }
    assert flags <= {"true", "false"}


def test_pdf_is_a_real_document_with_pages(home: Path) -> None:
    ((name, data),) = report(home, "pdf").items()
    assert name.endswith(".pdf") and data.startswith(b"%PDF-")
    pages = re.findall(rb"/Type\s*/Page[^s]", data)
    assert len(pages) >= 2
    assert data.rstrip().endswith(b"%%EOF")


def test_html_report_stands_alone(home: Path) -> None:
    ((_name, data),) = report(home, "html").items()
    html = data.decode()
    assert "<svg" in html and "Pacewise clinical summary" in html and "<style>" in html
    assert not re.search(r"""(?:src|href)=["']https?:""", html)
    assert "1 Apr 2025 – 30 Apr 2025" in html


@pytest.mark.parametrize("fmt", ["html", "pdf", "fhir"])
def test_report_command_writes_a_private_file(home: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    result = runner.invoke(
        app,
        [
            "report",
            "--format",
            fmt,
            "--from",
            "2025-04-01",
            "--to",
            "2025-04-30",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.stat().st_size > 1000


def test_report_command_writes_csv_tables_to_a_folder_or_zip(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    assert runner.invoke(app, ["report", "--format", "csv", "--out", str(folder)]).exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "exercises.csv",
        "pain.csv",
        "sessions.csv",
        "summary.csv",
    ]
    archive = tmp_path / "tables.zip"
    assert runner.invoke(app, ["report", "--format", "csv", "--out", str(archive)]).exit_code == 0
    with zipfile.ZipFile(archive) as z:
        assert sorted(z.namelist()) == [
            "exercises.csv",
            "pain.csv",
            "sessions.csv",
            "summary.csv",
        ]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--format", "xml"], "--format"),
        (["--format", "pdf", "--from", "last week"], "is not a date like"),
        (["--format", "pdf", "--from", "2025-05-01", "--to", "2025-04-01"], "is after"),
        (["--format", "pdf", "--out", "/no/such/folder/r.pdf"], "does not exist"),
    ],
)
def test_report_command_refuses_bad_input_writing_nothing(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], says: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["report", *args])
    assert result.exit_code == 2
    assert says in result.output
    assert list(tmp_path.iterdir()) == [home]


def test_dashboard_downloads_every_format(client: Client) -> None:
    for fmt, starts in (("pdf", b"%PDF"), ("html", b"<!doctype"), ("fhir", b"{"), ("csv", b"PK")):
        reply = client.get(f"/reports/file/{fmt}?from=2025-04-01&to=2025-04-30")
        assert reply.status == 200, fmt
        assert reply.body.startswith(starts)
        assert "attachment" in reply.headers["content-disposition"]
    assert client.get("/reports/file/docx").status == 404
