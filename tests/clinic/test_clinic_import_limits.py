"""Import refuses every bad archive before the data folder changes: bombs, lying manifests,
malformed listings. Counts come from what loaded. Memory stays bounded (measured)."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tracemalloc
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pacewise.cli import app, commands  # noqa: F401  (registers the sub-commands)
from pacewise.clinic.archive import (
    DATA,
    MANIFEST,
    ArchiveError,
    Limits,
    export_to,
    import_archive,
)
from pacewise.domain.session import SessionRecord
from pacewise.store import Store

runner = CliRunner()
WHEN = datetime(2025, 5, 10, 12, tzinfo=UTC)


def tree(folder: Path) -> dict[str, tuple[str, int]]:
    """Every entry under a folder: content hash (files) and mode, to prove nothing changed."""
    found: dict[str, tuple[str, int]] = {}
    for path in sorted(folder.rglob("*")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        found[path.relative_to(folder).as_posix()] = (digest, stat.S_IMODE(path.stat().st_mode))
    return found


def craft(
    path: Path,
    files: dict[str, bytes],
    *,
    counts: dict[str, int] | None = None,
    listed: list[dict[str, object]] | None = None,
    members: list[tuple[str, bytes]] | None = None,
) -> Path:
    """A zip with a manifest listing `files` (or `listed`), holding `members` (or `files`)."""
    entries = listed or [
        {"path": rel, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for rel, data in files.items()
    ]
    manifest = {
        "format": "pacewise.archive",
        "version": 1,
        "created_at": WHEN.isoformat(),
        "files": entries,
        **(counts or {}),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (
            members if members is not None else [(DATA + r, d) for r, d in files.items()]
        ):
            z.writestr(name, data)
        z.writestr(MANIFEST, json.dumps(manifest))
    return path


def zero_bomb(path: Path, size: int) -> Path:
    """A listed member of `size` zero bytes, written in chunks (it packs about 1000 to 1)."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open(DATA + "sessions/2025/big.recording.jsonl", "w", force_zip64=True) as out:
            left = size
            while left:
                chunk = b"\0" * min(left, 1 << 20)
                digest.update(chunk)
                out.write(chunk)
                left -= len(chunk)
        entry = {
            "path": "sessions/2025/big.recording.jsonl",
            "size": size,
            "sha256": digest.hexdigest(),
        }
        z.writestr(
            MANIFEST,
            json.dumps(
                {
                    "format": "pacewise.archive",
                    "version": 1,
                    "created_at": WHEN.isoformat(),
                    "files": [entry],
                }
            ),
        )
    return path


def refused_by_cli(archive: Path, home: Path, says: str) -> None:
    """`pacewise import --replace`: exit 2, the message, and the data folder untouched."""
    before = tree(home)
    siblings = sorted(p.name for p in home.parent.iterdir())
    result = runner.invoke(app, ["import", str(archive), "--replace"])
    assert result.exit_code == 2, result.stdout + result.stderr
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(home) == before
    assert sorted(p.name for p in home.parent.iterdir()) == siblings  # no staging left behind


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(home: Path, tmp_path: Path) -> None:
    bomb = zero_bomb(tmp_path / "bomb.zip", 48 << 20)
    assert bomb.stat().st_size < 1 << 20  # a small file that would unpack to 48 MB
    tracemalloc.start()
    try:
        refused_by_cli(bomb, home, "looks like a zip bomb")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20, peak


@pytest.mark.parametrize(
    ("limits", "says"),
    [
        (Limits(member_bytes=1 << 20), "more than the limit of 1.0 MB for one file"),
        (Limits(total_bytes=1 << 20), "would unpack to 5.2 MB, more than the limit"),
        (Limits(archive_bytes=1 << 10), "is larger than the limit of 1.0 KB"),
        (Limits(members=0), "lists more than 0 files"),
    ],
)
def test_every_hard_limit_refuses(tmp_path: Path, limits: Limits, says: str) -> None:
    noise = os.urandom(5 << 20)
    archive = craft(tmp_path / "big.zip", {"sessions/2025/a.recording.jsonl": noise})
    target = tmp_path / "target"
    with pytest.raises(ArchiveError, match=says):
        import_archive(archive, target, WHEN, limits=limits)
    assert not target.exists()


def test_peak_memory_stays_bounded_while_a_big_archive_streams_in(tmp_path: Path) -> None:
    """A 40 MB recording goes out and back in; Python's peak allocation is measured."""
    source = tmp_path / "source"
    store = Store.open(source)
    line = '{"t":%d,"head":[' + ",".join(["0.123456789"] * 24) + "]}"
    record = SessionRecord(
        id="long",
        started_at=WHEN - timedelta(days=1),
        duration_s=3600.0,
        godot_version="4.6",
        frames=140_000,
    )
    store.save_session(record, (line % i for i in range(140_000)))
    size = (source / "sessions" / "2025" / "long.recording.jsonl").stat().st_size
    assert size > 40 << 20
    archive = tmp_path / "long.zip"
    tracemalloc.start()
    try:
        export_to(source, archive, WHEN)
        _, export_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        done = import_archive(archive, tmp_path / "target", WHEN)
        _, import_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert done.sessions == 1
    assert sum(1 for _ in Store.open(done.home).load_recording("long")) == 140_000
    print(f"export peak {export_peak / 2**20:.1f} MiB, import peak {import_peak / 2**20:.1f} MiB")
    assert export_peak < 16 << 20 and import_peak < 16 << 20, (export_peak, import_peak)


@pytest.fixture
def exported(home: Path, tmp_path: Path) -> Path:
    out = tmp_path / "export.zip"
    export_to(home, out, WHEN)
    return out


def with_manifest(source: Path, target: Path, **changes: object) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == MANIFEST:
                data = json.dumps({**json.loads(data), **changes}).encode()
            new.writestr(info, data)
    return target


def test_a_manifest_that_lies_about_counts_is_refused(
    home: Path, exported: Path, tmp_path: Path
) -> None:
    liar = with_manifest(exported, tmp_path / "liar.zip", sessions=9999)
    refused_by_cli(liar, home, "its manifest says 9999 sessions")


def test_the_counts_printed_are_those_that_loaded(
    exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "fresh"
    monkeypatch.setenv("PACEWISE_HOME", str(target))
    result = runner.invoke(app, ["import", str(exported)])
    assert result.exit_code == 0, result.stderr
    store = Store.open(target)
    sessions, pain = len(store.sessions()), len(store.pain_entries())
    assert f"{sessions} sessions, {pain} pain entries" in result.stdout
    assert "(counted as they loaded)" in result.stdout


@pytest.mark.parametrize(
    "journal", [b"", b"\0" * 4096, b"\0" * 100 + b"\n"], ids=["empty", "nul", "nul-line"]
)
def test_an_empty_or_nul_filled_journal_is_not_counted_as_781_entries(
    home: Path, tmp_path: Path, journal: bytes
) -> None:
    archive = craft(
        tmp_path / "nul.zip", {"pain/pain.jsonl": journal}, counts={"pain_entries": 781}
    )
    refused_by_cli(archive, home, "is refused")


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize(
    ("listed", "members", "says"),
    [
        (["pain/pain.jsonl", "pain//pain.jsonl"], None, "names an unsafe path"),
        (["pain/pain.jsonl", "pain/./pain.jsonl"], None, "names an unsafe path"),
        (["Pain/pain.jsonl", "pain/pain.jsonl"], None, "twice"),
        (["pain", "pain/pain.jsonl"], None, "is listed as a file and also as a folder"),
        (["sessions/" + "a" * 300 + ".json"], None, "longer than 255 bytes"),
        (["../escape.json"], None, "names an unsafe path"),
        (["/etc/passwd"], None, "names an unsafe path"),
        (["pain/pa\x1bin.jsonl"], None, "not a plain relative path"),
        (["pain/pain.jsonl"], [DATA + "pain/pain.jsonl", DATA + "pain/pain.jsonl"], "twice"),
        (["pain/pain.jsonl"], [DATA + "pain/pain.jsonl", DATA + "extra.json"], "not listed"),
    ],
)
def test_a_malformed_listing_is_refused_with_exit_2(
    home: Path, tmp_path: Path, listed: list[str], members: list[str] | None, says: str
) -> None:
    data = b""
    entries = [
        {"path": rel, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for rel in listed
    ]
    archive = craft(
        tmp_path / "bad.zip",
        {},
        listed=entries,
        members=[
            (m, data) for m in (members if members is not None else [DATA + r for r in listed])
        ],
    )
    refused_by_cli(archive, home, says)
