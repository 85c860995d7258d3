"""The patient's profile: one small document, with the previous good version kept as .bak."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from pacewise.domain.profile import Profile
from pacewise.store import documents
from pacewise.store.errors import RECOVER, DamagedFileError, InvalidInputError, Problem
from pacewise.store.files import atomic_write, fsync_dir
from pacewise.store.loaded import describe
from pacewise.store.lock import locked


class ProfileFile:
    def __init__(self, path: Path, lock: Path) -> None:
        self.path = path
        self.backup = path.with_name(path.name + ".bak")
        self.lock = lock

    def _read(self, path: Path) -> Profile | Problem | None:
        doc = documents.read(path, "profile")
        if doc is None or isinstance(doc, Problem):
            return doc
        try:
            return Profile.model_validate(doc.get("profile"))
        except ValidationError as error:
            return Problem(path, describe(error))

    def get(self) -> Profile:
        result = self._read(self.path)
        if isinstance(result, Problem):
            good_backup = isinstance(self._read(self.backup), Profile)
            raise DamagedFileError([Problem(result.path, result.what, recoverable=good_backup)])
        return result or Profile()

    def problems(self) -> list[Problem]:
        result = self._read(self.path)
        if isinstance(result, Problem):
            good_backup = isinstance(self._read(self.backup), Profile)
            fix = f"{RECOVER}: it restores {self.backup.name}" if good_backup else ""
            return [Problem(result.path, result.what, recoverable=good_backup, fix=fix)]
        return []

    def save(self, profile: Profile) -> Profile:
        if not isinstance(profile, Profile):
            raise InvalidInputError("save_profile expects a Profile")
        with locked(self.lock):
            current = self._read(self.path)
            if isinstance(current, Problem):
                documents.set_aside(self.path)
            elif current is not None:
                self.backup.unlink(missing_ok=True)
                _link(self.path, self.backup)
            atomic_write(
                self.path, documents.encode("profile", {"profile": profile.model_dump(mode="json")})
            )
        return profile

    def recover(self) -> list[str]:
        with locked(self.lock):
            if not isinstance(self._read(self.path), Problem):
                return []
            if not isinstance(self._read(self.backup), Profile):
                return [f"cannot recover {self.path}: no good earlier copy"]
            aside = documents.set_aside(self.path)
            atomic_write(self.path, self.backup.read_bytes())
            return [
                f"kept the damaged {self.path.name} as {aside.name}",
                f"restored {self.path} from {self.backup.name}",
            ]


def _link(source: Path, target: Path) -> None:
    target.hardlink_to(source)
    fsync_dir(target.parent)
