"""Folders for the synthetic patient: demo sessions never enter a patient's own record.

A data folder is either a patient's or a synthetic one, marked by a `SYNTHETIC` file at its top.
The demo (and `make play` with no display) plays into a fresh throwaway folder, or into a folder
given with `--data-dir` that is empty or already marked. A synthetic session is refused by a
patient's folder, so its pain scores and sessions can never reach pacing, the dashboard, the
reports or FHIR.
"""

from __future__ import annotations

from pathlib import Path

from pacewise.domain.session import SessionRecord
from pacewise.store.errors import InvalidInputError
from pacewise.store.files import FILE_MODE, ensure_dir

MARK = "SYNTHETIC"
_TEXT = (
    "This folder holds sessions played by Pacewise's synthetic patient (pacewise demo).\n"
    "None of it is a patient's data.\n"
)


def is_synthetic(home: Path) -> bool:
    return (home / MARK).is_file()


def prepare(home: Path) -> Path:
    """Make `home` a synthetic folder; refuse a folder that already holds a patient's data."""
    home = home.expanduser().absolute()
    if home.exists() and not home.is_dir():
        raise InvalidInputError(f"{home} is not a folder")
    if home.is_dir() and not is_synthetic(home) and any(home.iterdir()):
        raise InvalidInputError(
            f"{home} holds other data and is not a synthetic folder: the synthetic patient "
            "only plays into an empty folder or one it made"
        )
    ensure_dir(home)
    mark = home / MARK
    if not mark.exists():
        mark.write_text(_TEXT, encoding="utf-8")
        mark.chmod(FILE_MODE)
    return home


def guard(home: Path, record: SessionRecord) -> None:
    """Refuse a synthetic session in a patient's folder."""
    if record.synthetic and not is_synthetic(home):
        raise InvalidInputError(
            f"session {record.id} was played by the synthetic patient; it cannot be saved in "
            f"the patient's data folder {home}"
        )
