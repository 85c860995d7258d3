"""`pacewise check` / `pacewise recover` and the store rules behind them: exit codes, JSON,
permissions that stay private through later writes, a mirror that catches up after a crash."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pacewise.cli import app, commands  # noqa: F401  (registers the sub-commands)
from pacewise.domain.pain import PainKind, new_pain_entry
from pacewise.store import Store
from pacewise.store import journal as journal_file

runner = CliRunner()
T0 = datetime(2025, 11, 3, 9, tzinfo=UTC)


def add(store: Store, n: int) -> list[str]:
    return [
        store.add_pain(new_pain_entry(3, PainKind.diary, T0 + timedelta(minutes=i))).id
        for i in range(n)
    ]


def test_check_says_all_is_well_with_exit_0_on_a_sound_store(store: Store) -> None:
    add(store, 2)
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0 and "all is well" in result.stdout
    result = runner.invoke(app, ["check", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout) == []


def test_check_json_lists_each_problem_with_its_repair(store: Store, home: Path) -> None:
    add(store, 2)
    (home / "pain" / "pain.jsonl").write_bytes(b"")
    result = runner.invoke(app, ["check", "--json"])
    assert result.exit_code == 1
    (problem,) = json.loads(result.stdout)
    assert problem["path"] == str(home / "pain" / "pain.jsonl")
    assert problem["recoverable"] is True and "pacewise recover" in problem["fix"]
    assert "2 entries kept in the mirror" in problem["what"]


def test_check_and_recover_need_a_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PACEWISE_HOME", str(tmp_path / "nothing-here"))
    for command in ("check", "recover"):
        result = runner.invoke(app, [command])
        assert result.exit_code == 2 and "there is no Pacewise data folder" in result.stderr
    assert not (tmp_path / "nothing-here").exists()


def test_loose_permissions_are_narrowed_by_the_next_write(store: Store, home: Path) -> None:
    add(store, 1)
    journal = home / "pain" / "pain.jsonl"
    mirror = home / "mirror" / "pain.jsonl"
    for path, mode in ((journal, 0o666), (mirror, 0o644)):
        path.chmod(mode)
    (home / "pain").chmod(0o777)
    assert len([p for p in store.check() if "other users" in p.what]) == 3
    store = Store.open(home)  # opening narrows the store's folders
    add(store, 1)  # appending narrows the journal and the mirror
    for path in (journal, mirror):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((home / "pain").stat().st_mode) == 0o700
    assert store.check() == []


def test_permissions_stay_private_under_umask_000(home: Path) -> None:
    old = os.umask(0)
    try:
        store = Store.open(home)
        add(store, 1)
        assert store.check() == []
    finally:
        os.umask(old)


def test_the_next_writer_copies_a_line_that_missed_the_mirror(store: Store, home: Path) -> None:
    ids = add(store, 2)
    lost = new_pain_entry(7, PainKind.flare, T0 + timedelta(hours=5))
    with (home / "pain" / "pain.jsonl").open("ab") as f:  # killed between the two appends
        f.write(journal_file.encode_payload(2, lost.model_dump_json().encode()))
    assert [e.id for e in store.pain_entries()][-1] == lost.id  # loads: not an error
    (problem,) = store.check()
    assert "did not reach the mirror" in problem.what
    later = add(store, 1)
    assert store.check() == []
    mirror = journal_file.read(home / "mirror" / "pain.jsonl")
    assert len(mirror.records) == 4
    assert {e.id for e in store.pain_entries()} == {*ids, lost.id, *later}


def test_a_duplicate_id_is_moved_to_conflicts_not_dropped(store: Store, home: Path) -> None:
    add(store, 2)
    record = journal_file.read(home / "pain" / "pain.jsonl").records[0]
    entry = json.loads(record.payload)
    entry["score"] = 9
    line = journal_file.encode(record.version, entry)
    for path in (home / "pain" / "pain.jsonl", home / "mirror" / "pain.jsonl"):
        with path.open("ab") as f:
            f.write(line)
    (problem,) = store.check()
    assert "a second, different entry with the id" in problem.what and problem.line == 3
    assert "conflicts.jsonl" in problem.hint
    result = runner.invoke(app, ["recover"])
    assert result.exit_code == 0 and "conflicts.jsonl" in result.stdout
    kept = journal_file.read(home / "pain" / "conflicts.jsonl")
    assert [json.loads(r.payload)["score"] for r in kept.records] == [9]
    assert store.check() == [] and [e.score for e in store.pain_entries()] == [3, 3]


def test_a_newer_summary_is_not_promised_a_recovery(store: Store, home: Path) -> None:
    from pacewise.domain.session import SessionRecord

    path = store.save_session(
        SessionRecord(id="s", started_at=T0, duration_s=5.0, godot_version="4.6", frames=1)
    )
    doc = json.loads(path.read_text())
    doc["version"] = 99
    path.write_text(json.dumps(doc))
    path.chmod(0o600)
    (problem,) = store.check()
    assert not problem.recoverable and "update Pacewise" in problem.hint
    assert "recover" not in str(problem)
    result = runner.invoke(app, ["recover"])
    assert result.exit_code == 1 and "cannot repair" in result.stdout
    assert json.loads(path.read_text())["version"] == 99  # left as it is
