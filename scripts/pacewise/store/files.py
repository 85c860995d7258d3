"""Durable, private file primitives: every write the store makes goes through these.

Durability means fsync of the data and of the folder entry that names it, before the caller is
told "done". Privacy means 0700 folders and 0600 files, set explicitly rather than trusting the
process umask.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_dir(path: Path) -> Path:
    """Create `path` (and parents) as private folders, making each new entry durable."""
    if path.is_dir():
        return path
    ensure_dir(path.parent)
    try:
        path.mkdir(DIR_MODE)
    except FileExistsError:
        pass
    else:
        path.chmod(DIR_MODE)
        fsync_dir(path.parent)
    return path


def temp_sibling(path: Path) -> Path:
    """A unique temporary name in the same folder, so the final rename stays atomic."""
    return path.with_name(f".{path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")


def write_new(path: Path, chunks: Iterable[bytes]) -> None:
    """Write a new file from chunks and fsync it (it is not yet visible under its final name)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        for chunk in chunks:
            view = memoryview(chunk)
            while view:
                view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, *, sync_dir: bool = True) -> None:
    """Replace `path` with `data`: readers see the old file or the new one, never a mix."""
    tmp = temp_sibling(path)
    try:
        write_new(tmp, [data])
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if sync_dir:
        fsync_dir(path.parent)


def read_bytes(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        data = os.read(fd, size + 1)
        if len(data) <= size:
            parts = [data]
            while chunk := os.read(fd, 1 << 20):
                parts.append(chunk)
            data = b"".join(parts)
        return data
    finally:
        os.close(fd)
