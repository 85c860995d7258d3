"""The pain journal: every pain entry, appended durably, with a mirror kept in another folder.

`pain/pain.jsonl` is the journal readers use; `mirror/pain.jsonl` receives the same line right
after it, under the same lock, so the two files hold the same bytes. They live in different
folders so that deleting `pain/` (or emptying, truncating or damaging the journal) still leaves
a copy. Every load compares the two and reports each line that one has and the other lacks;
`recover` rebuilds both from every good line of either.

A save cut short between the two appends leaves the journal one whole line ahead of the
mirror. That entry was never acknowledged; loads accept it (a reader may simply have looked
between the two writes), the next writer copies it to the mirror, and `check` (which holds the
lock) reports it until then.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from pacewise.domain.pain import PainEntry
from pacewise.store import journal
from pacewise.store.documents import set_aside
from pacewise.store.errors import RECOVER, InvalidInputError, NewerVersionError, Problem
from pacewise.store.files import FILE_MODE, atomic_write, ensure_dir, fsync_dir
from pacewise.store.loaded import Loaded, describe
from pacewise.store.lock import locked
from pacewise.store.migrations import CURRENT, NEWER, upgrade

#: How many lines a lock-free reader may see the journal ahead of the mirror (saves in flight).
IN_FLIGHT = 8
#: Where entries that share an id with an earlier, different entry are moved by `recover`.
CONFLICTS = "conflicts.jsonl"


def _entries(n: int) -> str:
    return f"{n} entry" if n == 1 else f"{n} entries"


@dataclass
class _Side:
    """What one of the two files holds: whole good lines, their problems, and if it exists."""

    path: Path
    read: journal.JournalRead
    exists: bool

    @property
    def raws(self) -> list[bytes]:
        return [r.raw for r in self.read.records]


class PainJournal:
    def __init__(self, folder: Path, lock: Path, mirror: Path | None = None) -> None:
        self.path = folder / "pain.jsonl"
        self.mirror = mirror or folder.parent / "mirror" / "pain.jsonl"
        self.conflicts = folder / CONFLICTS
        self.lock = lock

    # -- writing --------------------------------------------------------------------------

    def add(self, entry: PainEntry) -> PainEntry:
        if not isinstance(entry, PainEntry):
            raise InvalidInputError("add_pain expects a PainEntry")
        line = journal.encode_payload(CURRENT["pain"], entry.model_dump_json().encode())
        with locked(self.lock):
            ensure_dir(self.path.parent)
            ensure_dir(self.mirror.parent)
            journal.append(self.path, [line])
            self._catch_up_mirror(len(line))
            journal.append(self.mirror, [line])
        return entry

    def _catch_up_mirror(self, just_written: int) -> None:
        """Copy whole journal lines a killed writer left out of the mirror (lock held)."""
        behind = journal.whole_size(self.path) - just_written
        have = journal.whole_size(self.mirror)
        if behind <= have:
            return
        fd = os.open(self.path, os.O_RDONLY)
        try:
            if have and os.pread(fd, 1, have - 1) != b"\n":
                return  # the two files differ earlier: damage, reported by load
            gap = os.pread(fd, behind - have, have)
        finally:
            os.close(fd)
        if gap.endswith(b"\n"):
            journal.append(self.mirror, [gap])

    def migrate(self) -> None:
        """Move a mirror kept beside the journal (before 2026) to its own folder."""
        old = self.path.parent / "mirror.jsonl"
        if not old.exists() or self.mirror.exists():
            return
        with locked(self.lock):
            if old.exists() and not self.mirror.exists():
                ensure_dir(self.mirror.parent)
                old.replace(self.mirror)
                fsync_dir(self.mirror.parent)
                fsync_dir(old.parent)

    # -- reading --------------------------------------------------------------------------

    @staticmethod
    def _side(path: Path, data: bytes | None) -> _Side:
        return _Side(path, journal.read(path, data or b""), data is not None)

    def load(self, since: datetime | None = None) -> Loaded[PainEntry]:
        mirror_data = _read(self.mirror)  # the mirror first: a save appends to it second
        primary_data = _read(self.path)
        primary = self._side(self.path, primary_data)
        loaded: Loaded[PainEntry] = Loaded(problems=list(primary.read.problems))
        seen: dict[str, PainEntry] = {}
        batch = _batch(primary.read.records)
        for number, record in enumerate(primary.read.records):
            entry = batch[number] if batch else self._entry(self.path, record, loaded.problems)
            if entry is None:
                continue
            earlier = seen.get(entry.id)
            if earlier is not None:
                if earlier != entry:
                    loaded.problems.append(
                        Problem(
                            self.path,
                            f"a second, different entry with the id {entry.id}",
                            line=record.line,
                            recoverable=True,
                            fix=f"{RECOVER}: it keeps the first entry and moves this one to "
                            f"{self.conflicts}, for you to look at",
                        )
                    )
                continue  # the same entry twice (a retried save) counts once
            seen[entry.id] = entry
            if since is None or entry.at >= since:
                loaded.items.append(entry)
        loaded.items.sort(key=lambda e: e.at)
        has_copy = bool(loaded.problems) and bool(self._side(self.mirror, mirror_data).read.records)
        loaded.problems = [
            p
            if p.fix
            else Problem(
                p.path,
                p.what,
                p.line,
                recoverable=has_copy and not _newer(p),
                fix=_fix(p, has_copy, self.mirror),
            )
            for p in loaded.problems
        ]
        if not _same(primary_data, mirror_data):
            loaded.problems += self._compare(primary, self._side(self.mirror, mirror_data), seen)
        return loaded

    def _compare(self, primary: _Side, mirror: _Side, ids: dict[str, PainEntry]) -> list[Problem]:
        """A problem for every line that one file holds and the other does not (a few whole
        lines at the end of the journal only are a save in flight: see `tail_problems`)."""
        found: list[Problem] = []
        has_primary = bool(primary.read.records)
        for p in mirror.read.problems:
            found.append(
                Problem(
                    p.path,
                    p.what,
                    p.line,
                    recoverable=has_primary,
                    fix=f"{RECOVER}: it rebuilds the mirror from {self.path}"
                    if has_primary
                    else "",
                )
            )
        raws_p, raws_m = primary.raws, mirror.raws
        if raws_p == raws_m or (
            mirror.exists
            and raws_m == raws_p[: len(raws_m)]
            and len(raws_p) - len(raws_m) <= IN_FLIGHT
        ):
            pass
        else:
            in_p, in_m = set(raws_p), set(raws_m)
            lost = [raw for raw in raws_m if raw not in in_p and _id(raw) not in ids]
            if lost:
                found.append(self._lost(primary, len(lost)))
            missing = [raw for raw in raws_p if raw not in in_m]
            if missing:
                what = (
                    f"the mirror is missing; the journal holds {_entries(len(raws_p))}"
                    if not mirror.exists
                    else f"{_entries(len(missing))} of the journal are not in the mirror"
                )
                found.append(
                    Problem(
                        self.mirror,
                        what,
                        recoverable=True,
                        fix=f"{RECOVER}: it rebuilds the mirror from {self.path}",
                    )
                )
        return found

    def _lost(self, primary: _Side, n: int) -> Problem:
        if not self.path.parent.is_dir():
            state = f"the folder {self.path.parent} is missing"
        elif not primary.exists:
            state = "the file is missing"
        elif primary.path.stat().st_size == 0:
            state = "the file is empty"
        else:
            state = "the file was cut short or lines were removed"
        return Problem(
            self.path,
            f"{state}: {_entries(n)} kept in the mirror {self.mirror} are not in it",
            recoverable=True,
            fix=f"{RECOVER}: it puts the {_entries(n)} back from the mirror",
        )

    def tail_problems(self) -> list[Problem]:
        """What a writer killed mid-save leaves at the ends of the two files: an unfinished
        last line, or whole lines that reached the journal but not the mirror. Cheap (reads
        only the ends) and taken under the lock, so a save in flight is not mistaken for one.
        """
        found = []
        with locked(self.lock):
            for path in (self.path, self.mirror):
                whole = journal.whole_size(path)
                if path.exists() and path.stat().st_size > whole:
                    found.append(
                        Problem(
                            path,
                            "the last line is unfinished (a save cut short by a crash; it was "
                            "never confirmed to anyone)",
                            recoverable=True,
                            fix=f"{RECOVER}: it moves the fragment to {path.name}.torn",
                        )
                    )
            ahead = self._ahead()
            if ahead:
                found.append(
                    Problem(
                        self.mirror,
                        f"the last {_entries(ahead)} of the journal did not reach the mirror "
                        "(a save was cut short)",
                        recoverable=True,
                        fix=f"{RECOVER}: it copies {'it' if ahead == 1 else 'them'} to the mirror",
                    )
                )
        return found

    def _ahead(self) -> int:
        """Whole lines at the end of the journal after all the mirror holds (0 if the two
        differ before that: damage, which load reports)."""
        have = journal.whole_size(self.mirror)
        total = journal.whole_size(self.path)
        if total <= have or not self.mirror.exists():
            return 0
        with self.path.open("rb") as a, self.mirror.open("rb") as b:
            start = max(0, have - (1 << 16))
            a.seek(start)
            b.seek(start)
            if a.read(have - start) != b.read(have - start):
                return 0
            gap = a.read(total - have)
        lines = gap.count(b"\n")
        return lines if lines <= IN_FLIGHT else 0

    @staticmethod
    def _entry(path: Path, record: journal.Record, problems: list[Problem]) -> PainEntry | None:
        try:
            if record.version == CURRENT["pain"]:
                return PainEntry.model_validate_json(record.payload)
            data = upgrade("pain", record.version, json.loads(record.payload))
            return PainEntry.model_validate(data)
        except ValidationError as error:
            problems.append(Problem(path, describe(error), line=record.line))
        except (NewerVersionError, ValueError) as error:
            problems.append(Problem(path, str(error), line=record.line))
        return None

    def _good(
        self, path: Path
    ) -> tuple[dict[str, tuple[PainEntry, bytes]], list[bytes], int, bool]:
        """Good records by id, lines whose id an earlier different entry has, the number of
        bad lines, and whether any is from a newer Pacewise."""
        read = journal.read(path)
        good: dict[str, tuple[PainEntry, bytes]] = {}
        clashes: list[bytes] = []
        bad = len(read.problems)
        newer = False
        for record in read.records:
            problems: list[Problem] = []
            entry = self._entry(path, record, problems)
            if entry is None:
                bad += 1
                newer = newer or any(p.what.startswith(NEWER) for p in problems)
            elif entry.id not in good:
                good[entry.id] = (entry, record.raw + b"\n")
            elif good[entry.id][0] != entry:
                clashes.append(record.raw + b"\n")
        return good, clashes, bad, newer

    # -- recovery -------------------------------------------------------------------------

    def recover(self) -> list[str]:
        """Rebuild both files from every good line of either; damaged files are kept."""
        with locked(self.lock):
            ensure_dir(self.path.parent)
            ensure_dir(self.mirror.parent)
            primary, clash_p, bad_primary, newer = self._good(self.path)
            if newer:
                return [f"left {self.path} alone: it has entries from a newer Pacewise"]
            mirror, clash_m, bad_mirror, _ = self._good(self.mirror)
            actions = self._move_torn_tails()
            merged: dict[str, tuple[PainEntry, bytes]] = {**mirror, **primary}
            clashes = list(dict.fromkeys(clash_p + clash_m))
            clashes += [raw for e, raw in mirror.values() if merged[e.id][0] != e]
            lines = [raw for _, raw in sorted(merged.values(), key=_order)]
            data = b"".join(lines)
            if (
                not bad_primary
                and not bad_mirror
                and not clashes
                and _whole(self.path) == data
                and _whole(self.mirror) == data
            ):
                return actions
            if clashes:
                journal.append(self.conflicts, clashes)
                actions.append(
                    f"moved {_entries(len(clashes))} that share an id with an earlier, "
                    f"different entry to {self.conflicts}"
                )
            restored = len(merged) - len(primary)
            for path, bad in ((self.path, bad_primary), (self.mirror, bad_mirror)):
                if bad:
                    aside = set_aside(path)
                    actions.append(f"kept the damaged {path} as {aside.name}")
                atomic_write(path, data)
            actions.append(
                f"rebuilt the pain journal and its mirror: {_entries(len(merged))}, {restored} "
                f"restored from the mirror, {max(0, bad_primary - restored)} line(s) could "
                "not be recovered"
            )
            return actions

    def _move_torn_tails(self) -> list[str]:
        actions = []
        for path in (self.path, self.mirror):
            if not path.exists():
                continue
            fd = os.open(path, os.O_RDWR)
            try:
                size = os.fstat(fd).st_size
                if size and os.pread(fd, 1, size - 1) != b"\n":
                    journal.set_aside_torn_tail(path, fd, size)
                    actions.append(f"moved an unfinished last line of {path} to {path.name}.torn")
            finally:
                os.close(fd)
        return actions


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _same(primary: bytes | None, mirror: bytes | None) -> bool:
    """The fast path of the comparison: the mirror's whole lines are the journal's, byte for
    byte (a few more whole lines in the journal, a save in flight, aside): nothing to parse."""
    if mirror is None:
        return primary is None or not primary.strip()
    have = mirror[: mirror.rfind(b"\n") + 1]
    if primary is None:
        return not have.strip()
    if not primary.startswith(have):
        return False
    rest = primary[len(have) :]
    return rest[: rest.rfind(b"\n") + 1].count(b"\n") <= IN_FLIGHT


def _whole(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    return data[: data.rfind(b"\n") + 1]


def _id(raw: bytes) -> str | None:
    parsed = journal.parse_line(raw)
    if isinstance(parsed, str):
        return None
    try:
        value = json.loads(parsed[1]).get("id")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def _fix(problem: Problem, has_copy: bool, mirror: Path) -> str:
    if _newer(problem):
        return "update Pacewise to read it; the line is left as it is"
    if has_copy:
        return f"{RECOVER}: it restores the line from the mirror {mirror}"
    return ""


def _order(item: tuple[PainEntry, Any]) -> datetime:
    return item[0].at


_BATCH = TypeAdapter(list[PainEntry])


def _batch(records: list[journal.Record]) -> list[PainEntry] | None:
    """All current-version records validated in one pass; None sends them one by one."""
    if not records or any(r.version != CURRENT["pain"] for r in records):
        return None
    try:
        return _BATCH.validate_json(b"[" + b",".join(r.payload for r in records) + b"]")
    except ValidationError:
        return None


def _newer(problem: Problem) -> bool:
    return problem.what.startswith(NEWER)


__all__ = ["CONFLICTS", "FILE_MODE", "PainJournal"]
