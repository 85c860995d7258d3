"""Export and import of the whole data folder: a faithful round trip, and refusals that change
nothing when the archive is damaged, foreign or would overwrite data."""

from __future__ import annotations

import hashlib
import io
import json
import stat
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pacewise.cli import app, commands  # noqa: F401  (registers the sub-commands)
from pacewise.clinic.archive import MANIFEST, ArchiveError, export_to, import_archive
from pacewise.clinic.live import Client
from pacewise.domain.pain import PainKind, new_pain_entry
from pacewise.store import Store

runner = CliRunner()
WHEN = datetime(2025, 5, 10, 12, tzinfo=UTC)


def tree(folder: Path) -> dict[str, str]:
    """Every file under a folder with a hash of its content (empty if it does not exist)."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def same_data(a: Path, b: Path) -> None:
    one, two = Store.open(a), Store.open(b)
    assert one.sessions() == two.sessions()
    assert one.pain_entries() == two.pain_entries()
    assert one.prescription_history() == two.prescription_history()
    assert one.prescription() == two.prescription()


def rewrite(source: Path, target: Path, change: dict[str, bytes | None]) -> None:
    """Copy a zip, replacing (bytes) or dropping (None) some members."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename in change:
                data = change[info.filename]
                if data is not None:
                    new.writestr(info.filename, data)
            else:
                new.writestr(info, old.read(info))
        for name, data in change.items():
            if name not in old.namelist() and data is not None:
                new.writestr(name, data)


@pytest.fixture
def archive(home: Path, tmp_path: Path) -> Path:
    out = tmp_path / "export.zip"
    export_to(home, out, WHEN)
    return out


def test_round_trip_brings_back_every_record(home: Path, archive: Path, tmp_path: Path) -> None:
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    target = tmp_path / "new-home"
    done = import_archive(archive, target, WHEN)
    assert done.previous is None and done.manifest.sessions == 80
    same_data(home, target)
    assert Store.open(target).check() == []
    for path in target.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path


def test_damaged_member_is_refused_and_nothing_changes(
    home: Path, archive: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(archive) as z:
        name = next(n for n in z.namelist() if n.endswith("pain/pain.jsonl"))
        data = bytearray(z.read(name))
    data[len(data) // 2] ^= 0x20
    broken = tmp_path / "broken.zip"
    rewrite(archive, broken, {name: bytes(data)})
    target = tmp_path / "target"
    Store.open(target)
    before = tree(target)
    with pytest.raises(
        ArchiveError, match=r"is damaged: pain/pain\.jsonl does not match its checksum"
    ):
        import_archive(broken, target, WHEN)
    assert tree(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["broken.zip", "export.zip", "target", "pacewise-home"]
    )


def test_truncated_archive_is_refused(archive: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.zip"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(ArchiveError, match="not a Pacewise archive or is damaged"):
        import_archive(cut, tmp_path / "target", WHEN)
    assert not (tmp_path / "target").exists()


@pytest.mark.parametrize(
    ("members", "says"),
    [
        ({"notes.txt": b"hello"}, "has no pacewise-archive.json"),
        ({MANIFEST: b'{"format": "other.backup", "version": 1}'}, "manifest is of another kind"),
        ({MANIFEST: b"{not json"}, "is not valid JSON"),
        ({MANIFEST: b'{"format": "pacewise.archive", "version": 9}'}, "made by a newer Pacewise"),
    ],
)
def test_foreign_archives_are_refused(tmp_path: Path, members: dict[str, bytes], says: str) -> None:
    path = tmp_path / "foreign.zip"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    with pytest.raises(ArchiveError, match=says):
        import_archive(path, tmp_path / "target", WHEN)
    assert not (tmp_path / "target").exists()


def test_not_a_zip_at_all(tmp_path: Path) -> None:
    path = tmp_path / "photo.zip"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    with pytest.raises(ArchiveError, match="not a Pacewise archive"):
        import_archive(path, tmp_path / "target", WHEN)


def test_unsafe_paths_and_unlisted_files_are_refused(archive: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(archive) as z:
        manifest = json.loads(z.read(MANIFEST))
    evil = dict(manifest)
    evil["files"] = [*manifest["files"], {"path": "../escape.txt", "size": 1, "sha256": "0" * 64}]
    bad = tmp_path / "evil.zip"
    rewrite(archive, bad, {MANIFEST: json.dumps(evil).encode()})
    with pytest.raises(ArchiveError, match="unsafe path"):
        import_archive(bad, tmp_path / "target", WHEN)
    extra = tmp_path / "extra.zip"
    rewrite(archive, extra, {"data/sneaky.sh": b"echo hi"})
    with pytest.raises(ArchiveError, match="not listed in its manifest"):
        import_archive(extra, tmp_path / "target", WHEN)
    assert not (tmp_path / "escape.txt").exists() and not (tmp_path / "target").exists()


def test_data_that_does_not_load_is_refused_even_with_good_checksums(
    archive: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(archive) as z:
        manifest = json.loads(z.read(MANIFEST))
        name = next(e["path"] for e in manifest["files"] if e["path"].startswith("prescription/"))
    wrong = b'{"schema": "pacewise.prescription", "version": 1, "revision": "x"}\n'
    for entry in manifest["files"]:
        if entry["path"] == name:
            entry["size"], entry["sha256"] = len(wrong), hashlib.sha256(wrong).hexdigest()
    forged = tmp_path / "forged.zip"
    rewrite(archive, forged, {MANIFEST: json.dumps(manifest).encode(), f"data/{name}": wrong})
    with pytest.raises(ArchiveError, match="its data does not load"):
        import_archive(forged, tmp_path / "target", WHEN)
    assert not (tmp_path / "target").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_import_over_existing_data_needs_replace_and_keeps_the_old(
    home: Path, archive: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    Store.open(other)
    Store.open(other).add_pain(new_pain_entry(3, PainKind.diary, WHEN))
    before = tree(other)
    with pytest.raises(ArchiveError, match="already holds data"):
        import_archive(archive, other, WHEN)
    assert tree(other) == before
    done = import_archive(archive, other, WHEN, replace=True)
    assert done.previous is not None and tree(done.previous) == before
    same_data(home, other)


def test_cli_export_then_import(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "mine.zip"
    result = runner.invoke(app, ["export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "80 sessions" in result.output
    fresh = tmp_path / "fresh"
    monkeypatch.setenv("PACEWISE_HOME", str(fresh))
    result = runner.invoke(app, ["import", str(out)])
    assert result.exit_code == 0, result.output
    same_data(home, fresh)


def test_cli_import_refuses_with_one_line_and_exit_2(home: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"junk")
    before = tree(home)
    for args in (["import", str(junk)], ["import", str(tmp_path / "missing.zip")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2
        assert result.output.count("error:") == 1
    assert tree(home) == before
    result = runner.invoke(app, ["export", "--out", str(tmp_path / "nope" / "x.zip")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_dashboard_download_is_a_sound_archive(client: Client, tmp_path: Path) -> None:
    reply = client.get("/export")
    assert reply.status == 200 and reply.headers["content-type"] == "application/zip"
    path = tmp_path / "download.zip"
    path.write_bytes(reply.body)
    with zipfile.ZipFile(io.BytesIO(reply.body)) as z:
        assert MANIFEST in z.namelist()
    assert import_archive(path, tmp_path / "restored", WHEN).manifest.pain_entries == 270
