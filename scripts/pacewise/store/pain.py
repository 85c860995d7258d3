"""The pain journal: every pain entry, appended durably, with a mirror to recover from.

`pain/pain.jsonl` is the journal readers use; `pain/mirror.jsonl` receives the same line right
after it, under the same lock. A line damaged in one file (bit rot, a wrong hand edit) is
restored from the other by `recover`.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from pacewise.domain.pain import PainEntry
from pacewise.store import journal
from pacewise.store.documents import set_aside
from pacewise.store.errors import InvalidInputError, NewerVersionError, Problem
from pacewise.store.files import atomic_write
from pacewise.store.loaded import Loaded, describe
from pacewise.store.lock import locked
from pacewise.store.migrations import CURRENT, NEWER, upgrade


class PainJournal:
    def __init__(self, folder: Path, lock: Path) -> None:
        self.path = folder / "pain.jsonl"
        self.mirror = folder / "mirror.jsonl"
        self.lock = lock

    def add(self, entry: PainEntry) -> PainEntry:
        if not isinstance(entry, PainEntry):
            raise InvalidInputError("add_pain expects a PainEntry")
        line = journal.encode_payload(CURRENT["pain"], entry.model_dump_json().encode())
        with locked(self.lock):
            journal.append(self.path, [line])
            journal.append(self.mirror, [line])
        return entry

    def load(self, since: datetime | None = None) -> Loaded[PainEntry]:
        read = journal.read(self.path)
        loaded: Loaded[PainEntry] = Loaded(problems=list(read.problems))
        seen: dict[str, PainEntry] = {}
        batch = _batch(read.records)
        for number, record in enumerate(read.records):
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
                        )
                    )
                continue  # the same entry twice (a retried save) counts once
            seen[entry.id] = entry
            if since is None or entry.at >= since:
                loaded.items.append(entry)
        loaded.items.sort(key=lambda e: e.at)
        if loaded.problems:
            mirror = self._mirror_ids()
            loaded.problems = [
                Problem(p.path, p.what, p.line, recoverable=bool(mirror) and not _newer(p))
                for p in loaded.problems
            ]
        return loaded

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

    def _good(self, path: Path) -> tuple[dict[str, tuple[PainEntry, bytes]], int, bool]:
        """Good records by id, the number of bad lines, and whether any is from a newer Pacewise."""
        read = journal.read(path)
        good: dict[str, tuple[PainEntry, bytes]] = {}
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
        return good, bad, newer

    def _mirror_ids(self) -> set[str]:
        return set(self._good(self.mirror)[0])

    def recover(self) -> list[str]:
        """Rebuild both files from every good line of either; the damaged files are kept."""
        with locked(self.lock):
            primary, bad_primary, newer = self._good(self.path)
            if newer:
                return [f"left {self.path} alone: it has entries from a newer Pacewise"]
            mirror, bad_mirror, _ = self._good(self.mirror)
            if not bad_primary and not bad_mirror and primary.keys() == mirror.keys():
                return []
            merged: dict[str, tuple[PainEntry, bytes]] = {**mirror, **primary}
            restored = len(merged) - len(primary)
            lines = [raw for _, raw in sorted(merged.values(), key=_order)]
            data = b"".join(lines)
            actions = []
            for path, bad in ((self.path, bad_primary), (self.mirror, bad_mirror)):
                if bad:
                    aside = set_aside(path)
                    actions.append(f"kept the damaged {path.name} as {aside.name}")
                atomic_write(path, data)
            actions.append(
                f"rebuilt the pain journal: {len(merged)} entries, {restored} restored from the "
                f"mirror, {max(0, bad_primary - restored)} line(s) could not be recovered"
            )
            return actions


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
