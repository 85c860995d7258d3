"""The packaged Linux build plays on a machine that has no Python and none of our tools.

Builds the folder the way `make package` does, then the .deb and the tarball from it, installs
the .deb into a throwaway root with dpkg, and plays a short demo from each with a `PATH` that
holds no Python at all and an environment without the project, the virtual environment or Godot.
One build serves every test here (about two minutes in all).
"""

from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

import pacewise
from pacewise.runtime.godot_install import GodotUnavailable, find_godot

REPO = Path(__file__).resolve().parents[2]
DEV_ONLY = ("pytest", "mypy", "ruff", "playwright", "hypothesis", "gdtoolkit", "fhir")
pytestmark = [pytest.mark.slow, pytest.mark.godot]


def _build(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"PACEWISE_COMPRESS_LEVEL": "1"}
    run = subprocess.run(
        cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return run


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The package folder and what `tools/package` printed."""
    try:
        find_godot(["templates", "python"], fetch=bool(os.environ.get("CI")))
    except GodotUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Debian's export template and Python are required under CI: {exc}")
        pytest.skip(f"Debian's template or Python is missing (tools/get-godot): {exc}")
    need_tools = [t for t in ("dpkg", "dpkg-deb", "tar", "gzip") if shutil.which(t) is None]
    if need_tools and os.environ.get("CI"):
        pytest.fail(f"missing under CI: {need_tools}")
    if need_tools:
        pytest.skip(f"missing: {need_tools}")
    out = tmp_path_factory.mktemp("pkg") / "pacewise-linux"
    run = _build([str(REPO / "tools/package"), str(out)])
    return out, run.stderr


@pytest.fixture(scope="module")
def deb(built: tuple[Path, str]) -> Path:
    folder, _log = built
    _build([str(REPO / "tools/package-deb"), str(folder), str(folder.parent)])
    return folder.parent / f"pacewise_{pacewise.__version__}_amd64.deb"


@pytest.fixture(scope="module")
def tarball(built: tuple[Path, str]) -> Path:
    folder, _log = built
    _build([str(REPO / "tools/package-tarball"), str(folder), str(folder.parent)])
    return folder.parent / f"pacewise-{pacewise.__version__}-linux-x86_64.tar.gz"


def no_python_path(tmp_path: Path) -> str:
    """A PATH with only what the launchers call (readlink), and certainly no Python."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    readlink = shutil.which("readlink")
    assert readlink is not None
    (bin_dir / "readlink").symlink_to(readlink)
    path = str(bin_dir)
    for name in ("python", "python3", "python3.11", "python3.12", "python3.13", "python3.14"):
        assert shutil.which(name, path=path) is None
    return path


def play_demo(command: Path, cwd: Path, env: dict[str, str]) -> dict[str, object]:
    run = subprocess.run(
        [str(command), "demo", "--json", "--levels", "reach"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "SCRIPT ERROR" not in run.stderr
    summary: dict[str, object] = json.loads(run.stdout)
    assert summary["godot_problems"] == []
    assert str(summary["godot_version"]).startswith("4.")
    levels = summary["levels"]
    assert isinstance(levels, list) and [level["name"] for level in levels] == ["reach"]
    assert summary["pain_before"] is not None and summary["pain_after"] is not None
    assert summary["store_path"] and Path(str(summary["store_path"])).is_file()
    return summary


def files_under(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_build_reports_its_sizes_and_carries_no_dev_tools(built: tuple[Path, str]) -> None:
    folder, log = built
    sizes = re.search(r"total ([\d.]+) MB, Godot side ([\d.]+) MB, Python side ([\d.]+) MB", log)
    assert sizes, log
    total, godot, python = (float(x) for x in sizes.groups())
    assert godot > 50 and python > 10 and abs(total - godot - python) < 2
    site = folder / "python/lib/python3/dist-packages"
    names = {p.name.lower() for p in site.iterdir()}
    assert "numpy" in names and "pydantic" in names
    assert not [n for n in names if n.startswith(DEV_ONLY)], names
    # A release template: the engine's debug builds title the window "... (DEBUG)".
    assert b"(DEBUG)" not in (folder / "game/pacewise.x86_64").read_bytes()


def test_deb_installs_plays_without_python_and_removal_keeps_the_data(
    deb: Path, tmp_path: Path
) -> None:
    root = tmp_path / "root"
    (root / "var/lib/dpkg/updates").mkdir(parents=True)
    (root / "var/lib/dpkg/info").mkdir()
    (root / "var/lib/dpkg/status").touch()
    dpkg = ["dpkg", f"--root={root}"]
    if os.geteuid() != 0:
        dpkg.append("--force-not-root")
    install = subprocess.run([*dpkg, "-i", str(deb)], capture_output=True, text=True, check=False)
    assert install.returncode == 0, install.stdout + install.stderr

    launcher = root / "usr/bin/pacewise"
    assert launcher.is_symlink() and launcher.resolve() == root / "opt/pacewise/pacewise"
    desktop = configparser.ConfigParser(interpolation=None)
    desktop.read(root / "usr/share/applications/pacewise.desktop")
    entry = desktop["Desktop Entry"]
    assert entry["Name"] == "Pacewise" and entry["Exec"].split()[0] == "pacewise"
    assert (root / f"usr/share/icons/hicolor/scalable/apps/{entry['Icon']}.svg").is_file()

    home = root / "home/patient"
    home.mkdir(parents=True)
    env = {"PATH": no_python_path(tmp_path), "HOME": str(home), "LANG": "C.UTF-8"}
    version = subprocess.run(
        [str(launcher), "--version"], env=env, capture_output=True, text=True, check=False
    )
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"pacewise {pacewise.__version__}"

    installed = files_under(root / "opt/pacewise")
    summary = play_demo(launcher, tmp_path, env)
    store = Path(str(summary["store_path"]))
    data = home / ".local/share/pacewise"
    assert store.is_relative_to(data)
    assert files_under(root / "opt/pacewise") == installed  # nothing written into the install
    kept = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    assert store in kept

    remove = subprocess.run(
        [*dpkg, "--remove", "pacewise"], capture_output=True, text=True, check=False
    )
    assert remove.returncode == 0, remove.stdout + remove.stderr
    assert not (root / "opt/pacewise").exists() and not launcher.is_symlink()
    assert not (root / "usr/share/applications/pacewise.desktop").exists()
    assert {p: p.read_bytes() for p in data.rglob("*") if p.is_file()} == kept


def test_tarball_plays_from_a_path_with_a_space(tarball: Path, tmp_path: Path) -> None:
    place = tmp_path / "My Games"
    place.mkdir()
    with tarfile.open(tarball) as archive:
        top = {name.split("/", 1)[0] for name in archive.getnames()}
        assert top == {f"pacewise-{pacewise.__version__}-linux-x86_64"}
        archive.extractall(place, filter="tar")
    folder = place / top.pop()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        "PATH": no_python_path(tmp_path),
        "HOME": str(tmp_path / "patient"),
        "PACEWISE_HOME": str(tmp_path / "patient data"),
        "LANG": "C.UTF-8",
    }
    summary = play_demo(folder / "play", elsewhere, env)
    assert Path(str(summary["store_path"])).is_relative_to(tmp_path / "patient data")
