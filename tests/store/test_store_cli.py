"""The pain, plan and pacing commands, run through typer with PACEWISE_HOME in a tmp folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pacewise.cli import app, commands  # noqa: F401  (registers the sub-commands)
from pacewise.domain.prescription import default_prescription
from pacewise.store import Store

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def written(home: Path) -> list[Path]:
    return sorted(p for p in home.rglob("*") if p.is_file() and not p.name.endswith(".lock"))


def test_pain_add_prints_id_of_durable_entry(home: Path) -> None:
    code, out, _ = run("pain", "add", "--score", "4", "--kind", "flare", "--note", "lifting")
    assert code == 0
    (entry,) = Store.open().pain_entries()
    assert out.strip() == entry.id and entry.score == 4 and entry.note == "lifting"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--score", "11"], "--score must be a whole number from 0 to 10, got 11"),
        (["--score", "-1"], "--score must be a whole number from 0 to 10, got -1"),
        (["--score", "ten"], "--score"),
        (["--score", "3", "--kind", "weekly"], "--kind"),
        ([], "--score"),
    ],
)
def test_pain_add_bad_input_exits_2_and_writes_nothing(
    home: Path, args: list[str], says: str
) -> None:
    code, _, err = run("pain", "add", *args)
    assert code == 2 and says in err
    assert written(home) == []


def test_pain_list_table_json_and_since(home: Path) -> None:
    run("pain", "add", "--score", "3")
    code, out, _ = run("pain", "list")
    assert code == 0 and "diary" in out and " 3/10" in out
    code, out, _ = run("pain", "list", "--json")
    assert [e["score"] for e in json.loads(out)] == [3]
    code, out, _ = run("pain", "list", "--since", "2999-01-01", "--json")
    assert json.loads(out) == []
    code, _, err = run("pain", "list", "--since", "last tuesday")
    assert code == 2 and "is not a date" in err


def test_plan_show_works_on_an_empty_home(home: Path) -> None:
    code, out, _ = run("plan", "show")
    assert code == 0 and "revision 0" in out and "lateral_flexion" in out
    code, out, _ = run("plan", "show", "--json")
    assert json.loads(out)["prescription"]["exercises"]["lateral_flexion"]["caps"]["max_deg"] == 35


def plan_file(tmp_path: Path, **changes: object) -> Path:
    data = default_prescription().model_dump(mode="json")
    for key, value in changes.items():
        exercise, field = key.split("__")
        data["exercises"][exercise][field] = value
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data))
    return path


def test_plan_validate_lists_every_problem(home: Path, tmp_path: Path) -> None:
    path = plan_file(tmp_path, lateral_flexion__target_deg=[80], reach__target_deg=[70])
    code, _, err = run("plan", "validate", str(path))
    assert code == 2
    assert "lateral_flexion.target_deg 80 is above the cap of 35" in err
    assert "reach.target_deg 70 is above the cap of 60" in err
    assert written(home) == []
    code, out, _ = run("plan", "validate", str(plan_file(tmp_path)))
    assert code == 0 and "valid" in out


def test_plan_set_keeps_history_with_who_and_when(home: Path, tmp_path: Path) -> None:
    code, out, _ = run("plan", "set", str(plan_file(tmp_path)), "--by", "A. Physio")
    assert code == 0 and "revision 1" in out
    run("plan", "set", str(plan_file(tmp_path, reach__reps=12)), "--by", "B. Physio")
    history = Store.open().prescription_history()
    assert [(v.revision, v.by) for v in history] == [(1, "A. Physio"), (2, "B. Physio")]
    assert all(v.at is not None for v in history)
    _, out, _ = run("plan", "show", "--json")
    assert json.loads(out)["revision"] == 2


@pytest.mark.parametrize("content", ["{broken", "[]", '{"exercises": {}}'])
def test_plan_set_refuses_bad_files(home: Path, tmp_path: Path, content: str) -> None:
    path = tmp_path / "plan.json"
    path.write_text(content)
    code, _, err = run("plan", "set", str(path))
    assert code == 2 and err.startswith("error: ") and str(path) in err
    assert not list((home / "prescription").glob("rev-*")) if home.exists() else True


def test_plan_set_missing_file(home: Path, tmp_path: Path) -> None:
    code, _, err = run("plan", "set", str(tmp_path / "nope.json"))
    assert code == 2 and "cannot read" in err


def test_pacing_explain(home: Path) -> None:
    code, out, _ = run("pacing", "explain")
    assert code == 0 and out.count("baseline session 1 of 3") == 6
    code, out, _ = run("pacing", "explain", "march", "--json")
    (decision,) = json.loads(out)
    assert decision["exercise"] == "march" and decision["unit"] == "seconds"
    code, _, err = run("pacing", "explain", "cartwheel")
    assert code == 2 and "unknown exercise 'cartwheel'" in err
