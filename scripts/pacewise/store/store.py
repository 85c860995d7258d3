"""The local store: one private folder of human-readable JSON files.

See docs/store.md for the layout on disk, how writes are made durable and atomic, the locks,
schema versions and recovery. The store imports only the domain layer.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

import platformdirs
from pydantic import BaseModel, ValidationError

from pacewise.domain.pain import PainEntry
from pacewise.domain.session import SessionRecord
from pacewise.store import journal
from pacewise.store.errors import DamagedFileError, InvalidInputError, NewerVersionError, Problem
from pacewise.store.files import (
    DIR_MODE,
    atomic_write,
    ensure_dir,
    fsync_dir,
    read_bytes,
    temp_sibling,
    write_new,
)
from pacewise.store.lock import locked
from pacewise.store.migrations import CURRENT, upgrade

T = TypeVar("T", bound=BaseModel)

RECORDING_FORMAT = 1


def default_home() -> Path:
    env = os.environ.get("PACEWISE_HOME")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("pacewise", appauthor=False))


def describe(error: ValidationError) -> str:
    """A pydantic error as one readable sentence: `field.path: message; ...`."""
    parts = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "value"
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


@dataclass
class Loaded(Generic[T]):
    """What could be read, and a problem for everything that could not (nothing is hidden)."""

    items: list[T] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def strict(self) -> list[T]:
        if self.problems:
            raise DamagedFileError(self.problems)
        return self.items


@dataclass(frozen=True)
class _Indexed:
    size: int
    mtime_ns: int
    doc: dict[str, Any]


class Store:
    """Open with `Store.open()`; cheap to create, safe to use from several processes at once."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self._locks = home / "locks"
        self._pain = home / "pain" / "pain.jsonl"
        self._pain_mirror = home / "pain" / "mirror.jsonl"
        self._sessions = home / "sessions"
        self._session_index = self._sessions / "index.jsonl"
        self._incoming = self._sessions / ".incoming"

    @classmethod
    def open(cls, home: Path | None = None) -> Store:
        store = cls((home or default_home()).expanduser().absolute())
        ensure_dir(store.home)
        if store.home.stat().st_mode & 0o077:
            store.home.chmod(DIR_MODE)
        for folder in (store._locks, store._pain.parent, store._sessions, store._incoming):
            ensure_dir(folder)
        return store

    def _lock(self, area: str) -> Any:
        return locked(self._locks / f"{area}.lock")

    # -- pain -----------------------------------------------------------------------------

    def add_pain(self, entry: PainEntry) -> PainEntry:
        """Append a pain entry; returns only once it is on disk (file and folder fsynced)."""
        if not isinstance(entry, PainEntry):
            raise InvalidInputError("add_pain expects a PainEntry")
        line = journal.encode_payload(CURRENT["pain"], entry.model_dump_json().encode())
        with self._lock("pain"):
            journal.append(self._pain, [line])
            journal.append(self._pain_mirror, [line])
        return entry

    def load_pain(self, since: datetime | None = None) -> Loaded[PainEntry]:
        read = journal.read(self._pain)
        loaded: Loaded[PainEntry] = Loaded(problems=list(read.problems))
        seen: dict[str, PainEntry] = {}
        for record in read.records:
            entry = self._pain_entry(record, loaded.problems)
            if entry is None:
                continue
            earlier = seen.get(entry.id)
            if earlier is not None:
                if earlier != entry:
                    loaded.problems.append(
                        Problem(
                            self._pain,
                            f"a second, different entry with id {entry.id}",
                            line=record.line,
                        )
                    )
                continue
            seen[entry.id] = entry
            if since is None or entry.at >= since:
                loaded.items.append(entry)
        loaded.items.sort(key=lambda e: e.at)
        return loaded

    def pain_entries(self, since: datetime | None = None) -> list[PainEntry]:
        """Every pain entry (oldest first), or DamagedFileError naming each bad line."""
        return self.load_pain(since).strict()

    def _pain_entry(self, record: journal.Record, problems: list[Problem]) -> PainEntry | None:
        try:
            if record.version == CURRENT["pain"]:
                return PainEntry.model_validate_json(record.payload)
            data = upgrade("pain", record.version, json.loads(record.payload))
            return PainEntry.model_validate(data)
        except ValidationError as error:
            problems.append(Problem(self._pain, describe(error), line=record.line))
        except (NewerVersionError, ValueError) as error:
            problems.append(Problem(self._pain, str(error), line=record.line))
        return None

    # -- sessions -------------------------------------------------------------------------

    def save_session(self, record: SessionRecord, recording: Iterable[str] | None = None) -> Path:
        """Save (or replace) a session's summary and, if given, its recording; durable on return.

        The recording (JSON Lines, format v1) is written beside the summary before the summary
        names it, so a summary never points at a missing or partial recording.
        """
        if not isinstance(record, SessionRecord):
            raise InvalidInputError("save_session expects a SessionRecord")
        staged = self._stage_recording(recording) if recording is not None else None
        try:
            with self._lock("sessions"):
                summary = self._find_summary(record.id)
                if summary is None:
                    folder = ensure_dir(self._sessions / f"{record.started_at.year:04d}")
                    summary = folder / f"{record.id}.json"
                rec_path = summary.with_name(f"{record.id}.recording.jsonl")
                meta: dict[str, Any] | None = None
                if staged is not None:
                    tmp, meta = staged
                    tmp.replace(rec_path)
                    staged = None
                    fsync_dir(self._incoming)
                elif rec_path.exists():
                    meta = _recording_meta(rec_path)
                if meta is not None:
                    meta = {"file": rec_path.name, **meta}
                doc = {
                    "schema": "pacewise.session",
                    "version": CURRENT["session"],
                    "session": record.model_dump(mode="json"),
                    "recording": meta,
                }
                if summary.exists():
                    self._set_aside_if_damaged(summary)
                atomic_write(summary, json.dumps(doc, indent=2, ensure_ascii=False).encode())
                stat = summary.stat()
                entry = {
                    "file": f"{summary.parent.name}/{summary.name}",
                    "size": stat.st_size,
                    "mtime_ns": stat.st_mtime_ns,
                    "doc": doc,
                }
                journal.append(
                    self._session_index, [journal.encode(CURRENT["session-index"], entry)]
                )
        finally:
            if staged is not None:
                staged[0].unlink(missing_ok=True)
        return summary

    def _stage_recording(self, lines: Iterable[str]) -> tuple[Path, dict[str, Any]]:
        digest = hashlib.sha256()
        count = 0

        def chunks() -> Iterator[bytes]:
            nonlocal count
            for text in lines:
                data = text.rstrip("\n").encode() + b"\n"
                if b"\n" in data[:-1]:
                    raise InvalidInputError("a recording line must not contain a newline")
                digest.update(data)
                count += 1
                yield data

        tmp = temp_sibling(self._incoming / "recording.jsonl")
        try:
            write_new(tmp, chunks())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return tmp, {"format": RECORDING_FORMAT, "lines": count, "sha256": digest.hexdigest()}

    def _find_summary(self, session_id: str) -> Path | None:
        for folder in self._year_folders():
            path = folder / f"{session_id}.json"
            if path.exists():
                return path
        return None

    def _year_folders(self) -> list[Path]:
        return sorted(
            Path(entry.path)
            for entry in os.scandir(self._sessions)
            if entry.is_dir() and entry.name.isdigit()
        )

    def _set_aside_if_damaged(self, path: Path) -> None:
        problems: list[Problem] = []
        try:
            doc = json.loads(read_bytes(path))
        except ValueError:
            doc = None
        if doc is None or self._session_from_doc(path, doc, problems) is None:
            aside = path.with_name(f"{path.name}.damaged-{os.getpid()}-{os.urandom(3).hex()}")
            path.replace(aside)

    def _session_index_map(self) -> dict[str, _Indexed]:
        read = journal.read(self._session_index)
        index: dict[str, _Indexed] = {}
        for record in read.records:
            try:
                entry = json.loads(record.payload)
                index[entry["file"]] = _Indexed(entry["size"], entry["mtime_ns"], entry["doc"])
            except (ValueError, KeyError, TypeError):
                continue  # the index is only a cache; the summary files are the truth
        return index

    def load_sessions(self) -> Loaded[SessionRecord]:
        index = self._session_index_map()
        loaded: Loaded[SessionRecord] = Loaded()
        seen: set[str] = set()
        for folder in self._year_folders():
            for entry in os.scandir(folder):
                name = entry.name
                if name.startswith(".") or not name.endswith(".json"):
                    continue
                rel = f"{folder.name}/{name}"
                seen.add(rel)
                path = Path(entry.path)
                stat = entry.stat()
                cached = index.get(rel)
                if (
                    cached is not None
                    and cached.size == stat.st_size
                    and cached.mtime_ns == stat.st_mtime_ns
                ):
                    doc: Any = cached.doc
                else:
                    try:
                        doc = json.loads(read_bytes(path))
                    except ValueError as error:
                        loaded.problems.append(
                            Problem(path, f"not valid JSON ({error})", recoverable=rel in index)
                        )
                        continue
                session = self._session_from_doc(path, doc, loaded.problems, rel in index)
                if session is not None:
                    loaded.items.append(session)
        for rel in index.keys() - seen:
            loaded.problems.append(
                Problem(
                    self._sessions / rel,
                    "the session summary file is missing; its last saved copy is in the index",
                    recoverable=True,
                )
            )
        loaded.items.sort(key=lambda s: s.started_at)
        return loaded

    def sessions(self) -> list[SessionRecord]:
        """Every session summary (oldest first), or DamagedFileError naming each bad file."""
        return self.load_sessions().strict()

    def _session_from_doc(
        self, path: Path, doc: Any, problems: list[Problem], recoverable: bool = False
    ) -> SessionRecord | None:
        try:
            if not isinstance(doc, dict) or doc.get("schema") != "pacewise.session":
                raise ValueError('not a Pacewise session summary (no "schema": "pacewise.session")')
            version = doc.get("version")
            if not isinstance(version, int):
                raise ValueError('the "version" field is missing or not a whole number')
            doc = upgrade("session", version, doc)
            return SessionRecord.model_validate(doc["session"])
        except ValidationError as error:
            problems.append(Problem(path, describe(error), recoverable=recoverable))
        except (NewerVersionError, ValueError, KeyError) as error:
            problems.append(Problem(path, str(error), recoverable=recoverable))
        return None

    def load_recording(self, session_id: str) -> Iterator[str]:
        """The session's recording, line by line (without newlines), checked against its hash."""
        summary = self._find_summary(session_id)
        if summary is None:
            raise KeyError(f"no session with id {session_id!r}")
        doc = json.loads(read_bytes(summary))
        meta = doc.get("recording")
        if not meta:
            raise KeyError(f"session {session_id!r} has no recording")
        path = summary.with_name(meta["file"])
        if _recording_meta(path)["sha256"] != meta["sha256"]:
            raise DamagedFileError(
                [Problem(path, "the recording does not match the checksum in its summary")]
            )
        return _lines(path)


def _recording_meta(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    count = 0
    with path.open("rb") as f:
        for line in f:
            digest.update(line)
            count += 1
    return {"format": RECORDING_FORMAT, "lines": count, "sha256": digest.hexdigest()}


def _lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            yield line.rstrip("\n")
