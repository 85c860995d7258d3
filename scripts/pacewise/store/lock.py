"""Cross-process exclusive locks (fcntl.flock) on small lock files, one per area of the store.

flock locks are released by the kernel when the process dies, so a writer killed with kill -9
never leaves the store locked.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pacewise.store.files import FILE_MODE


@contextmanager
def locked(lock_path: Path) -> Iterator[None]:
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
