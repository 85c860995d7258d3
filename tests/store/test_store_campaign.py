"""The damage campaign: every crash and damage state made for real on disk, every reader run.

Each state is made the way it happens (a file truncated, emptied, deleted, filled with NULs,
edited by hand, chmod-ed, a temporary or staged file left by a writer that died, a journal
line that never reached its mirror). Then every reader runs on it: the store's loads (what the
game reads at start), `check()`, the CLI (`check`, `recover`, `pain list`, `report`,
`export`/`import`) and the dashboard over real HTTP. Each must name the file, say what is
wrong and how to repair it, and never drop a record silently. Each hint is then run, and its
promise checked.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pacewise.cli import app, commands  # noqa: F401  (registers the sub-commands)
from pacewise.clinic.archive import ArchiveError, export_to, import_archive
from pacewise.clinic.live import running
from pacewise.domain.pain import PainKind, new_pain_entry
from pacewise.domain.prescription import default_prescription
from pacewise.domain.profile import Profile
from pacewise.domain.session import LevelResult, SessionRecord
from pacewise.store import DamagedFileError, Store
from pacewise.store import journal as journal_file

T0 = datetime(2025, 11, 3, 9, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=3)
runner = CliRunner()


@dataclass(frozen=True)
class Filled:
    pain: list[str]
    sessions: list[str]


def fill(home: Path) -> Filled:
    store = Store.open(home)
    pain = [
        store.add_pain(new_pain_entry(i % 8, PainKind.diary, T0 + timedelta(hours=i))).id
        for i in range(6)
    ]
    sessions = []
    for n in (1, 2):
        record = SessionRecord(
            id=f"s-{n}",
            started_at=T0 + timedelta(days=n - 1, hours=2),
            duration_s=300.0,
            godot_version="4.6",
            frames=50,
            levels=[LevelResult(name="reach", reps=8)],
            pain_before=3,
            pain_after=4,
        )
        store.save_session(record, [f'{{"t":{i},"n":{n}}}' for i in range(50)])
        sessions.append(record.id)
    plan = default_prescription()
    store.set_prescription(plan, by="Dr A", at=T0 - timedelta(days=1))
    store.set_prescription(plan.model_copy(update={"sessions_per_week": 4}), by="Dr A", at=T0)
    store.save_profile(Profile(display_name="Sam", seated=True))
    store.save_profile(Profile(display_name="Sam", seated=False))
    return Filled(pain, sessions)


def dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def _journal(home: Path) -> Path:
    return home / "pain" / "pain.jsonl"


def _mirror(home: Path) -> Path:
    return home / "mirror" / "pain.jsonl"


def _summary(home: Path, n: int = 1) -> Path:
    return home / "sessions" / "2025" / f"s-{n}.json"


def _recording(home: Path, n: int = 1) -> Path:
    return home / "sessions" / "2025" / f"s-{n}.recording.jsonl"


def emptied(home: Path) -> Path:
    _journal(home).write_bytes(b"")
    return _journal(home)


def deleted(home: Path) -> Path:
    _journal(home).unlink()
    return _journal(home)


def folder_deleted(home: Path) -> Path:
    shutil.rmtree(home / "pain")
    return _journal(home)


def last_line_cut(home: Path) -> Path:
    _journal(home).write_bytes(b"".join(_lines(_journal(home))[:-1]))
    return _journal(home)


def nul_filled(home: Path) -> Path:
    path = _journal(home)
    path.write_bytes(b"\0" * path.stat().st_size)
    return path


def line_changed(home: Path) -> Path:
    lines = _lines(_journal(home))
    lines[2] = lines[2].replace(b'"score":2', b'"score":9')
    _journal(home).write_bytes(b"".join(lines))
    return _journal(home)


def duplicate_id(home: Path) -> Path:
    """A second entry with the id of the first and another score, checksummed (a bad merge)."""
    record = journal_file.read(_journal(home)).records[0]
    entry = json.loads(record.payload)
    entry["score"] = 10
    line = journal_file.encode(record.version, entry)
    for path in (_journal(home), _mirror(home)):
        with path.open("ab") as f:
            f.write(line)
    return _journal(home)


def mirror_deleted(home: Path) -> Path:
    _mirror(home).unlink()
    return _mirror(home)


def mirror_line_removed(home: Path) -> Path:
    lines = _lines(_mirror(home))
    del lines[1]
    _mirror(home).write_bytes(b"".join(lines))
    return _mirror(home)


def torn_tail(home: Path) -> Path:
    with _journal(home).open("ab") as f:
        f.write(b'{"v":2,"crc":"00')
    return _journal(home)


def not_in_mirror_yet(home: Path) -> Path:
    """A writer killed between appending to the journal and to its mirror."""
    entry = new_pain_entry(5, PainKind.flare, T0 + timedelta(days=1))
    with _journal(home).open("ab") as f:
        f.write(journal_file.encode_payload(2, entry.model_dump_json().encode()))
    return _mirror(home)


def summary_deleted(home: Path) -> Path:
    _summary(home).unlink()
    return _summary(home)


def summary_invalid(home: Path) -> Path:
    doc = json.loads(_summary(home).read_text())
    doc["session"]["pain_before"] = 12
    _summary(home).write_text(json.dumps(doc))
    return _summary(home)


def summary_newer(home: Path) -> Path:
    doc = json.loads(_summary(home).read_text())
    doc["version"] = 99
    _summary(home).write_text(json.dumps(doc))
    return _summary(home)


def index_damaged(home: Path) -> Path:
    index = home / "sessions" / "index.jsonl"
    lines = _lines(index)
    lines[0] = lines[0].replace(b'"pain_before":3', b'"pain_before":7', 1)
    index.write_bytes(b"".join(lines))
    return index


def recording_truncated(home: Path) -> Path:
    path = _recording(home)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return path


def recording_deleted(home: Path) -> Path:
    _recording(home).unlink()
    return _recording(home)


def recording_orphaned(home: Path) -> Path:
    """A writer killed after naming the recording, before writing its summary."""
    path = home / "sessions" / "2025" / "s-9.recording.jsonl"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, b'{"t":0}\n')
    os.close(fd)
    return path


def staged_recording(home: Path) -> Path:
    path = home / "sessions" / ".incoming" / f".recording.jsonl.tmp-{dead_pid()}-0badf00d"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, b'{"t":0}\n' * 10)
    os.close(fd)
    return path


def temp_left(home: Path) -> Path:
    path = home / "prescription" / f".rev-000003.json.tmp-{dead_pid()}-1234abcd"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, b'{"schema": "pacewise.prescr')
    os.close(fd)
    return path


def file_0644(home: Path) -> Path:
    _journal(home).chmod(0o644)
    return _journal(home)


def file_0666(home: Path) -> Path:
    _summary(home, 2).chmod(0o666)
    return _summary(home, 2)


def folder_0777(home: Path) -> Path:
    (home / "sessions" / "2025").chmod(0o777)
    return home / "sessions" / "2025"


def plan_damaged(home: Path) -> Path:
    path = home / "prescription" / "rev-000002.json"
    path.write_text("{not json")
    path.chmod(0o600)
    return path


def profile_damaged(home: Path) -> Path:
    path = home / "profile.json"
    path.write_text("{not json")
    path.chmod(0o600)
    return path


@dataclass(frozen=True)
class State:
    make: Callable[[Path], Path]
    #: What reads it: "pain", "sessions" or "plan" (the game and the dashboard's pages),
    #: "profile" (the game), or "file" (only check: the loads are sound).
    area: str
    recoverable: bool

    @property
    def name(self) -> str:
        return self.make.__name__


STATES = [
    State(emptied, "pain", True),
    State(deleted, "pain", True),
    State(folder_deleted, "pain", True),
    State(last_line_cut, "pain", True),
    State(nul_filled, "pain", True),
    State(line_changed, "pain", True),
    State(duplicate_id, "pain", True),
    State(mirror_deleted, "pain", True),
    State(mirror_line_removed, "pain", True),
    State(torn_tail, "file", True),
    State(not_in_mirror_yet, "file", True),
    State(summary_deleted, "sessions", True),
    State(summary_invalid, "sessions", True),
    State(summary_newer, "sessions", False),
    State(index_damaged, "file", True),
    State(recording_truncated, "file", False),
    State(recording_deleted, "file", False),
    State(recording_orphaned, "file", True),
    State(staged_recording, "file", True),
    State(temp_left, "file", True),
    State(file_0644, "file", True),
    State(file_0666, "file", True),
    State(folder_0777, "file", True),
    State(plan_damaged, "plan", True),
    State(profile_damaged, "profile", True),
]
DATA = {"pain", "sessions", "plan"}


@pytest.fixture(params=STATES, ids=lambda s: s.name)
def state(request: pytest.FixtureRequest) -> State:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def filled(home: Path) -> Filled:
    return fill(home)


def cli(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def game_start(store: Store) -> None:
    """What the game reads when it starts (runtime/day_plan.py and runtime/game.py)."""
    store.prescription()
    store.sessions()
    store.pain_entries()
    store.profile()


def test_the_store_and_the_game_name_every_state(state: State, filled: Filled, home: Path) -> None:
    path = state.make(home)
    store = Store.open(home)
    named = [p for p in store.check() if p.path == path]
    assert named, f"check() does not name {path}"
    for problem in named:
        assert problem.what and problem.hint
        assert "to repair:" in str(problem)
    if state.area == "file":
        game_start(store)  # the game starts: nothing it needs is damaged
        assert {e.id for e in store.pain_entries()} >= set(filled.pain)
        assert [s.id for s in store.sessions()] == filled.sessions
        return
    with pytest.raises(DamagedFileError) as caught:
        game_start(store)
    assert str(path) in str(caught.value)


def test_the_cli_names_every_state(state: State, filled: Filled, home: Path) -> None:
    path = state.make(home)
    code, out, _ = cli("check")
    assert code == 1 and str(path) in out and "to repair:" in out
    code, out, err = cli("pain", "list", "--json")
    if state.area == "pain":
        assert code == 1 and str(path) in err
    else:
        assert code == 0 and {e["id"] for e in json.loads(out)} >= set(filled.pain)
    code, out, err = cli("report", "--format", "csv", "--out", str(home.parent / "tables"))
    if state.area in DATA:
        assert code == 1 and str(path) in err
    else:
        assert code == 0, err


def test_export_refuses_damaged_data_and_import_counts_what_loaded(
    state: State, filled: Filled, home: Path
) -> None:
    path = state.make(home)
    archive = home.parent / "out.zip"
    if state.area in DATA | {"profile"}:
        with pytest.raises(ArchiveError, match="damaged"):
            export_to(home, archive, NOW)
        assert not archive.exists()
        return
    export_to(home, archive, NOW)
    done = import_archive(archive, home.parent / "elsewhere", NOW)
    assert done.sessions == len(filled.sessions)
    assert done.pain_entries >= len(filled.pain)
    moved = Store.open(done.home)
    assert [s.id for s in moved.sessions()] == filled.sessions
    if path.name.endswith(".recording.jsonl") and not state.recoverable:
        (problem,) = moved.check()  # the recording lost before the export is still reported
        assert problem.path.name == path.name


def test_every_hint_keeps_its_promise(state: State, filled: Filled, home: Path) -> None:
    path = state.make(home)
    store = Store.open(home)
    named = [p for p in store.check() if p.path == path]
    promised = any("pacewise recover" in p.hint for p in named)
    assert promised == state.recoverable, [p.hint for p in named]
    assert all(p.recoverable == state.recoverable for p in named)
    code, out, _ = cli("recover")
    left = store.check()
    if state.recoverable:
        assert code == 0 and left == [], out
        game_start(store)
        assert {e.id for e in store.pain_entries()} >= set(filled.pain)  # nothing lost
        sessions = [s.id for s in store.sessions()]
        assert sessions == filled.sessions
        for sid in sessions:
            assert sum(1 for _ in store.load_recording(sid)) == 50
    else:
        assert code == 1 and any(p.path == path for p in left)
        assert "cannot repair" in out


def test_the_dashboard_stays_calm_for_every_state(state: State, filled: Filled, home: Path) -> None:
    path = state.make(home)
    shown = str(path.relative_to(home))
    with running(home, clock=lambda: NOW, tz=UTC) as live:
        client = live.client()
        assert client.login(live.guard.token).status == 303
        overview = client.get("/")
        plan = client.get("/plan")
        csv = client.get("/reports/file/csv")
    for reply in (overview, plan, csv):
        assert reply.status != 500 and "Traceback" not in reply.text
    assert shown in overview.text and "To repair" in overview.text
    if state.area in DATA:
        assert overview.status == 503 and csv.status == 503
        assert "pacewise recover" in overview.text or not state.recoverable
    else:
        assert overview.status == 200 and csv.status == 200
    assert plan.status == (503 if state.area == "plan" else 200)
