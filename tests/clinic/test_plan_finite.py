"""A plan holds finite numbers only: NaN and infinities are refused at every way in.

One `nan` target angle once reached the game and produced a 173° side bend against a 35° cap,
so the domain model refuses them, and each entry point (the dashboard's plan editor over real
HTTP, `pacewise plan validate` / `plan set`, and archive import) names the field and saves
nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pacewise.cli import app, commands  # noqa: F401  (registers the sub-commands)
from pacewise.clinic.archive import MANIFEST, ArchiveError, export_to, import_archive
from pacewise.clinic.live import Client
from pacewise.domain.prescription import check, default_prescription
from pacewise.store import Store

runner = CliRunner()
WHEN = datetime(2025, 5, 10, 12, tzinfo=UTC)

#: Form field, typed text, and the plan field the refusal must name.
FORM_CASES = [
    ("reach.target_deg", "15, nan", "reach.target_deg"),
    ("reach.target_deg", "inf", "reach.target_deg"),
    ("reach.caps.max_deg", "inf", "reach.caps.max_deg"),
    ("lateral_flexion.caps.max_deg", "NaN", "lateral_flexion.caps.max_deg"),
    ("session_cap_min", "infinity", "session_cap_min"),
    ("march.cadence_per_min", "1e400", "march.cadence_per_min"),
    ("reach.rest_s", "nan", "reach.rest_s"),
    ("pacing.start_fraction", "nan", "pacing.start_fraction"),
    ("safety.tracking_lost_s", "-inf", "safety.tracking_lost_s"),
]


def _form(client: Client) -> dict[str, str]:
    """The editor's fields as a browser posts them, from the page itself."""
    html = client.get("/plan").text
    form = dict(re.findall(r'<input[^>]*name="([^"]+)" value="([^"]*)"', html))
    for name in re.findall(r'<input type="checkbox"[^>]*name="([^"]+)" value="on" checked', html):
        form[name] = "on"
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'value="([^"]+)" selected', body)
        assert chosen is not None
        form[name] = chosen.group(1)
    assert "reach.target_deg" in form and "csrf" in form
    return form


@pytest.mark.parametrize(("field", "typed", "named"), FORM_CASES)
def test_the_plan_editor_refuses_non_finite_numbers_by_the_field(
    client: Client, home: Path, field: str, typed: str, named: str
) -> None:
    before = Store.open(home).prescription()
    form = _form(client) | {field: typed, "action": "preview"}
    reply = client.post("/plan", form)
    assert reply.status == 422
    assert re.search(re.escape(named) + r"[.\d]* .*is not a finite number", reply.text)
    dom_id = "f-" + field.replace(".", "-") + "-err"
    assert f'id="{dom_id}"' in reply.text
    saved = client.post("/plan", form | {"action": "save", "reason": "try it"})
    assert saved.status == 422
    assert Store.open(home).prescription() == before


def _plan_json(path: Path, exercise: str, key: str, literal: str) -> Path:
    """The default plan as JSON text with one number replaced by a JSON-ish literal."""
    data = default_prescription().model_dump(mode="json")
    data["exercises"][exercise][key] = "@@"
    path.write_text(json.dumps(data).replace('"@@"', literal), encoding="utf-8")
    return path


@pytest.mark.parametrize("literal", ["[15.0, NaN]", "[Infinity]", "[1e400]", "[-Infinity]"])
def test_plan_validate_and_set_refuse_a_non_finite_angle(
    home: Path, tmp_path: Path, literal: str
) -> None:
    plan = _plan_json(tmp_path / "plan.json", "reach", "target_deg", literal)
    before = Store.open(home).prescription()
    for args in (["plan", "validate", str(plan)], ["plan", "set", str(plan), "--note", "x"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert "reach.target_deg" in result.output
        assert "is not a finite number" in result.output
    assert Store.open(home).prescription() == before


def test_plan_validate_names_a_non_finite_cap(tmp_path: Path) -> None:
    data = default_prescription().model_dump(mode="json")
    data["exercises"]["sit_to_stand"]["caps"]["max_minutes"] = "@@"
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(data).replace('"@@"', "Infinity"), encoding="utf-8")
    result = runner.invoke(app, ["plan", "validate", str(plan)])
    assert result.exit_code == 2
    assert "sit_to_stand.caps.max_minutes inf is not a finite number" in result.output


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_the_domain_model_refuses_them_wherever_they_sit(bad: float) -> None:
    for where in (
        ("exercises", "reach", "target_deg"),
        ("exercises", "reach", "caps", "max_deg"),
        ("exercises", "breathing", "cadence_per_min"),
        ("session_cap_min",),
        ("pacing", "step_fraction"),
        ("safety", "break_every_min"),
    ):
        data = default_prescription().model_dump(mode="json")
        node = data
        for key in where[:-1]:
            node = node[key]
        node[where[-1]] = [bad] if where[-1] == "target_deg" else bad
        prescription, problems = check(data)
        assert prescription is None, where
        assert any("finite" in p for p in problems), (where, problems)


def test_an_archive_whose_plan_holds_nan_is_refused_and_nothing_changes(
    home: Path, tmp_path: Path
) -> None:
    store = Store.open(home)
    store.set_prescription(default_prescription(), by="Dr P", at=WHEN, note="for the test")
    good = tmp_path / "good.zip"
    export_to(home, good, WHEN)
    with zipfile.ZipFile(good) as z:
        manifest = json.loads(z.read(MANIFEST))
        name = max(e["path"] for e in manifest["files"] if e["path"].startswith("prescription/"))
        doc = json.loads(z.read(f"data/{name}"))
    doc["prescription"]["exercises"]["reach"]["target_deg"] = [15.0, float("nan")]
    poisoned = json.dumps(doc, indent=2).encode()  # Python writes the NaN literal
    assert b"NaN" in poisoned
    for entry in manifest["files"]:
        if entry["path"] == name:
            entry["size"], entry["sha256"] = len(poisoned), hashlib.sha256(poisoned).hexdigest()
    forged = tmp_path / "nan-plan.zip"
    with zipfile.ZipFile(good) as old, zipfile.ZipFile(forged, "w") as new:
        for info in old.infolist():
            if info.filename == MANIFEST:
                new.writestr(MANIFEST, json.dumps(manifest))
            elif info.filename == f"data/{name}":
                new.writestr(info.filename, poisoned)
            else:
                new.writestr(info, old.read(info))
    target = tmp_path / "target"
    with pytest.raises(ArchiveError, match=r"its data does not load .*target_deg"):
        import_archive(forged, target, WHEN)
    assert not target.exists()
    result = runner.invoke(app, ["import", str(forged)], env={"PACEWISE_HOME": str(target)})
    assert result.exit_code == 2, result.output
    assert "target_deg" in result.output and "finite" in result.output
    assert not target.exists()
