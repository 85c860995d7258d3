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
    "pain": 2,
    "session": 1,
    "session-index": 1,
    "prescription": 1,
    "profile": 1,
}

#: How every "file is from a newer Pacewise" message starts (recovery leaves those alone).
NEWER = "written by a newer Pacewise"

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
            f"{NEWER} ({kind} version {version}; this one reads up to version {current})"
        )
    if version < 1:
        raise ValueError(f"unknown {kind} version {version}")
    while version < current:
        data = _STEPS[kind][version](data)
        version += 1
    return data


@step("pain", 1)
def _pain_v1_to_v2(entry: Data) -> Data:
    """v2 records when an entry was made (`recorded_at`); v1 entries were all made live."""
    return {**entry, "recorded_at": entry.get("recorded_at") or entry["at"]}
