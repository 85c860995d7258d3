"""What the store says when something on disk is not what it should be.

Every problem names the file (and line, for journals) and says what is wrong in words a patient
or clinician can act on. The damaged file itself is never deleted or rewritten in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class StoreError(Exception):
    """Base of every error the store raises."""


class InvalidInputError(StoreError, ValueError):
    """The caller asked for something the store refuses (nothing was written)."""


#: The hint of a problem that `pacewise recover` (Store.recover) repairs.
RECOVER = "run `pacewise recover`"


@dataclass(frozen=True)
class Problem:
    """One thing wrong on disk: where, what, and (in `fix`) what repairs it.

    `recoverable` means `Store.recover()` repairs it; `fix` then says how, and otherwise says
    what the person can do instead. Tests run every hint and check the result, so a hint that
    promises a repair must keep it.
    """

    path: Path
    what: str
    line: int | None = None
    recoverable: bool = False
    fix: str = ""

    @property
    def hint(self) -> str:
        if self.fix:
            return self.fix
        if self.recoverable:
            return f"{RECOVER} (it restores the last good copy)"
        return (
            "no copy is kept to restore it from; restore it from an archive made with "
            "`pacewise export`, if you have one"
        )

    def __str__(self) -> str:
        where = f"{self.path}" + (f" line {self.line}" if self.line is not None else "")
        return f"{where}: {self.what} (to repair: {self.hint})"


class DamagedFileError(StoreError):
    """One or more files could not be read; `problems` says which and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"damaged data in the Pacewise store:\n{lines}")


class NewerVersionError(StoreError):
    """A file was written by a newer Pacewise; it is left untouched."""
