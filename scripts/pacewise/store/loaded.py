"""Load results that carry their problems, so nothing unreadable is ever hidden."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from pacewise.store.errors import DamagedFileError, Problem

T = TypeVar("T", bound=BaseModel)


def describe(error: ValidationError) -> str:
    """A pydantic error as one readable sentence: `field.path: message; ...`."""
    parts = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "value"
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


@dataclass
class Loaded(Generic[T]):
    """What could be read, and a problem for everything that could not."""

    items: list[T] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def strict(self) -> list[T]:
        if self.problems:
            raise DamagedFileError(self.problems)
        return self.items
