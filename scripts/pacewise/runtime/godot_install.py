"""Find or fetch a Godot >= 4.4 binary without touching the system.

Standard library only: `tools/get-godot` runs this before any virtual environment exists.
Order: `$GODOT`, a `godot` on PATH of a supported version, then Godot from Debian's `sid`
packages unpacked into a cache folder and run through the unpacked dynamic loader.
The Debian mirror comes from `$PACEWISE_DEBIAN_MIRROR` or from the machine's own apt sources.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

MIN_VERSION = (4, 4)
KEYRING = Path("/usr/share/keyrings/debian-archive-keyring.gpg")
LIB_SUBDIRS = (
    "usr/lib/x86_64-linux-gnu",
    "usr/lib/x86_64-linux-gnu/pulseaudio",
    "usr/lib/x86_64-linux-gnu/blas",
    "usr/lib/x86_64-linux-gnu/lapack",
    "usr/lib",
)
# Extra Debian packages per optional feature: CPU Vulkan for pictures, Monado for real OpenXR,
# the release template and a Python for the packaged build.
EXTRAS: dict[str, tuple[str, ...]] = {
    "render": ("mesa-vulkan-drivers",),
    "xr": ("monado-service", "libopenxr1-monado", "libopenxr-loader1", "mesa-vulkan-drivers"),
    "templates": ("godot-template-release",),
    # The packaged build's own interpreter (tools/package): Debian's default Python, no extras.
    "python": ("python3.14-minimal", "libpython3.14-stdlib"),
}


class GodotUnavailable(RuntimeError):
    """No usable Godot, with a message that says what to do instead."""


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pacewise"


def parse_version(text: str) -> tuple[int, int, int] | None:
    match = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", text)
    if not match:
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)


def probe_version(binary: str) -> str | None:
    """The version string a Godot binary prints, or None when it does not run."""
    try:
        out = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = [ln.strip() for ln in out.stdout.splitlines() if parse_version(ln)]
    return lines[-1] if out.returncode == 0 and lines else None


def supported(version: str | None) -> bool:
    parsed = parse_version(version or "")
    return parsed is not None and parsed[:2] >= MIN_VERSION


def debian_mirror() -> str:
    """The Debian archive URI: from the environment, else from this machine's apt sources."""
    env = os.environ.get("PACEWISE_DEBIAN_MIRROR")
    if env:
        return env.rstrip("/")
    candidates: list[str] = []
    sources = [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt/sources.list.d").glob("*"))]
    for path in sources:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for line in text.splitlines():
            line = line.split("#", 1)[0].strip()
            if path.suffix == ".sources" and line.startswith("URIs:"):
                candidates.extend(line.split()[1:])
            elif line.startswith("deb "):
                parts = [p for p in line.split() if not p.startswith("[")]
                if len(parts) >= 2 and "=" not in parts[1]:
                    candidates.append(parts[1])
    for uri in candidates:
        uri = uri.rstrip("/")
        if re.search(r"/debian$", uri) and "security" not in uri:
            return uri
    raise GodotUnavailable(
        "No Debian archive found in this machine's apt sources. Set PACEWISE_DEBIAN_MIRROR to a "
        "Debian mirror URI (ending in /debian), or install Godot >= 4.4 yourself and set GODOT "
        "to its binary."
    )


def _wrapper_path(root: Path) -> Path:
    return root / "godot"


def _write_wrapper(root: Path) -> Path:
    """A small launcher that runs the unpacked Godot through the unpacked loader."""
    libs = ":".join(str(root / sub) for sub in LIB_SUBDIRS)
    loader = root / "usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
    wrapper = _wrapper_path(root)
    wrapper.write_text(
        "#!/bin/sh\n"
        "# Runs Godot unpacked from Debian packages; made by tools/get-godot.\n"
        f'exec "{loader}" --library-path "{libs}" "{root}/usr/bin/godot" "$@"\n',
        encoding="utf-8",
    )
    wrapper.chmod(0o755)
    return wrapper


def _apt(root: Path, state: Path, packages: list[str]) -> None:
    mirror = debian_mirror()
    for sub in ("lists/partial", "cache/archives/partial", "etc/preferences.d", "etc/parts"):
        (state / sub).mkdir(parents=True, exist_ok=True)
    (state / "status").touch()
    signed = f"signed-by={KEYRING}" if KEYRING.exists() else "trusted=yes"
    (state / "etc/sources.list").write_text(
        f"deb [arch=amd64 {signed}] {mirror} sid main\n", encoding="utf-8"
    )
    opts = [
        "-o", "APT::Architecture=amd64",
        "-o", "APT::Architectures=amd64",
        "-o", f"Dir::State={state}",
        "-o", f"Dir::State::Lists={state / 'lists'}",
        "-o", f"Dir::State::status={state / 'status'}",
        "-o", f"Dir::Cache={state / 'cache'}",
        "-o", f"Dir::Etc::SourceList={state / 'etc/sources.list'}",
        "-o", f"Dir::Etc::SourceParts={state / 'etc/parts'}",
        "-o", f"Dir::Etc::Preferences.d={state / 'etc/preferences.d'}",
        "-o", "Debug::NoLocking=1",
        "-o", "APT::Install-Recommends=false",
        "-o", "Acquire::Languages=none",
    ]  # fmt: skip
    if os.geteuid() == 0:  # private cache folders are not readable by apt's sandbox user
        opts += ["-o", "APT::Sandbox::User=root"]
    print(f"get-godot: reading the package lists of Debian sid from {mirror}", file=sys.stderr)
    subprocess.run(["apt-get", *opts, "-q", "update"], check=True, stdout=sys.stderr)
    print(f"get-godot: downloading {' '.join(packages)} and what they need", file=sys.stderr)
    subprocess.run(
        ["apt-get", *opts, "-q", "-y", "--download-only", "install", *packages],
        check=True,
        stdout=sys.stderr,
    )
    debs = sorted((state / "cache/archives").glob("*.deb"))
    print(f"get-godot: unpacking {len(debs)} packages into {root}", file=sys.stderr)
    for i, deb in enumerate(debs, 1):
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
        if i % 25 == 0 or i == len(debs):
            print(f"get-godot: unpacked {i}/{len(debs)}", file=sys.stderr)
        deb.unlink()


def fetch_debian(extras: list[str]) -> Path:
    """Unpack Godot (and optional extras) from Debian sid into the cache; idempotent."""
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"):
        raise GodotUnavailable(
            f"Fetching Godot is supported on Linux x86_64 only (this is {platform.system()} "
            f"{platform.machine()}). Install Godot >= 4.4 from godotengine.org and set GODOT "
            "to its binary."
        )
    if shutil.which("apt-get") is None or shutil.which("dpkg-deb") is None:
        raise GodotUnavailable(
            "apt-get and dpkg-deb are needed to fetch Godot from Debian's packages (Debian or "
            "Ubuntu). Install Godot >= 4.4 yourself and set GODOT to its binary."
        )
    root = cache_root() / "debian-sid"
    wanted = ["godot"] + [pkg for name in extras for pkg in EXTRAS[name]]
    marker = root / ".pacewise-packages"
    have = set(marker.read_text(encoding="utf-8").split()) if marker.exists() else set()
    missing = [p for p in wanted if p not in have]
    if missing:
        root.mkdir(parents=True, exist_ok=True)
        _apt(root, cache_root() / "apt-state", missing)
        marker.write_text(" ".join(sorted(have | set(missing))) + "\n", encoding="utf-8")
    return _write_wrapper(root)


def unpacked_root() -> Path:
    return cache_root() / "debian-sid"


def find_godot(extras: list[str] | None = None, fetch: bool = True) -> tuple[str, str]:
    """Return (binary, version) of a usable Godot, fetching one if allowed."""
    env = os.environ.get("GODOT")
    if env:
        version = probe_version(env)
        if not supported(version):
            raise GodotUnavailable(
                f"GODOT={env} is not a working Godot >= 4.4 (it reported {version!r}). "
                "Unset GODOT to use the one tools/get-godot provides."
            )
        return env, str(version)
    on_path = shutil.which("godot")
    if on_path and not extras:
        version = probe_version(on_path)
        if supported(version):
            return on_path, str(version)
    wrapper = _wrapper_path(unpacked_root())
    marker = unpacked_root() / ".pacewise-packages"
    have = set(marker.read_text(encoding="utf-8").split()) if marker.exists() else set()
    needed = {pkg for name in extras or [] for pkg in EXTRAS[name]} | {"godot"}
    if not (wrapper.exists() and needed <= have):
        if not fetch:
            raise GodotUnavailable("Godot is not fetched yet: run tools/get-godot")
        wrapper = fetch_debian(extras or [])
    version = probe_version(str(wrapper))
    if not supported(version):
        raise GodotUnavailable(
            f"The unpacked Godot at {wrapper} reported {version!r}, not >= 4.4. Remove "
            f"{unpacked_root()} and run tools/get-godot again, or set GODOT."
        )
    return str(wrapper), str(version)


def main(argv: list[str]) -> int:
    extras = [a.split("=", 1)[1] for a in argv if a.startswith("--with=")]
    extras = [e for group in extras for e in group.split(",") if e]
    unknown = [e for e in extras if e not in EXTRAS]
    if unknown or any(a not in ("--quiet",) and not a.startswith("--with=") for a in argv):
        print(
            "usage: get-godot [--quiet] [--with=render,xr,templates,python]\n"
            "Prints the path of a Godot >= 4.4 binary on stdout, fetching it when needed.",
            file=sys.stderr,
        )
        return 2
    try:
        binary, version = find_godot(extras)
    except GodotUnavailable as exc:
        print(f"get-godot: {exc}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as exc:
        print(
            f"get-godot: a download step failed ({exc}). Check the network, or set GODOT.",
            file=sys.stderr,
        )
        return 1
    if "--quiet" not in argv:
        print(f"get-godot: Godot {version}", file=sys.stderr)
    print(binary)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
