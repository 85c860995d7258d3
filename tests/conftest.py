"""Shared fixtures: a real Godot (skipped only outside CI), and a private data folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from pacewise.runtime.godot_install import GodotUnavailable, find_godot


@pytest.fixture(scope="session")
def godot() -> str:
    """Path of a Godot >= 4.4; `make test` fetches it first. Missing under CI is a failure."""
    try:
        binary, _version = find_godot(fetch=bool(os.environ.get("CI")))
    except GodotUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Godot is required under CI: {exc}")
        pytest.skip(f"Godot is missing (run tools/get-godot): {exc}")
    return binary


@pytest.fixture
def pacewise_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    monkeypatch.setenv("PACEWISE_HOME", str(home))
    yield home
