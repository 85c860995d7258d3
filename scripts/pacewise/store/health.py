"""What a killed writer or a careless hand leaves in the data folder, found and put right.

Two kinds of trouble that no single file's reader sees:

* Leftovers: temporary files of a write cut short (``.<name>.tmp-<pid>-<hex>``, anywhere) and
  recordings staged in ``sessions/.incoming/``. None of them was ever confirmed as saved, but
  a recording may be the only copy of a session's movements, so `recover` moves them to
  ``leftovers/`` (kept, never deleted). A file whose writer is still running is left alone.
* Permissions: health data must be readable by its owner only (0600 files, 0700 folders);
  anything looser is reported and `recover` narrows it.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from pacewise.store.errors import RECOVER, Problem
from pacewise.store.files import DIR_MODE, FILE_MODE, ensure_dir, fsync_dir

#: Where `recover` keeps leftovers; it is not scanned again.
LEFTOVERS = "leftovers"
_TEMP = re.compile(r"^\..+\.tmp-(\d+)-[0-9a-f]+$")


def _walk(home: Path) -> Iterator[tuple[Path, os.stat_result]]:
    """Every file and folder under `home` (not following links), the leftovers aside."""
    stack = [home]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            continue
        for entry in entries:
            path = Path(entry.path)
            if folder == home and entry.name == LEFTOVERS:
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            yield path, info
            if stat.S_ISDIR(info.st_mode):
                stack.append(path)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def leftovers(home: Path) -> list[Path]:
    found = []
    for path, info in _walk(home):
        if not stat.S_ISREG(info.st_mode):
            continue
        match = _TEMP.match(path.name)
        staged = path.parent == home / "sessions" / ".incoming"
        if (match and not _running(int(match.group(1)))) or (match is None and staged):
            found.append(path)
    return sorted(found)


def leftover_problems(home: Path) -> list[Problem]:
    problems = []
    for path in leftovers(home):
        staged = path.parent.name == ".incoming"
        what = (
            "a recording staged by a save that was cut short (never confirmed as saved)"
            if staged
            else "a temporary file of a write that was cut short (never confirmed as saved)"
        )
        fix = f"{RECOVER}: it moves the file to {home / LEFTOVERS}, kept"
        problems.append(Problem(path, what, recoverable=True, fix=fix))
    return problems


def recover_leftovers(home: Path) -> list[str]:
    actions = []
    for path in leftovers(home):
        folder = ensure_dir(home / LEFTOVERS)
        rel = path.relative_to(home).as_posix().replace("/", "--")
        target = folder / rel.lstrip(".")
        if target.exists():
            target = folder / f"{target.name}-{os.urandom(3).hex()}"
        path.replace(target)
        fsync_dir(folder)
        fsync_dir(path.parent)
        actions.append(f"moved the leftover {path} to {target}")
    return actions


def permission_problems(home: Path) -> list[Problem]:
    problems = []
    targets = [(home, home.stat())] if home.is_dir() else []
    for path, info in [*targets, *_walk(home)]:
        if stat.S_ISLNK(info.st_mode):
            continue
        mode = stat.S_IMODE(info.st_mode)
        if mode & 0o077:
            kind = "folder" if stat.S_ISDIR(info.st_mode) else "file"
            want = DIR_MODE if kind == "folder" else FILE_MODE
            problems.append(
                Problem(
                    path,
                    f"this {kind} can be read or changed by other users (mode {mode:04o}); "
                    "health data must be private",
                    recoverable=True,
                    fix=f"{RECOVER}: it sets the mode to {want:04o} (owner only)",
                )
            )
    return problems


def recover_permissions(home: Path) -> list[str]:
    actions = []
    for problem in permission_problems(home):
        path = problem.path
        want = DIR_MODE if path.is_dir() else FILE_MODE
        path.chmod(want)
        actions.append(f"set {path} to mode {want:04o} (owner only)")
    return actions
