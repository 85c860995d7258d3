"""Whole-file JSON documents (profile, plan revisions, session summaries).

Each is an envelope ``{"schema": "pacewise.<kind>", "version": N, ...}`` written
new-then-renamed, so a reader sees the old file or the new one and never a mix. A file that
cannot be read is renamed aside (``<name>.damaged-<time>``), never overwritten or deleted.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pacewise.store.errors import NewerVersionError, Problem
from pacewise.store.files import fsync_dir, read_bytes
from pacewise.store.migrations import CURRENT, upgrade


def encode(kind: str, fields: dict[str, Any]) -> bytes:
    doc = {"schema": f"pacewise.{kind}", "version": CURRENT[kind], **fields}
    return json.dumps(doc, indent=2, ensure_ascii=False).encode() + b"\n"


def parse(path: Path, kind: str, raw: Any) -> dict[str, Any] | str:
    """The document brought up to the current version, or what is wrong with it."""
    if not isinstance(raw, dict) or raw.get("schema") != f"pacewise.{kind}":
        return f'not a Pacewise {kind} file (expected "schema": "pacewise.{kind}")'
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        return 'the "version" field is missing or not a whole number'
    try:
        return upgrade(kind, version, raw)
    except (NewerVersionError, ValueError, KeyError, TypeError) as error:
        return str(error)


def read(path: Path, kind: str) -> dict[str, Any] | Problem | None:
    """The document, a Problem naming the file, or None when the file does not exist."""
    try:
        data = read_bytes(path)
    except FileNotFoundError:
        return None
    try:
        raw = json.loads(data)
    except ValueError as error:
        return Problem(path, f"not valid JSON ({error})")
    parsed = parse(path, kind, raw)
    return Problem(path, parsed) if isinstance(parsed, str) else parsed


def set_aside(path: Path) -> Path:
    """Rename a damaged file out of the way, keeping it for inspection."""
    stamp = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{os.urandom(2).hex()}"
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    path.replace(aside)
    fsync_dir(path.parent)
    return aside
