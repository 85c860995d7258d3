"""The packaged Linux build plays on a machine that has no Python and none of our tools.

Builds the folder the way `make package` does, then the .deb and the tarball from it, installs
the .deb into a throwaway root with dpkg, and plays a short demo from each with a `PATH` that
holds no Python at all and an environment without the project, the virtual environment or Godot.
One build serves every test here (about two minutes in all).
"""

from __future__ import annotations

import configparser
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import time
from pathlib import Path

import pytest

import pacewise
from pacewise.runtime.godot_install import GodotUnavailable, find_godot, unpacked_root

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


def play_demo(command: Path, cwd: Path, env: dict[str, str], data: Path) -> dict[str, object]:
    """A demo into its own folder `data` (the synthetic patient never uses the patient's)."""
    run = subprocess.run(
        [str(command), "demo", "--json", "--levels", "reach", "--data-dir", str(data)],
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
    assert Path(str(summary["store_path"])).is_relative_to(data)
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


def test_deb_holds_root_owned_files_nobody_else_can_write(deb: Path) -> None:
    tar = subprocess.run(
        ["dpkg-deb", "--fsys-tarfile", str(deb)], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        members = archive.getmembers()
    assert members[0].name == "." and members[0].mode == 0o755  # becomes the system's "/"
    writable = [m.name for m in members if not m.issym() and m.mode & 0o022]
    assert writable == []
    assert {(m.uid, m.gid) for m in members} == {(0, 0)}
    names = {m.name for m in members}
    assert {"./usr/bin/pacewise", "./opt/pacewise/pacewise"} <= names


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
    # A patient's own Python settings, pointing nowhere: the build's Python must ignore them.
    env = {
        "PATH": no_python_path(tmp_path),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PYTHONHOME": str(tmp_path / "no-such-python"),
        "PYTHONPATH": str(tmp_path / "no-such-site"),
    }
    version = subprocess.run(
        [str(launcher), "--version"], env=env, capture_output=True, text=True, check=False
    )
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"pacewise {pacewise.__version__}"
    # A process started with sys.executable (how a supervisor starts the Python side) runs the
    # build's Python the same way: `python -m pacewise.cli.main` works from it.
    child = subprocess.run(
        [
            str(root / "opt/pacewise/python/bin/python3"),
            "-c",
            "import subprocess, sys; sys.exit(subprocess.call("
            "[sys.executable, '-m', 'pacewise.cli.main', '--version']))",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    assert child.stdout.strip() == f"pacewise {pacewise.__version__}"

    installed = files_under(root / "opt/pacewise")
    play_demo(launcher, tmp_path, env, tmp_path / "demo data")
    assert files_under(root / "opt/pacewise") == installed  # nothing written into the install
    # The patient's own record, in the default data folder: a pain score they gave.
    given = subprocess.run(
        [str(launcher), "pain", "add", "--score", "4"], env=env, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert given.returncode == 0, given.stdout + given.stderr
    data = home / ".local/share/pacewise"
    kept = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    assert any(p.name == "pain.jsonl" for p in kept)

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
    play_demo(folder / "play", elsewhere, env, tmp_path / "demo data")


def test_window_is_titled_pacewise(
    built: tuple[Path, str], virtual_display: str, xdotool: str, tmp_path: Path
) -> None:
    """The packaged game's window under Xvfb: "Pacewise", as a patient sees it in the task bar."""
    folder, _log = built
    copy = tmp_path / "pacewise-linux"
    shutil.copytree(folder, copy, symlinks=True, copy_function=os.link)
    # The machine's GPU driver: Mesa's CPU Vulkan from Debian's tree, where the game's loader
    # finds libraries (a real system's driver comes from its own library folders).
    libs = unpacked_root() / "usr/lib/x86_64-linux-gnu"
    listed = subprocess.run(
        [str(libs / "ld-linux-x86-64.so.2"), "--library-path", str(libs), "--list",
         str(libs / "libvulkan_lvp.so")],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    driver = [libs / "libvulkan_lvp.so"] + [
        Path(f.split()[2]) for f in listed.splitlines() if " => /" in f
    ]
    for lib in driver:
        if not (copy / "game/lib" / lib.name).exists():
            (copy / "game/lib" / lib.name).symlink_to(lib)
    env = os.environ | {"PACEWISE_HOME": str(tmp_path / "home")}
    log = tmp_path / "game.log"
    with log.open("w") as out:
        game = subprocess.Popen(
            [str(copy / "pacewise"), "demo", "--no-headless", "--levels", "reach"],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    title = None
    try:
        deadline = time.monotonic() + 90
        while title is None and time.monotonic() < deadline and game.poll() is None:
            time.sleep(0.5)
            found = subprocess.run(
                [xdotool, "search", "--name", "."], env=env, capture_output=True, text=True
            ).stdout.split()
            names = [
                subprocess.run(
                    [xdotool, "getwindowname", w], env=env, capture_output=True, text=True
                ).stdout.strip()
                for w in found
            ]
            # Godot names its window "Godot" until the project's title is set.
            title = next((n for n in names if n and n != "Godot"), None)
    finally:
        if game.poll() is None:
            os.killpg(game.pid, 15)
        game.wait(30)
    assert title == "Pacewise", log.read_text()[-3000:]
