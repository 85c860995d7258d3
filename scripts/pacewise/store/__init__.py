"""The local JSON store: durable, atomic, shared safely between processes (see docs/store.md)."""

from pacewise.store.errors import (
    DamagedFileError,
    InvalidInputError,
    NewerVersionError,
    Problem,
    StoreError,
)
from pacewise.store.loaded import Loaded
from pacewise.store.store import Store, default_home

__all__ = [
    "DamagedFileError",
    "InvalidInputError",
    "Loaded",
    "NewerVersionError",
    "Problem",
    "Store",
    "StoreError",
    "default_home",
]
