"""The local store: one private folder of human-readable JSON files.

See docs/store.md for the layout on disk, how writes are made durable and atomic, the locks,
schema versions and recovery. The store imports only the domain layer.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

import platformdirs

from pacewise.domain.pain import PainEntry
from pacewise.domain.prescription import Prescription, PrescriptionVersion
from pacewise.domain.profile import Profile
from pacewise.domain.session import SessionRecord
from pacewise.store import health, synthetic
from pacewise.store.errors import Problem
from pacewise.store.files import DIR_MODE, ensure_dir
from pacewise.store.live import LiveSession, live_session_running, unfinished
from pacewise.store.loaded import Loaded
from pacewise.store.pain import PainJournal
from pacewise.store.plans import PlanHistory
from pacewise.store.profile import ProfileFile
from pacewise.store.sessions import SessionFiles


def default_home() -> Path:
    """`$PACEWISE_HOME`, else the platform's user data folder for Pacewise."""
    env = os.environ.get("PACEWISE_HOME")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("pacewise", appauthor=False))


class Store:
    """Open with `Store.open()`; cheap to create, safe to use from several processes at once.

    Every write returns only once it is durable; every read reports damage instead of hiding
    it (the `load_*` methods return the problems, the plain ones raise DamagedFileError).
    """

    def __init__(self, home: Path) -> None:
        self.home = home
        locks = home / "locks"
        self._folders = [
            locks,
            home / "pain",
            home / "mirror",
            home / "sessions",
            home / "sessions" / ".incoming",
            home / "prescription",
        ]
        self.pain = PainJournal(home / "pain", locks / "pain.lock", home / "mirror" / "pain.jsonl")
        self.session_files = SessionFiles(home / "sessions", locks / "sessions.lock")
        self.plans = PlanHistory(home / "prescription", locks / "prescription.lock")
        self.profile_file = ProfileFile(home / "profile.json", locks / "profile.lock")

    @classmethod
    def open(cls, home: Path | None = None) -> Store:
        store = cls((home or default_home()).expanduser().absolute())
        ensure_dir(store.home)
        if store.home.stat().st_mode & 0o077:
            store.home.chmod(DIR_MODE)
        for folder in store._folders:
            ensure_dir(folder)
            if folder.stat().st_mode & 0o077:
                folder.chmod(DIR_MODE)
        store.pain.migrate()
        return store

    # pain ---------------------------------------------------------------------------------

    def add_pain(self, entry: PainEntry) -> PainEntry:
        """Append a pain entry; returns only once it is on disk (file and folder fsynced)."""
        return self.pain.add(entry)

    def load_pain(self, since: datetime | None = None) -> Loaded[PainEntry]:
        return self.pain.load(since)

    def pain_entries(self, since: datetime | None = None) -> list[PainEntry]:
        """Pain entries at or after `since`, oldest first; DamagedFileError names bad lines."""
        return self.pain.load(since).strict()

    # sessions -----------------------------------------------------------------------------

    def save_session(self, record: SessionRecord, recording: Iterable[str] | None = None) -> Path:
        """Save or replace a session summary (and its recording, JSON Lines v1); durable.

        Returns the summary file's path. Saving again without a recording keeps the one saved
        before, so the game can save progress during a session and the recording at the end.
        """
        synthetic.guard(self.home, record)
        return self.session_files.save(record, recording)

    def live(self, session_id: str) -> LiveSession:
        """The live files of a session being played (see store/live.py)."""
        return LiveSession(self.home / "sessions", session_id)

    def load_sessions(self) -> Loaded[SessionRecord]:
        return self.session_files.load()

    def sessions(self) -> list[SessionRecord]:
        """Every session summary, oldest first; DamagedFileError names each bad file."""
        return self.session_files.load().strict()

    def session(self, session_id: str) -> SessionRecord | None:
        return next((s for s in self.sessions() if s.id == session_id), None)

    def load_recording(self, session_id: str) -> Iterator[str]:
        """The session's recording line by line (no newlines), after checking its checksum."""
        return self.session_files.recording(session_id)

    # prescription -------------------------------------------------------------------------

    def prescription(self) -> PrescriptionVersion:
        """The plan in force (revision 0 is the default plan for a new patient)."""
        return self.plans.current()

    def set_prescription(
        self, prescription: Prescription, by: str, at: datetime, note: str | None = None
    ) -> PrescriptionVersion:
        """Validate and save a new revision; InvalidInputError lists every problem."""
        return self.plans.set(prescription, by, at, note)

    def prescription_history(self) -> list[PrescriptionVersion]:
        return self.plans.history().strict()

    # profile ------------------------------------------------------------------------------

    def profile(self) -> Profile:
        return self.profile_file.get()

    def save_profile(self, profile: Profile) -> Profile:
        return self.profile_file.save(profile)

    # health -------------------------------------------------------------------------------

    def check(self, *, deep: bool = True) -> list[Problem]:
        """Every problem anywhere in the store (empty when all is well).

        Covers every data file, the pain journal against its mirror, recordings (deep: by
        checksum, else by size), leftovers of writes cut short, and permissions.
        """
        found: list[Problem] = []
        found += self.pain.load().problems
        found += self.session_files.load().problems
        found += self.session_files.index_map()[1]
        found += self.plans.history().problems
        found += self.scan(deep=deep)
        return found

    def scan(self, *, deep: bool = False) -> list[Problem]:
        """What the dashboard's loads do not see: the profile, recordings, leftovers and
        permissions (cheap: no journal is parsed; recordings by size unless `deep`)."""
        found = self.profile_file.problems()
        found += self.pain.tail_problems()
        found += self.session_files.recording_problems(deep=deep)
        found += health.leftover_problems(self.home)
        found += health.permission_problems(self.home)
        found += self._unfinished_problems()
        return found

    def _unfinished_problems(self) -> list[Problem]:
        """Sessions whose game stopped for good mid-session (a crash, power loss)."""
        if live_session_running(self.home):
            return []
        return [
            Problem(
                self.live(sid).resume_path,
                f"session {sid} stopped unexpectedly while it was being played; what it saved "
                "is kept, but it is not yet closed",
                recoverable=True,
                fix="pacewise recover (or the next session) saves it as cut short",
            )
            for sid in unfinished(self.home / "sessions")
        ]

    def finish_unfinished(self, keep: str | None = None) -> list[str]:
        """Save the sessions whose game side died and never resumed, as cut short; their ids."""
        saved = []
        for session_id in unfinished(self.home / "sessions"):
            if session_id == keep:
                continue
            live = self.live(session_id)
            record = self.session(session_id)
            if record is not None:
                self.save_session(record, live.recording_lines() if live.has_recording() else None)
                saved.append(session_id)
            live.discard()
        return saved

    def recover(self) -> list[str]:
        """Repair what can be repaired from the last good copies; damaged files are kept."""
        actions: list[str] = []
        actions += health.recover_permissions(self.home)
        actions += health.recover_leftovers(self.home)
        actions += self.pain.recover()
        actions += self.session_files.recover()
        actions += self.session_files.recover_recordings()
        actions += self.plans.recover()
        actions += self.profile_file.recover()
        if not live_session_running(self.home):
            actions += [
                f"saved the unfinished session {sid} as cut short"
                for sid in self.finish_unfinished()
            ]
        return actions
