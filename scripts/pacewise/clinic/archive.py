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
import posixpath
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pacewise.store import Problem, Store, StoreError
from pacewise.store.files import ensure_dir, fsync_dir
from pacewise.store.lock import locked

FORMAT = "pacewise.archive"
VERSION = 1
MANIFEST = "pacewise-archive.json"
DATA = "data/"
#: Never archived: lock files, the store's staging folder, temporary and set-aside files.
SKIP_FOLDERS = {"locks", ".incoming", "leftovers"}


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
    """Where the data went, and how many records of each kind loaded from it."""

    model_config = ConfigDict(frozen=True)

    home: Path
    manifest: Manifest
    previous: Path | None
    sessions: int
    pain_entries: int
    plan_revisions: int
    #: Problems the data brought along that do not stop an import (see `_blocking`).
    notes: list[str] = []


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


def _add(archive: zipfile.ZipFile, rel: str, path: Path) -> Entry:
    """Copy one file into the archive in chunks, hashing as it goes (bounded memory)."""
    info = zipfile.ZipInfo.from_file(path, DATA + rel)
    info.compress_type = zipfile.ZIP_DEFLATED
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as source, archive.open(info, "w", force_zip64=True) as member:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            member.write(chunk)
    return Entry(path=rel, size=size, sha256=digest.hexdigest())


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
            store.profile()
        except StoreError as error:
            raise ArchiveError(
                f"the data folder has damaged files; not exported: {error}"
            ) from None
        entries = []
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for rel, path in _data_files(home):
                entries.append(_add(archive, rel, path))
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


class Limits(BaseModel):
    """Hard limits an archive must keep before anything of it is unpacked.

    Real data compresses about 5 to 20 times (JSON); a member that unpacks to more than
    `ratio` times its packed size (above `ratio_floor` bytes) is refused as a zip bomb.
    """

    model_config = ConfigDict(frozen=True)

    archive_bytes: int = 8 << 30
    total_bytes: int = 16 << 30
    member_bytes: int = 2 << 30
    members: int = 500_000
    ratio: float = 100.0
    ratio_floor: int = 1 << 20
    manifest_bytes: int = 64 << 20


LIMITS = Limits()
#: Longest name of one file or folder on the file systems Pacewise runs on (bytes).
NAME_BYTES = 255
CHUNK = 1 << 20
_CONTROL = frozenset(chr(c) for c in [*range(32), 127])


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"


def _path_problem(rel: str) -> str | None:
    """Why a listed path cannot be a file of the data folder, or None if it can."""
    if rel != rel.strip() or not rel or "\\" in rel or any(c in _CONTROL for c in rel):
        return "has a name that is not a plain relative path"
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or posixpath.normpath(rel) != rel:
        return "names an unsafe path"
    if any(len(part.encode()) > NAME_BYTES for part in path.parts):
        return f"has a name longer than {NAME_BYTES} bytes"
    return None


def _check_listing(name: str, manifest: Manifest, limits: Limits) -> None:
    seen: set[str] = set()
    for entry in manifest.files:
        problem = _path_problem(entry.path)
        if problem:
            raise ArchiveError(f"{name} is refused: {entry.path!r} {problem}")
        key = entry.path.casefold()
        if key in seen:
            raise ArchiveError(f"{name} is refused: it lists {entry.path!r} twice")
        seen.add(key)
        if entry.size > limits.member_bytes:
            raise ArchiveError(
                f"{name} is refused: {entry.path} would unpack to {_size(entry.size)}, more "
                f"than the limit of {_size(limits.member_bytes)} for one file"
            )
    for entry in manifest.files:
        parents = PurePosixPath(entry.path.casefold()).parents
        clash = next((str(p) for p in parents if str(p) in seen), None)
        if clash is not None:
            raise ArchiveError(
                f"{name} is refused: {clash!r} is listed as a file and also as a folder "
                f"(of {entry.path!r})"
            )
    total = sum(e.size for e in manifest.files)
    if total > limits.total_bytes:
        raise ArchiveError(
            f"{name} is refused: it would unpack to {_size(total)}, more than the limit of "
            f"{_size(limits.total_bytes)}"
        )
    if len(manifest.files) > limits.members:
        raise ArchiveError(f"{name} is refused: it lists more than {limits.members} files")


def _check_members(name: str, archive: zipfile.ZipFile, manifest: Manifest, limits: Limits) -> None:
    """Every member is listed once, with its listed size, and none is a bomb."""
    listed = {e.path: e for e in manifest.files}
    infos = archive.infolist()
    if len(infos) > limits.members + 1:
        raise ArchiveError(f"{name} is refused: it holds more than {limits.members} files")
    present: set[str] = set()
    for info in infos:
        if info.filename == MANIFEST or info.is_dir():
            continue
        rel = info.filename.removeprefix(DATA)
        if not info.filename.startswith(DATA) or rel not in listed:
            raise ArchiveError(f"{name} is refused: {info.filename} is not listed in its manifest")
        if rel in present:
            raise ArchiveError(f"{name} is refused: it holds {info.filename} twice")
        present.add(rel)
        if info.file_size != listed[rel].size:
            raise ArchiveError(f"{name} is damaged: {rel} does not match its checksum")
        packed = max(1, info.compress_size)
        if info.file_size > limits.ratio_floor and info.file_size / packed > limits.ratio:
            raise ArchiveError(
                f"{name} is refused: {rel} unpacks to {info.file_size // packed} times its "
                f"packed size ({_size(info.file_size)} from {_size(packed)}), more than the "
                f"limit of {limits.ratio:.0f} times: it looks like a zip bomb"
            )
    missing = sorted(listed.keys() - present)
    if missing:
        raise ArchiveError(f"{name} is damaged: {missing[0]} is missing from it")


def read_manifest(archive: zipfile.ZipFile, name: str, limits: Limits = LIMITS) -> Manifest:
    try:
        info = archive.getinfo(MANIFEST)
    except KeyError:
        raise ArchiveError(f"{name} is not a Pacewise archive (it has no {MANIFEST})") from None
    if info.file_size > limits.manifest_bytes:
        raise ArchiveError(f"{name} is refused: its {MANIFEST} is too large")
    with archive.open(info) as member:
        data = member.read(limits.manifest_bytes + 1)
    try:
        raw = json.loads(data)
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


@contextmanager
def _zip_errors(path: Path) -> Iterator[None]:
    """Every way a zip file can be unreadable, as one ArchiveError sentence."""
    name = path.name
    try:
        yield
    except zipfile.BadZipFile as error:
        raise ArchiveError(f"{name} is not a Pacewise archive or is damaged ({error})") from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, zlib.error) as error:
        raise ArchiveError(f"{name} cannot be read ({error})") from None
    except OSError as error:
        if error.filename is not None and Path(error.filename) != path:
            raise
        raise ArchiveError(f"cannot read {path}: {error.strerror or error}") from None


def verify(path: Path, limits: Limits = LIMITS) -> Manifest:
    """The manifest of an archive whose listing keeps every rule and limit (nothing is
    unpacked yet); ArchiveError says what is wrong otherwise."""
    name = path.name
    with _zip_errors(path):
        if path.stat().st_size > limits.archive_bytes:
            raise ArchiveError(
                f"{name} is refused: it is larger than the limit of {_size(limits.archive_bytes)}"
            )
        with zipfile.ZipFile(path) as archive:
            manifest = read_manifest(archive, name, limits)
            _check_listing(name, manifest, limits)
            _check_members(name, archive, manifest, limits)
    return manifest


def _unpack(path: Path, manifest: Manifest, folder: Path) -> None:
    """Stream every member to its file, counting and hashing as it goes (bounded memory)."""
    name = path.name
    with _zip_errors(path), zipfile.ZipFile(path) as archive:
        for entry in manifest.files:
            target = folder.joinpath(*PurePosixPath(entry.path).parts)
            ensure_dir(target.parent)
            digest = hashlib.sha256()
            written = 0
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out, archive.open(DATA + entry.path) as member:
                while chunk := member.read(CHUNK):
                    written += len(chunk)
                    if written > entry.size:
                        raise ArchiveError(f"{name} is damaged: {entry.path} is larger than listed")
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if written != entry.size or digest.hexdigest() != entry.sha256:
                raise ArchiveError(f"{name} is damaged: {entry.path} does not match its checksum")
    for folder_path, dirs, _ in os.walk(folder):
        for d in dirs:
            (Path(folder_path) / d).chmod(0o700)


def _blocking(store: Store) -> list[Problem]:
    """Problems of the records themselves: an archive holding them is refused.

    What `recover` repairs without loss (a torn tail, a line not yet in the mirror, a
    leftover, the index) and recordings lost before the export do not stop an import: the
    archive is still the best copy, and `pacewise check` goes on showing them.
    """
    return [
        *store.load_pain().problems,
        *store.load_sessions().problems,
        *store.plans.history().problems,
        *store.profile_file.problems(),
    ]


def _counts(store: Store) -> dict[str, int]:
    """How many of each record loaded and validated (not what a manifest claims)."""
    return {
        "sessions": len(store.load_sessions().items),
        "pain_entries": len(store.load_pain().items),
        "plan_revisions": len(store.plans.history().items),
    }


def import_archive(
    path: Path, home: Path, now: datetime, *, replace: bool = False, limits: Limits = LIMITS
) -> Imported:
    """Bring an archive in as the data folder; on any refusal nothing at `home` has changed.

    The counts returned are those that loaded from the unpacked data; a manifest whose counts
    disagree with them is refused.
    """
    manifest = verify(path, limits)
    home = home.absolute()
    if holds_data(home) and not replace:
        raise ArchiveError(
            f"the data folder {home} already holds data; import into an empty folder "
            "(set PACEWISE_HOME), or pass --replace to keep the current data aside and "
            "use the archive's"
        )
    home.parent.mkdir(parents=True, exist_ok=True)
    needed = sum(e.size for e in manifest.files)
    free = shutil.disk_usage(home.parent).free
    if needed > free:
        raise ArchiveError(
            f"{path.name} needs {_size(needed)} but only {_size(free)} is free beside {home}"
        )
    staging = Path(tempfile.mkdtemp(prefix=f".{home.name}.import-", dir=home.parent))
    try:
        _unpack(path, manifest, staging)
        store = Store.open(staging)
        problems = _blocking(store)
        if problems:
            first = problems[0]
            where = first.path.relative_to(staging) if first.path.is_relative_to(staging) else ""
            raise ArchiveError(
                f"{path.name} is refused: its data does not load ({where}: {first.what}); "
                "nothing was changed"
            )
        counts = _counts(store)
        claimed = {k: getattr(manifest, k) for k in counts}
        if counts != claimed:
            said = ", ".join(f"{claimed[k]} {k.replace('_', ' ')}" for k in counts)
            found = ", ".join(f"{counts[k]} {k.replace('_', ' ')}" for k in counts)
            raise ArchiveError(
                f"{path.name} is refused: its manifest says {said}, but {found} loaded; "
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
    notes = [str(p) for p in Store.open(home).check()]
    return Imported(home=home, manifest=manifest, previous=previous, notes=notes, **counts)
