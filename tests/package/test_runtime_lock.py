"""requirements/runtime.lock: what the packaged build installs, and nothing a patient never runs.

It is compiled from pyproject.toml's runtime dependencies, constrained by requirements/dev.lock
(the command is in its header and in docs/packaging.md); these checks fail when either file
changed without remaking it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+)", re.MULTILINE)


def pins(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    return {re.sub(r"[-_.]+", "-", n).lower(): v for n, v in PIN.findall(text)}


def name_of(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9_.-]+", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(0)).lower()


def test_runtime_lock_pins_every_runtime_dependency_at_the_tested_version() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = pins(REPO / "requirements/runtime.lock")
    dev = pins(REPO / "requirements/dev.lock")
    for requirement in project["dependencies"]:
        assert name_of(requirement) in runtime, requirement
    drifted = {n: (v, dev.get(n)) for n, v in runtime.items() if dev.get(n) != v}
    assert drifted == {}, f"runtime.lock differs from dev.lock (remake it): {drifted}"


def test_runtime_lock_has_no_development_tools() -> None:
    runtime = pins(REPO / "requirements/runtime.lock")
    dev_only = {name_of(r) for r in tomllib.loads(
        (REPO / "pyproject.toml").read_text(encoding="utf-8")
    )["project"]["optional-dependencies"]["dev"]}  # fmt: skip
    assert dev_only & set(runtime) == set()
    assert "pytest" not in runtime and "ruff" not in runtime
    assert "://" not in (REPO / "requirements/runtime.lock").read_text(encoding="utf-8")
