"""Runs every benchmark module and writes docs/performance.md."""

from __future__ import annotations

import importlib
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

# Each entry: a module under pacewise.bench with `run() -> str`.
SECTIONS = ["demo", "motion", "store"]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )


def main(argv: list[str]) -> int:
    wanted = argv or SECTIONS
    parts = [
        "# Performance\n",
        f"Measured by `make bench` on {datetime.now(UTC):%Y-%m-%d}, {machine()}.\n",
    ]
    for name in wanted:
        try:
            module = importlib.import_module(f"pacewise.bench.{name}")
        except ModuleNotFoundError:
            continue
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        parts.append(module.run())
    out = Path(__file__).resolve().parents[3] / "docs" / "performance.md"
    out.write_text("\n".join(parts), encoding="utf-8")
    print(f"bench: wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
