"""Append-only journals of JSON records, one per line, each carrying its own checksum.

A record line is itself JSON, so the file stays readable and greppable::

    {"v":1,"crc":"1c291ca3","entry":{"id":"...","score":3,...}}

`v` is the record's schema version and `crc` the CRC-32 of the exact bytes of `entry`. A writer
appends one whole line with a single write() and fsyncs before acknowledging; a crash can only
leave an unterminated last line (a torn tail), which was never acknowledged. The next writer
moves that fragment to `<journal>.torn` (kept, never deleted) before appending. Any other bad
line is damage: it is reported with its line number, never skipped silently.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from pacewise.store.errors import Problem
from pacewise.store.files import FILE_MODE, fsync_dir

_RECORD = re.compile(rb'\{"v":(\d{1,6}),"crc":"([0-9a-f]{8})","entry":(.*)\}\Z', re.DOTALL)


def crc(payload: bytes) -> str:
    return f"{zlib.crc32(payload):08x}"


def encode(version: int, entry: object) -> bytes:
    payload = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    return encode_payload(version, payload)


def encode_payload(version: int, payload: bytes) -> bytes:
    if b"\n" in payload:
        raise ValueError("a journal payload must be a single line")
    return b'{"v":%d,"crc":"%s","entry":%s}\n' % (version, crc(payload).encode(), payload)


@dataclass(frozen=True)
class Record:
    line: int
    version: int
    payload: bytes
    raw: bytes


@dataclass
class JournalRead:
    path: Path
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    torn_tail: bytes = b""


def parse_line(raw: bytes) -> tuple[int, bytes] | str:
    """(version, payload) of a good line, else a sentence saying what is wrong with it."""
    match = _RECORD.match(raw.rstrip(b" \t\r"))
    if match is None:
        try:
            json.loads(raw)
        except ValueError:
            return "not valid JSON (cut short or damaged)"
        return 'not a Pacewise record (expected {"v":…,"crc":…,"entry":…})'
    version, checksum, payload = match.groups()
    if crc(payload) != checksum.decode():
        return (
            "checksum does not match the content: the line was changed outside Pacewise "
            "or damaged on disk"
        )
    return int(version), payload


def read(path: Path, data: bytes | None = None) -> JournalRead:
    """Every good record of a journal plus a problem for each bad line; a missing file is empty."""
    result = JournalRead(path)
    if data is None:
        try:
            with path.open("rb") as f:
                data = f.read()
        except FileNotFoundError:
            return result
    lines = data.split(b"\n")
    result.torn_tail = lines.pop()  # after the last newline: empty unless a write was cut short
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        parsed = parse_line(raw)
        if isinstance(parsed, str):
            result.problems.append(Problem(path, parsed, line=number))
        else:
            result.records.append(Record(number, parsed[0], parsed[1], raw))
    return result


def _tail_start(fd: int, size: int) -> int:
    """Offset just after the last newline (0 if none): where a torn tail begins."""
    pos = size
    block = 1 << 16
    while pos > 0:
        start = max(0, pos - block)
        chunk = os.pread(fd, pos - start, start)
        index = chunk.rfind(b"\n")
        if index >= 0:
            return start + index + 1
        pos = start
    return 0


def whole_size(path: Path) -> int:
    """Bytes up to and including the last newline (0 for a missing file)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return 0
    try:
        return _tail_start(fd, os.fstat(fd).st_size)
    finally:
        os.close(fd)


def append(path: Path, lines: list[bytes]) -> None:
    """Append whole lines durably. The caller holds the journal's lock."""
    created = not path.exists()
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, FILE_MODE)
    try:
        info = os.fstat(fd)
        if created or info.st_mode & 0o077:
            os.fchmod(fd, FILE_MODE)  # also narrows a file someone made readable to others
        size = info.st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            set_aside_torn_tail(path, fd, size)
        data = b"".join(lines)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        fsync_dir(path.parent)


def set_aside_torn_tail(path: Path, fd: int, size: int) -> None:
    start = _tail_start(fd, size)
    fragment = os.pread(fd, size - start, start)
    torn = path.with_name(path.name + ".torn")
    keep = os.open(torn, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    try:
        os.write(keep, fragment + b"\n")
        os.fsync(keep)
    finally:
        os.close(keep)
    os.ftruncate(fd, start)
    os.fsync(fd)
