"""One definition of each figure: the dashboard, the PDF, the CSV and FHIR agree on the same
data, and a new patient's figures count from when they began, not from weeks before."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pacewise.clinic.live import running
from pacewise.clinic.overview import Snapshot, build
from pacewise.clinic.period import resolve
from pacewise.clinic.reports import render
from pacewise.domain.pain import PainKind, new_pain_entry
from pacewise.domain.prescription import default_prescription
from pacewise.domain.session import SessionRecord
from pacewise.store import Store

NOW = datetime(2025, 5, 10, 12, tzinfo=UTC)
BEGAN = datetime(2025, 3, 30, 9, tzinfo=UTC)  # six weeks before NOW


@pytest.fixture
def new_patient(tmp_path: Path) -> Path:
    """Six weeks of data: a plan of 5 sessions a week from the first day, 31 sessions, pain
    falling from about 6 to about 4."""
    home = tmp_path / "home"
    store = Store.open(home)
    store.set_prescription(default_prescription(), by="Dr A", at=BEGAN - timedelta(hours=1))
    days = (NOW - BEGAN).days
    done = 0
    for day in range(days + 1):
        at = BEGAN + timedelta(days=day)
        score = 6 if day < 14 else (4 if day > days - 14 else 5)
        store.add_pain(new_pain_entry(score, PainKind.diary, at - timedelta(hours=1)))
        if day % 7 < 6 and done < 31:
            done += 1
            store.save_session(
                SessionRecord(
                    id=f"s{day:03d}",
                    started_at=at,
                    duration_s=600.0,
                    godot_version="4.6",
                    frames=100,
                    pain_before=score,
                    pain_after=score + (2 if day == 3 else 0),
                )
            )
    return home


def pdf_text(data: bytes) -> str:
    """The text drawn on the PDF's pages (its content streams, inflated where packed)."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.DOTALL):
        chunk = match.group(1).strip().removesuffix(b"~>")
        try:
            chunk = zlib.decompress(base64.a85decode(chunk))
        except (ValueError, zlib.error):
            continue
        out += [m.decode("latin-1") for m in re.findall(rb"\((.*?)\) Tj", chunk)]
    return " ".join(out)


def test_the_dashboard_pdf_csv_and_fhir_agree_for_a_new_patient(new_patient: Path) -> None:
    snapshot = Snapshot.read(Store.open(new_patient), NOW)
    today = NOW.date()
    # the dashboard's default 12-week window, and the report's default (all the data)
    with running(new_patient, clock=lambda: NOW, tz=UTC) as live:
        client = live.client()
        client.login(live.guard.token)
        page = client.get("/").text
    report_period = resolve(None, None, today, snapshot.earliest(UTC), 0)
    view = build(snapshot, report_period, UTC)
    h = view.headline
    # the figures themselves: counted from the first day, not from 12 weeks back
    assert h.sessions_done == 31
    assert h.sessions_planned == pytest.approx(5 * 42 / 7)  # Mar 30 .. May 10: 42 days
    assert h.pain_first == pytest.approx(6.0) and h.pain_last == pytest.approx(4.0)
    assert h.pain_change_important
    assert h.counted_from == BEGAN.date()  # the plan was set that morning
    # the dashboard
    done = re.search(r'<p class="big">(\d+) <span>of (\d+)</span>', page)
    assert done is not None and done.groups() == ("31", "30")
    assert "6.0 → 4.0" in page and "(103%)" not in page and ": 103%" in page
    # the PDF
    (pdf,) = render.report(snapshot, report_period, UTC, "pdf").values()
    text = pdf_text(pdf)
    flat = text.replace("\\(", "(").replace("\\)", ")").replace(" ", "")
    assert "31of30planned(103%)" in flat and "6.0->4.0(importantchange)" in flat
    # the CSV summary and the per-session rows
    tables = render.report(snapshot, report_period, UTC, "csv")
    (summary,) = list(csv.DictReader(io.StringIO(tables["summary.csv"].decode())))
    assert summary["sessions_done"] == "31" and float(summary["sessions_planned"]) == 30.0
    assert float(summary["pain_first"]) == 6.0 and float(summary["pain_last"]) == 4.0
    assert summary["pain_change_important"] == "true"
    sessions = list(csv.DictReader(io.StringIO(tables["sessions.csv"].decode())))
    important_csv = {r["session_id"] for r in sessions if r["important_change"] == "true"}
    # FHIR
    (name,) = render.report(snapshot, report_period, UTC, "fhir")
    bundle = json.loads(render.report(snapshot, report_period, UTC, "fhir")[name])
    resources = [e["resource"] for e in bundle["entry"]]
    (period_summary,) = [
        r
        for r in resources
        if r.get("code", {}).get("coding", [{}])[0].get("code") == "period-summary"
    ]
    parts = {c["code"]["coding"][0]["code"]: c for c in period_summary["component"]}
    assert parts["sessions-done"]["valueInteger"] == 31
    assert parts["sessions-planned"]["valueQuantity"]["value"] == 30.0
    assert parts["pain-first"]["valueQuantity"]["value"] == 6.0
    assert parts["pain-last"]["valueQuantity"]["value"] == 4.0
    assert parts["pain-change-important"]["valueBoolean"] is True
    important_fhir = {
        r["identifier"][0]["value"]
        for r in resources
        if "identifier" in r
        and any(
            c["code"]["coding"][0]["code"] == "pain-change-important" and c["valueBoolean"]
            for c in r.get("component", [])
        )
    }
    important_view = {s.session_id for s in view.session_pain if s.important}
    assert important_csv == important_fhir == important_view == {"s003"}
