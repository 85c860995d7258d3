"""Session summaries, their recordings, and an index that makes ten years load in one read.

Layout: ``sessions/<year>/<id>.json`` (the summary, human-readable) and
``sessions/<year>/<id>.recording.jsonl`` (JSON Lines, recording format v1), plus
``sessions/index.jsonl``: a journal holding a copy of every summary ever saved with the size
and modification time of the file it matches. Loading trusts the index copy only while the file
still has that size and time; otherwise it reads the file. The index is therefore both a
cache and the last good copy of every summary.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from pacewise.domain.session import SessionRecord
from pacewise.store import documents, journal
from pacewise.store.errors import RECOVER, DamagedFileError, InvalidInputError, Problem
from pacewise.store.files import atomic_write, ensure_dir, fsync_dir, temp_sibling, write_new
from pacewise.store.loaded import Loaded, describe
from pacewise.store.lock import locked
from pacewise.store.migrations import CURRENT, NEWER

RECORDING_FORMAT = 1
#: Where `recover` keeps recordings whose session summary was never written.
ORPHANED = "orphaned"


@dataclass(frozen=True)
class _Indexed:
    size: int
    mtime_ns: int
    doc: dict[str, Any]


class _CurrentDoc(BaseModel):
    """A summary of the current version, validated straight from JSON (the fast path)."""

    model_config = ConfigDict(populate_by_name=True)

    schema_: Literal["pacewise.session"] = Field(alias="schema")
    version: Literal[1]
    session: SessionRecord


class _IndexEntry(BaseModel):
    file: str
    size: int
    mtime_ns: int
    doc: _CurrentDoc


_INDEX_BATCH = TypeAdapter(list[_IndexEntry])


class SessionFiles:
    def __init__(self, folder: Path, lock: Path) -> None:
        self.folder = folder
        self.index = folder / "index.jsonl"
        self.incoming = folder / ".incoming"
        self.lock = lock

    # -- writing --------------------------------------------------------------------------

    def save(self, record: SessionRecord, recording: Iterable[str] | None = None) -> Path:
        if not isinstance(record, SessionRecord):
            raise InvalidInputError("save_session expects a SessionRecord")
        staged = self._stage(recording) if recording is not None else None
        try:
            with locked(self.lock):
                summary = self.find(record.id)
                if summary is None:
                    year = ensure_dir(self.folder / f"{record.started_at.year:04d}")
                    summary = year / f"{record.id}.json"
                rec_path = summary.with_name(f"{record.id}.recording.jsonl")
                meta: dict[str, Any] | None = None
                if staged is not None:
                    tmp, meta = staged
                    tmp.replace(rec_path)
                    staged = None
                    fsync_dir(self.incoming)
                elif rec_path.exists():
                    meta = recording_meta(rec_path)
                fields = {
                    "session": record.model_dump(mode="json"),
                    "recording": None if meta is None else {"file": rec_path.name, **meta},
                }
                if summary.exists() and self._read(summary, [], False) is None:
                    documents.set_aside(summary)
                self._write_summary(summary, fields)
        finally:
            if staged is not None:
                staged[0].unlink(missing_ok=True)
        return summary

    def _write_summary(self, summary: Path, fields: dict[str, Any]) -> None:
        """Replace the summary file, then index a copy of it (caller holds the lock)."""
        data = documents.encode("session", fields)
        atomic_write(summary, data)
        self._index(summary, data)

    def _index(self, summary: Path, data: bytes) -> None:
        stat = summary.stat()
        entry = {
            "file": f"{summary.parent.name}/{summary.name}",
            "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
            "doc": json.loads(data),
        }
        journal.append(self.index, [journal.encode(CURRENT["session-index"], entry)])

    def _stage(self, lines: Iterable[str]) -> tuple[Path, dict[str, Any]]:
        """Write the recording to a temporary file first, outside the lock."""
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

        tmp = temp_sibling(self.incoming / "recording.jsonl")
        try:
            write_new(tmp, chunks())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        meta = {"format": RECORDING_FORMAT, "lines": count, "sha256": digest.hexdigest()}
        return tmp, {**meta, "size": tmp.stat().st_size}

    # -- reading --------------------------------------------------------------------------

    def find(self, session_id: str) -> Path | None:
        for year in self.years():
            path = year / f"{session_id}.json"
            if path.exists():
                return path
        return None

    def years(self) -> list[Path]:
        return sorted(
            Path(entry.path)
            for entry in os.scandir(self.folder)
            if entry.is_dir() and entry.name.isdigit()
        )

    def index_map(self) -> tuple[dict[str, _Indexed], list[Problem]]:
        read = journal.read(self.index)
        index: dict[str, _Indexed] = {}
        problems = list(read.problems)
        for record in read.records:
            try:
                entry = json.loads(record.payload)
                index[entry["file"]] = _Indexed(entry["size"], entry["mtime_ns"], entry["doc"])
            except (ValueError, KeyError, TypeError):
                problems.append(Problem(self.index, "not a session index entry", record.line))
        return index, [
            Problem(
                p.path,
                f"{p.what} (only the index; summaries are unaffected)",
                p.line,
                True,
                fix=f"{RECOVER}: it rebuilds the index from the summary files",
            )
            for p in problems
        ]

    def _fast_index(self) -> dict[str, tuple[int, int, SessionRecord]] | None:
        """The whole index validated in one pass; None if any entry needs the slow path."""
        read = journal.read(self.index)
        if read.problems or any(r.version != CURRENT["session-index"] for r in read.records):
            return None
        try:
            entries = _INDEX_BATCH.validate_json(
                b"[" + b",".join(r.payload for r in read.records) + b"]"
            )
        except ValidationError:
            return None
        return {e.file: (e.size, e.mtime_ns, e.doc.session) for e in entries}

    def load(self) -> Loaded[SessionRecord]:
        fast = self._fast_index()
        index = self.index_map()[0] if fast is None else {}
        loaded: Loaded[SessionRecord] = Loaded()
        seen: set[str] = set()
        for year in self.years():
            for entry in os.scandir(year):
                name = entry.name
                if name.startswith(".") or not name.endswith(".json"):
                    continue
                rel = f"{year.name}/{name}"
                seen.add(rel)
                stat = entry.stat()
                key = (stat.st_size, stat.st_mtime_ns)
                session: SessionRecord | None
                if fast is not None and rel in fast and fast[rel][:2] == key:
                    session = fast[rel][2]
                elif rel in index and (index[rel].size, index[rel].mtime_ns) == key:
                    session = self._from_doc(
                        Path(entry.path), index[rel].doc, loaded.problems, True
                    )
                else:
                    indexed = rel in (fast if fast is not None else index)
                    session = self._read(Path(entry.path), loaded.problems, indexed)
                if session is not None:
                    loaded.items.append(session)
        for rel in sorted((fast if fast is not None else index).keys() - seen):
            loaded.problems.append(
                Problem(
                    self.folder / rel,
                    "the session summary file is missing; its last saved copy is in the index",
                    recoverable=True,
                    fix=f"{RECOVER}: it writes the summary again from {self.index}",
                )
            )
        loaded.items.sort(key=lambda s: (s.started_at, s.id))
        return loaded

    def _read(self, path: Path, problems: list[Problem], indexed: bool) -> SessionRecord | None:
        doc = documents.read(path, "session")
        if isinstance(doc, Problem):
            problems.append(_summary_problem(doc.path, doc.what, indexed))
            return None
        if doc is None:
            return None
        return self._from_doc(path, doc, problems, indexed)

    @staticmethod
    def _from_doc(
        path: Path, doc: Any, problems: list[Problem], indexed: bool
    ) -> SessionRecord | None:
        parsed = documents.parse(path, "session", doc)
        if isinstance(parsed, str):
            problems.append(_summary_problem(path, parsed, indexed))
            return None
        try:
            return SessionRecord.model_validate(parsed["session"])
        except ValidationError as error:
            problems.append(_summary_problem(path, describe(error), indexed))
        except (KeyError, TypeError):
            problems.append(_summary_problem(path, 'the "session" part is missing', indexed))
        return None

    def recording(self, session_id: str) -> Iterator[str]:
        summary = self.find(session_id)
        if summary is None:
            raise KeyError(f"no session with id {session_id!r}")
        doc = documents.read(summary, "session")
        if isinstance(doc, Problem):
            raise DamagedFileError([doc])
        meta = (doc or {}).get("recording")
        if not meta:
            raise KeyError(f"session {session_id!r} has no recording")
        path = summary.with_name(meta["file"])
        try:
            actual = recording_meta(path)["sha256"]
        except FileNotFoundError:
            raise DamagedFileError([Problem(path, "the recording file is missing")]) from None
        if actual != meta["sha256"]:
            raise DamagedFileError(
                [Problem(path, "the recording does not match the checksum in its summary")]
            )
        return _lines(path)

    # -- recovery -------------------------------------------------------------------------

    def recover(self) -> list[str]:
        """Restore damaged or missing summaries from the index; rebuild a damaged index."""
        actions: list[str] = []
        with locked(self.lock):
            index, index_problems = self.index_map()
            loaded = self.load()
            for problem in loaded.problems:
                if problem.what.startswith(NEWER):
                    actions.append(f"left {problem.path} alone: {problem.what}")
                    continue
                rel = f"{problem.path.parent.name}/{problem.path.name}"
                cached = index.get(rel)
                if cached is None:
                    actions.append(f"cannot recover {problem.path}: no earlier copy exists")
                    continue
                if problem.path.exists():
                    aside = documents.set_aside(problem.path)
                    actions.append(f"kept the damaged {problem.path.name} as {aside.name}")
                ensure_dir(problem.path.parent)
                fields = {k: v for k, v in cached.doc.items() if k not in {"schema", "version"}}
                self._write_summary(problem.path, fields)
                actions.append(f"restored {problem.path} from its last good copy")
            if index_problems:
                aside = documents.set_aside(self.index)
                actions.append(f"kept the damaged session index as {aside.name}")
                for year in self.years():
                    for path in sorted(year.glob("*.json")):
                        if isinstance(documents.read(path, "session"), dict):
                            self._index(path, path.read_bytes())
                actions.append("rebuilt the session index from the summary files")
        return actions

    # -- recordings -------------------------------------------------------------------------

    def _summaries(self) -> Iterator[tuple[Path, dict[str, Any]]]:
        """Every summary that reads cleanly, with its document (damaged ones: see load)."""
        index, _ = self.index_map()
        for year in self.years():
            for entry in os.scandir(year):
                name = entry.name
                if name.startswith(".") or not name.endswith(".json"):
                    continue
                stat = entry.stat()
                cached = index.get(f"{year.name}/{name}")
                if cached is not None and (cached.size, cached.mtime_ns) == (
                    stat.st_size,
                    stat.st_mtime_ns,
                ):
                    yield Path(entry.path), cached.doc
                    continue
                doc = documents.read(Path(entry.path), "session")
                if isinstance(doc, dict):
                    yield Path(entry.path), doc

    def recording_problems(self, *, deep: bool) -> list[Problem]:
        """Recordings that are missing, cut short or changed (deep: by checksum, else by size),
        and recordings no summary names (a save cut short)."""
        found: list[Problem] = []
        named: set[Path] = set()
        for summary, doc in self._summaries():
            meta = doc.get("recording")
            if not isinstance(meta, dict) or not isinstance(meta.get("file"), str):
                continue
            path = summary.with_name(meta["file"])
            named.add(path)
            session = summary.name.removesuffix(".json")
            fix = (
                "no second copy of a recording is kept: restore it from an archive made with "
                "`pacewise export`, if you have one; the session's summary and pain scores are "
                "unaffected"
            )
            try:
                size = path.stat().st_size
            except FileNotFoundError:
                found.append(
                    Problem(path, f"the recording of session {session} is missing", fix=fix)
                )
                continue
            if "size" in meta and size != meta["size"]:
                what = (
                    f"the recording of session {session} has {size} bytes, not "
                    f"{meta['size']} (cut short or changed)"
                )
                found.append(Problem(path, what, fix=fix))
            elif deep and recording_meta(path)["sha256"] != meta.get("sha256"):
                what = (
                    f"the recording of session {session} does not match its checksum "
                    "(cut short or changed)"
                )
                found.append(Problem(path, what, fix=fix))
        for year in self.years():
            for path in sorted(year.glob("*.recording.jsonl")):
                if path in named:
                    continue
                summary = path.with_name(path.name.removesuffix(".recording.jsonl") + ".json")
                if summary.exists():
                    what = "a recording its session summary does not name (a save was cut short)"
                    fix = f"{RECOVER}: it adds the recording to {summary.name}"
                else:
                    what = "a recording without a session summary (a save was cut short)"
                    fix = f"{RECOVER}: it moves the recording to {self.folder / ORPHANED}, kept"
                found.append(Problem(path, what, recoverable=True, fix=fix))
        return found

    def recover_recordings(self) -> list[str]:
        """Attach a recording to its summary, or keep a recording with no summary aside."""
        actions: list[str] = []
        with locked(self.lock):
            for problem in self.recording_problems(deep=False):
                if not problem.recoverable or not problem.path.exists():
                    continue
                path = problem.path
                session = path.name.removesuffix(".recording.jsonl")
                summary = path.with_name(f"{session}.json")
                doc = documents.read(summary, "session") if summary.exists() else None
                if isinstance(doc, dict):
                    fields = {k: v for k, v in doc.items() if k not in {"schema", "version"}}
                    fields["recording"] = {"file": path.name, **recording_meta(path)}
                    self._write_summary(summary, fields)
                    actions.append(f"added the recording {path.name} to {summary}")
                else:
                    folder = ensure_dir(self.folder / ORPHANED)
                    target = folder / f"{path.parent.name}-{path.name}"
                    path.replace(target)
                    fsync_dir(folder)
                    fsync_dir(path.parent)
                    actions.append(
                        f"moved {path} (a recording with no session summary) to {target}"
                    )
        return actions


def recording_meta(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    count = 0
    with path.open("rb") as f:
        for line in f:
            digest.update(line)
            count += 1
    return {
        "format": RECORDING_FORMAT,
        "lines": count,
        "sha256": digest.hexdigest(),
        "size": path.stat().st_size,
    }


def _summary_problem(path: Path, what: str, indexed: bool) -> Problem:
    if what.startswith(NEWER):
        return Problem(path, what, fix="update Pacewise to read it; the file is left as it is")
    if what.startswith("not a Pacewise") and not indexed:
        return Problem(
            path, what, fix="move this file out of the data folder (it is not Pacewise's)"
        )
    return Problem(
        path,
        what,
        recoverable=indexed,
        fix=f"{RECOVER}: it restores the last good copy from {path.parent.parent / 'index.jsonl'}"
        if indexed
        else "",
    )


def _lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            yield line.rstrip("\n")
