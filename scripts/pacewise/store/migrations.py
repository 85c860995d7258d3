"""Schema versions of every kind of file and the steps that bring old versions up to date.

Each step takes the data of version N and returns the data of version N + 1; loading applies
the chain. A file from a newer Pacewise is refused with a clear message and left untouched.
Tests keep a sample of every version under tests/store/samples/.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pacewise.store.errors import NewerVersionError

Data = dict[str, Any]
Step = Callable[[Data], Data]

#: Current schema version of each kind of file (journals version each record).
CURRENT: dict[str, int] = {
    "pain": 1,
    "session": 1,
    "session-index": 1,
}

_STEPS: dict[str, dict[int, Step]] = {kind: {} for kind in CURRENT}


def step(kind: str, from_version: int) -> Callable[[Step], Step]:
    def register(fn: Step) -> Step:
        _STEPS[kind][from_version] = fn
        return fn

    return register


def upgrade(kind: str, version: int, data: Data) -> Data:
    current = CURRENT[kind]
    if version > current:
        raise NewerVersionError(
            f"written by a newer Pacewise ({kind} version {version}; "
            f"this one reads up to version {current})"
        )
    if version < 1:
        raise ValueError(f"unknown {kind} version {version}")
    while version < current:
        data = _STEPS[kind][version](data)
        version += 1
    return data
