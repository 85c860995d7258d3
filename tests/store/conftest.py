from __future__ import annotations

from pathlib import Path

import pytest

from pacewise.store import Store


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private PACEWISE_HOME for the test: nothing touches the real user data folder."""
    folder = tmp_path / "pacewise-home"
    monkeypatch.setenv("PACEWISE_HOME", str(folder))
    return folder


@pytest.fixture
def store(home: Path) -> Store:
    return Store.open()
