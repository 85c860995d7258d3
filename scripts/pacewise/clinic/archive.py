"""The patient's whole data folder as one zip archive they own, and its careful way back in.

Export copies every data file while holding all of the store's locks (so the game or the CLI
cannot be half-way through a write), with a manifest of sizes and SHA-256 checksums. Import
checks the manifest, every checksum and every path, unpacks into a new folder next to the data
folder, loads it with the store, and only then moves it into place: a foreign or damaged archive
is refused with one clear sentence and the data folder is not touched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pacewise.store import Store, StoreError
from pacewise.store.files import fsync_dir
from pacewise.store.lock import locked

FORMAT = "pacewise.archive"
VERSION = 1
MANIFEST = "pacewise-archive.json"
DATA = "data/"
#: Never archived: lock files, the store's staging folder, temporary and set-aside files.
SKIP_FOLDERS = {"locks", ".incoming"}


class ArchiveError(Exception):
    """The archive cannot be used; the message says why, in one sentence."""


class Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str = Field(min_length=1, max_length=400)
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Manifest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    format: Literal["pacewise.archive"]
    version: int
    created_at: datetime
    files: list[Entry]
    sessions: int = 0
    pain_entries: int = 0
    plan_revisions: int = 0


class Imported(BaseModel):
    model_config = ConfigDict(frozen=True)

    home: Path
    manifest: Manifest
    previous: Path | None


def default_name(now: datetime) -> str:
    return f"pacewise-data-{now:%Y-%m-%d}.zip"


def _data_files(home: Path) -> Iterator[tuple[str, Path]]:
    for folder, dirs, files in os.walk(home):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_FOLDERS)
        for name in sorted(files):
            path = Path(folder) / name
            if name.startswith(".") or path.is_symlink() or ".tmp-" in name:
                continue
            yield path.relative_to(home).as_posix(), path


def holds_data(home: Path) -> bool:
    return home.exists() and next(_data_files(home), None) is not None


@contextmanager
def _all_locks(home: Path) -> Iterator[None]:
    """Every lock of the store, in name order (writers take one at a time: no deadlock)."""
    with ExitStack() as stack:
        folder = home / "locks"
        if folder.is_dir():
            for lock in sorted(folder.glob("*.lock")):
                stack.enter_context(locked(lock))
        yield


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write(home: Path, out: IO[bytes], now: datetime) -> Manifest:
    """Write the archive of `home` to an open binary file."""
    if not home.is_dir():
        raise ArchiveError(f"there is no Pacewise data folder at {home}")
    with _all_locks(home):
        store = Store.open(home)
        try:
            counts = {
                "sessions": len(store.sessions()),
                "pain_entries": len(store.pain_entries()),
                "plan_revisions": len(store.prescription_history()),
            }
        except StoreError as error:
            raise ArchiveError(
                f"the data folder has damaged files; not exported: {error}"
            ) from None
        entries = []
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for rel, path in _data_files(home):
                data = path.read_bytes()
                archive.writestr(DATA + rel, data)
                entries.append(Entry(path=rel, size=len(data), sha256=_sha256(data)))
            manifest = Manifest(
                format=FORMAT, version=VERSION, created_at=now, files=entries, **counts
            )
            archive.writestr(MANIFEST, manifest.model_dump_json(indent=2))
    return manifest


def export_to(home: Path, target: Path, now: datetime) -> Manifest:
    """Write the archive to `target` atomically, readable by its owner only."""
    target = target.absolute()
    handle, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "wb") as out:
            manifest = write(home, out, now)
            out.flush()
            os.fsync(out.fileno())
        tmp.replace(target)
        fsync_dir(target.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return manifest


def export_bytes(home: Path, now: datetime) -> bytes:
    with tempfile.SpooledTemporaryFile(max_size=64 << 20) as out:
        write(home, out, now)
        out.seek(0)
        return out.read()


def _safe(rel: str) -> bool:
    path = PurePosixPath(rel)
    return not path.is_absolute() and ".." not in path.parts and "\\" not in rel and rel != ""


def read_manifest(archive: zipfile.ZipFile, name: str) -> Manifest:
    try:
        raw = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise ArchiveError(f"{name} is not a Pacewise archive (it has no {MANIFEST})") from None
    except ValueError:
        raise ArchiveError(f"{name} is damaged: its {MANIFEST} is not valid JSON") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ArchiveError(f"{name} is not a Pacewise archive (its manifest is of another kind)")
    version = raw.get("version")
    if isinstance(version, int) and version > VERSION:
        raise ArchiveError(
            f"{name} was made by a newer Pacewise (archive version {version}; this one reads "
            f"version {VERSION}): update Pacewise first"
        )
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ArchiveError(f"{name} is damaged: its manifest is wrong at {where}") from None
    if manifest.version != VERSION:
        raise ArchiveError(f"{name} has an unknown archive version {manifest.version}")
    return manifest


def verify(path: Path) -> Manifest:
    """The manifest of a sound Pacewise archive; ArchiveError says what is wrong otherwise."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = read_manifest(archive, name)
            listed = {e.path: e for e in manifest.files}
            for entry in manifest.files:
                if not _safe(entry.path):
                    raise ArchiveError(f"{name} is refused: it names an unsafe path {entry.path!r}")
            present = set()
            for info in archive.infolist():
                if info.filename == MANIFEST or info.is_dir():
                    continue
                rel = info.filename.removeprefix(DATA)
                if not info.filename.startswith(DATA) or rel not in listed:
                    raise ArchiveError(
                        f"{name} is refused: {info.filename} is not listed in its manifest"
                    )
                present.add(rel)
                data = archive.read(info)
                if len(data) != listed[rel].size or _sha256(data) != listed[rel].sha256:
                    raise ArchiveError(f"{name} is damaged: {rel} does not match its checksum")
            missing = sorted(listed.keys() - present)
            if missing:
                raise ArchiveError(f"{name} is damaged: {missing[0]} is missing from it")
    except zipfile.BadZipFile as error:
        raise ArchiveError(f"{name} is not a Pacewise archive or is damaged ({error})") from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError) as error:
        raise ArchiveError(f"{name} cannot be read ({error})") from None
    except OSError as error:
        raise ArchiveError(f"cannot read {path}: {error.strerror or error}") from None
    return manifest


def _unpack(path: Path, manifest: Manifest, folder: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        for entry in manifest.files:
            target = folder.joinpath(*PurePosixPath(entry.path).parts)
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            data = archive.read(DATA + entry.path)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
    for folder_path, dirs, _ in os.walk(folder):
        for d in dirs:
            (Path(folder_path) / d).chmod(0o700)


def import_archive(path: Path, home: Path, now: datetime, *, replace: bool = False) -> Imported:
    """Bring an archive in as the data folder; on any refusal nothing at `home` has changed."""
    manifest = verify(path)
    home = home.absolute()
    if holds_data(home) and not replace:
        raise ArchiveError(
            f"the data folder {home} already holds data; import into an empty folder "
            "(set PACEWISE_HOME), or pass --replace to keep the current data aside and "
            "use the archive's"
        )
    home.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{home.name}.import-", dir=home.parent))
    try:
        _unpack(path, manifest, staging)
        store = Store.open(staging)
        problems = store.check()
        if problems:
            first = problems[0]
            where = first.path.relative_to(staging) if first.path.is_relative_to(staging) else ""
            raise ArchiveError(
                f"{path.name} is refused: its data does not load ({where}: {first.what}); "
                "nothing was changed"
            )
        previous = None
        if home.exists():
            if holds_data(home):
                previous = home.with_name(f"{home.name}.before-import-{now:%Y%m%dT%H%M%S}")
                home.replace(previous)
            else:
                shutil.rmtree(home)
        staging.replace(home)
        fsync_dir(home.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Imported(home=home, manifest=manifest, previous=previous)
