"""The packaged Linux build plays a whole session with nothing but its own folder.

Builds the package the way `make package` does (the export with Debian's release template, its
libraries and loader, the Python side), moves away from the repository, and runs the folder's
`play demo --json` with a clean environment: no project, no virtual environment, no Godot.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pacewise.runtime.godot_install import GodotUnavailable, find_godot

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    try:
        find_godot(["templates"], fetch=bool(os.environ.get("CI")))
    except GodotUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Godot's export templates are required under CI: {exc}")
        pytest.skip(
            f"Debian's export template is missing (tools/get-godot --with=templates): {exc}"
        )
    out = tmp_path_factory.mktemp("pkg") / "pacewise-linux"
    build = subprocess.run(
        [str(REPO / "tools/package"), str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    return out


@pytest.mark.slow
@pytest.mark.godot
def test_packaged_folder_plays_a_headless_session(package: Path, tmp_path: Path) -> None:
    assert (package / "play").is_file() and os.access(package / "play", os.X_OK)
    assert (package / "game/pacewise.pck").is_file()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copytree(package, elsewhere / "pacewise-linux", symlinks=True)
    keep = ("HOME", "LANG", "TMPDIR", "XDG_CACHE_HOME")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env["PATH"] = f"{Path(sys.executable).resolve().parent}:/usr/bin:/bin"
    env["PACEWISE_HOME"] = str(tmp_path / "home")
    run = subprocess.run(
        ["./pacewise-linux/play", "demo", "--json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    summary = json.loads(run.stdout)
    assert summary["godot_problems"] == []
    assert summary["godot_version"].startswith("4.")
    assert summary["store_path"] and Path(summary["store_path"]).is_file()
    names = [level["name"] for level in summary["levels"]]
    assert "reach" in names and len(names) >= 1
    assert summary["pain_before"] is not None and summary["pain_after"] is not None
