"""Every revision of the prescription, one immutable file each: the history is the backup.

``prescription/rev-000007.json`` holds revision 7 with who set it and when. The current plan is
the highest revision that reads cleanly; if none exists the patient gets the default plan
(revision 0). A damaged latest revision is reported, never skipped silently; `recover` sets it
aside, which makes the previous revision current again.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from pacewise.domain.prescription import (
    Prescription,
    PrescriptionVersion,
    default_prescription,
    problems,
)
from pacewise.store import documents
from pacewise.store.errors import RECOVER, DamagedFileError, InvalidInputError, Problem
from pacewise.store.files import atomic_write
from pacewise.store.loaded import Loaded, describe
from pacewise.store.lock import locked
from pacewise.store.migrations import NEWER

_REVISION = re.compile(r"^rev-(\d{6})\.json")


def default_version() -> PrescriptionVersion:
    return PrescriptionVersion(
        revision=0, by="Pacewise default", at=None, prescription=default_prescription()
    )


class PlanHistory:
    def __init__(self, folder: Path, lock: Path) -> None:
        self.folder = folder
        self.lock = lock

    def _files(self) -> list[tuple[int, Path]]:
        found = []
        for path in self.folder.iterdir():
            match = _REVISION.match(path.name)
            if match:
                found.append((int(match.group(1)), path))
        return sorted(found)

    def _read(self, path: Path) -> PrescriptionVersion | Problem:
        doc = documents.read(path, "prescription")
        if doc is None:
            return Problem(path, "the file disappeared while reading")
        if isinstance(doc, Problem):
            return doc
        try:
            fields = {k: v for k, v in doc.items() if k not in {"schema", "version"}}
            version = PrescriptionVersion.model_validate(fields)
        except ValidationError as error:
            return Problem(path, describe(error))
        found = problems(version.prescription)
        if found:
            return Problem(path, "the plan breaks its own rules: " + "; ".join(found))
        return version

    def history(self) -> Loaded[PrescriptionVersion]:
        loaded: Loaded[PrescriptionVersion] = Loaded()
        for number, path in self._files():
            if not path.name.endswith(".json"):
                continue  # a damaged revision already set aside
            result = self._read(path)
            if isinstance(result, Problem):
                newer = result.what.startswith(NEWER)
                fix = (
                    "update Pacewise to read it; the file is left as it is"
                    if newer
                    else f"{RECOVER}: it sets this revision aside (kept), so the revision "
                    "before it is in force again"
                )
                loaded.problems.append(Problem(path, result.what, recoverable=not newer, fix=fix))
            elif result.revision != number:
                loaded.problems.append(
                    Problem(path, f"says revision {result.revision} but is named {number}")
                )
            else:
                loaded.items.append(result)
        return loaded

    def current(self) -> PrescriptionVersion:
        """The plan in force; DamagedFileError if the newest revision cannot be read."""
        files = [(n, p) for n, p in self._files() if p.name.endswith(".json")]
        if not files:
            return default_version()
        result = self._read(files[-1][1])
        if isinstance(result, Problem):
            raise DamagedFileError(
                [
                    Problem(
                        result.path,
                        result.what,
                        recoverable=not result.what.startswith(NEWER) and len(files) > 1,
                    )
                ]
            )
        return result

    def set(
        self, prescription: Prescription, by: str, at: datetime, note: str | None = None
    ) -> PrescriptionVersion:
        found = problems(prescription)
        if found:
            raise InvalidInputError("the plan has problems:\n" + "\n".join(found))
        if not by.strip():
            raise InvalidInputError("say who sets the plan (by)")
        with locked(self.lock):
            files = self._files()
            number = files[-1][0] + 1 if files else 1
            version = PrescriptionVersion(
                revision=number, by=by, at=at, note=note, prescription=prescription
            )
            data = documents.encode("prescription", version.model_dump(mode="json"))
            atomic_write(self.folder / f"rev-{number:06d}.json", data)
        return version

    def recover(self) -> list[str]:
        actions = []
        with locked(self.lock):
            for problem in self.history().problems:
                if problem.recoverable and problem.path.exists():
                    aside = documents.set_aside(problem.path)
                    actions.append(f"kept the damaged {problem.path.name} as {aside.name}")
            if actions:
                current = self.current()
                actions.append(f"the plan in force is now revision {current.revision}")
        return actions
