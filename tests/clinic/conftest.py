"""A private PACEWISE_HOME with four months of generated data, and a real dashboard server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pacewise.clinic.live import Client, Live, running
from pacewise.clinic.sample_data import fill
from pacewise.store import Store

#: The dashboard's "now": every test sees the same today, whatever the real date.
NOW = datetime(2025, 5, 10, 12, 0, tzinfo=UTC)
START = NOW - timedelta(days=125)


@pytest.fixture(scope="session")
def sample_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("sample") / "home"
    fill(Store.open(home), start=START, days=120, sessions=80, diary=110, seed=7)
    return home


@pytest.fixture
def home(sample_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the sample data for each test, as PACEWISE_HOME."""
    folder = tmp_path / "pacewise-home"
    shutil.copytree(sample_home, folder)
    monkeypatch.setenv("PACEWISE_HOME", str(folder))
    return folder


@pytest.fixture
def live(home: Path) -> Iterator[Live]:
    with running(home, clock=lambda: NOW, tz=UTC) as server:
        yield server


@pytest.fixture
def client(live: Live) -> Client:
    """A client signed in with the one-time token."""
    c = live.client()
    reply = c.login(live.guard.token)
    assert reply.status == 303 and c.cookie
    return c
