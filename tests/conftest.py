"""Shared fixtures: a real Godot (skipped only outside CI), and a private data folder."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
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


def need(what: str, ok: bool) -> None:
    """Skip outside CI when a part is missing (naming it); under CI a missing part fails."""
    if ok:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required under CI")
    pytest.skip(f"{what} is missing")


@pytest.fixture
def need_part() -> Callable[[str, bool], None]:
    """`need` for tests and fixtures outside this file."""
    return need


@pytest.fixture
def virtual_display(godot: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private Xvfb with Mesa's CPU Vulkan for Godot windows; sets the env, yields DISPLAY."""
    import shutil
    import subprocess
    import time

    from pacewise.runtime.godot_install import unpacked_root

    need("Xvfb (apt-get install xvfb)", shutil.which("Xvfb") is not None)
    try:
        find_godot(["render"], fetch=bool(os.environ.get("CI")))
    except GodotUnavailable as exc:
        need(f"lavapipe (tools/get-godot --with=render): {exc}", False)
    icd = unpacked_root() / "usr/share/vulkan/icd.d/lvp_icd.json"
    need("lavapipe", icd.is_file())
    number = 120
    while Path(f"/tmp/.X11-unix/X{number}").exists() or Path(f"/tmp/.X{number}-lock").exists():
        number += 1
    display = f":{number}"
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1280x720x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                break
            time.sleep(0.05)
        for key, value in {
            "DISPLAY": display,
            "VK_ICD_FILENAMES": str(icd),
            "VK_DRIVER_FILES": str(icd),
            "PACEWISE_GODOT_AUDIO": "Dummy",
        }.items():
            monkeypatch.setenv(key, value)
        yield display
    finally:
        xvfb.terminate()
        xvfb.wait(10)


@pytest.fixture
def xdotool() -> str:
    """xdotool, to type into Godot windows under Xvfb."""
    import shutil

    path = shutil.which("xdotool")
    need("xdotool (apt-get install xdotool)", path is not None)
    assert path is not None
    return path
