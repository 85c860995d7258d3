"""The recorder: makes the session durable as it happens, and says so when it cannot.

Each answer, finished level and pause is saved when it happens (the session summary is saved
again at each checkpoint, with `stopped` saying it is still running), the tracking recording
streams into the store's live files, and a resume document lets a restarted game side carry on
under the same session id. Any failure of the disk (full, read-only, gone) becomes one
`StoreFailure`, which the session turns into a calm message and a clean, non-zero end.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, TypeVar

from pacewise.domain.pain import ExposureCheck, PainEntry, PainKind, new_pain_entry
from pacewise.domain.session import SessionRecord
from pacewise.store.errors import InvalidInputError
from pacewise.store.live import LiveSession
from pacewise.store.store import Store
from pacewise.store.synthetic import is_synthetic

log = logging.getLogger(__name__)
T = TypeVar("T")
#: What a summary saved mid-session says, so a session whose game died reads as cut short.
IN_PROGRESS = "the session did not finish (it was still being played when last saved)"


class StoreFailure(RuntimeError):
    """The data folder cannot be written (full disk, read-only, removed)."""


class Recorder:
    def __init__(self, store: Store | None, session_id: str, clock: Callable[[], datetime]):
        self.store = store
        self.session_id = session_id
        self._clock = clock
        self.live: LiveSession | None = store.live(session_id) if store is not None else None
        self.saved_path: str | None = None
        self.failed: str | None = None
        #: The synthetic patient plays: refuse every write to a patient's folder.
        self.synthetic = False
        self._folder_is_synthetic: bool | None = None

    def _guarded(self, what: str, fn: Callable[[], T]) -> T:
        if self.failed is not None:
            raise StoreFailure(self.failed)
        try:
            if self.synthetic and not self._synthetic_folder():
                raise InvalidInputError(
                    "the synthetic patient never saves into a patient's folder "
                    f"({self.store.home if self.store else '?'})"
                )
            return fn()
        except (OSError, InvalidInputError) as exc:
            self.failed = (
                f"could not save {what} in {self.store.home if self.store else '?'}: {exc}"
            )
            log.error("%s", self.failed)
            raise StoreFailure(self.failed) from exc

    def _synthetic_folder(self) -> bool:
        """Whether the folder is a synthetic one (looked at once: a folder never changes kind)."""
        if self._folder_is_synthetic is None:
            self._folder_is_synthetic = self.store is not None and is_synthetic(self.store.home)
        return self._folder_is_synthetic

    # -- what the patient gives, saved at once ---------------------------------------------

    def pain(
        self,
        score: int,
        kind: PainKind,
        *,
        note: str | None = None,
        exposure: ExposureCheck | None = None,
    ) -> PainEntry | None:
        if self.store is None:
            return None
        store = self.store
        entry = new_pain_entry(
            score, kind, self._clock(), session_id=self.session_id, note=note, exposure=exposure
        )
        return self._guarded("a pain score", lambda: store.add_pain(entry))

    def checkpoint(self, record: SessionRecord, state: dict[str, Any]) -> None:
        """Save the summary so far (marked as still running) and what a restart resumes from."""
        if self.store is None or self.live is None:
            return
        store, live = self.store, self.live
        running = record.model_copy(update={"stopped": record.stopped or IN_PROGRESS})

        def save() -> None:
            live.sync()
            live.save_state(state)
            store.save_session(running)

        self._guarded("the session so far", save)

    def frame(self, line: str) -> None:
        if self.live is None or self.failed is not None:
            return
        live = self.live
        self._guarded("the tracking recording", lambda: live.append(line))

    def resume_state(self) -> dict[str, Any] | None:
        return self.live.load_state() if self.live is not None else None

    def has_recording(self) -> bool:
        return self.live is not None and self.live.has_recording()

    def recording(self) -> Iterator[str]:
        return self.live.recording_lines() if self.live is not None else iter(())

    # -- the end ------------------------------------------------------------------------------

    def finish(self, record: SessionRecord) -> None:
        """Save the whole session with its recording; the live files go."""
        if self.store is None or self.live is None:
            return
        store, live = self.store, self.live

        def save() -> str:
            live.sync()
            path = store.save_session(record, live.recording_lines())
            live.discard()
            return str(path)

        self.saved_path = self._guarded("the session", save)

    def salvage(self, record: SessionRecord) -> None:
        """After a failure: try once more to keep what can be kept, quietly."""
        if self.store is None:
            return
        self.failed = None
        with contextlib.suppress(StoreFailure):
            self.finish(record)
