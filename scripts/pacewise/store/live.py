"""A session while it is being played: its recording so far, and what a restart resumes from.

The game's Python side can die mid-session (a crash, kill -9). What the patient gave must not
die with it, so the session is written as it happens: the summary is saved at every checkpoint
(`Store.save_session`, durable), the tracking recording is appended here as it streams, and a
small resume document holds what only the running session knew (its calibration, the levels
played, the state of the flow). A restarted game side reads them and carries on under the same
session id; the finished session moves the recording next to its summary and deletes these.

Layout: ``sessions/.live/<id>.recording.jsonl`` and ``sessions/.live/<id>.resume.json``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pacewise.store.files import FILE_MODE, atomic_write, ensure_dir, fsync_dir

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
#: Recording lines are written through to the file once this many are waiting.
FLUSH_EVERY = 90


class LiveSession:
    """One session's live files; `sync()` makes everything appended so far durable."""

    def __init__(self, sessions_folder: Path, session_id: str) -> None:
        if not _ID.match(session_id):
            raise ValueError(f"not a session id: {session_id!r}")
        self.folder = sessions_folder / ".live"
        self.session_id = session_id
        self.recording_path = self.folder / f"{session_id}.recording.jsonl"
        self.resume_path = self.folder / f"{session_id}.resume.json"
        self._fd: int | None = None
        self._waiting: list[bytes] = []

    # -- recording ------------------------------------------------------------------------

    def _open(self) -> int:
        if self._fd is None:
            ensure_dir(self.folder)
            self._fd = os.open(
                self.recording_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE
            )
            os.fchmod(self._fd, FILE_MODE)
        return self._fd

    def append(self, line: str) -> None:
        """Add one recording line (written through every FLUSH_EVERY lines)."""
        self._waiting.append(line.rstrip("\n").encode() + b"\n")
        if len(self._waiting) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        if not self._waiting:
            return
        fd = self._open()
        data = memoryview(b"".join(self._waiting))
        self._waiting = []
        while data:
            data = data[os.write(fd, data) :]

    def sync(self) -> None:
        """Everything appended so far is on disk."""
        self.flush()
        if self._fd is not None:
            os.fsync(self._fd)

    def has_recording(self) -> bool:
        return self.recording_path.exists()

    def recording_lines(self) -> Iterator[str]:
        """The lines so far, less a torn last line (a kill mid-write)."""
        self.flush()
        if not self.recording_path.exists():
            return
        with self.recording_path.open("rb") as handle:
            for raw in handle:
                if raw.endswith(b"\n"):
                    yield raw[:-1].decode("utf-8", errors="replace")

    # -- resume document --------------------------------------------------------------------

    def save_state(self, state: dict[str, Any]) -> None:
        ensure_dir(self.folder)
        atomic_write(self.resume_path, json.dumps(state, sort_keys=True).encode())

    def load_state(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.resume_path.read_bytes())
        except FileNotFoundError:
            return None
        return data if isinstance(data, dict) else None

    # -- the end --------------------------------------------------------------------------

    def close(self) -> None:
        self.flush()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def discard(self) -> None:
        """The finished session is saved: the live files are no longer needed."""
        self.close()
        for path in (self.recording_path, self.resume_path):
            path.unlink(missing_ok=True)
        if self.folder.is_dir():
            fsync_dir(self.folder)


def unfinished(sessions_folder: Path) -> list[str]:
    """Ids of sessions whose live files remain (their game side died and did not resume)."""
    folder = sessions_folder / ".live"
    if not folder.is_dir():
        return []
    return sorted(p.name.removesuffix(".resume.json") for p in folder.glob("*.resume.json"))


def live_session_running(home: Path) -> bool:
    """A game side is playing in this folder now (its supervisor's `run/game.pid` is alive)."""
    try:
        pid = int((home / "run" / "game.pid").read_text(encoding="utf-8").strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return False
    return True
