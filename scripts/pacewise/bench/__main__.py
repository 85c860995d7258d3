"""Runs every benchmark module and writes docs/performance.md."""

from __future__ import annotations

import importlib
import os
import platform
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

# Each entry: a module under pacewise.bench with `run() -> str`.
SECTIONS = ["demo", "motion", "store", "dashboard"]


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


def _sections(text: str) -> dict[str, str]:
    """The sections of an earlier performance.md, by bench name."""
    found = re.findall(r"<!-- bench:(\w+) -->\n(.*?)<!-- /bench:\1 -->", text, re.DOTALL)
    return dict(found)


def main(argv: list[str]) -> int:
    """Run the named benchmarks (all by default); other sections of the file are kept."""
    wanted = argv or SECTIONS
    out = Path(__file__).resolve().parents[3] / "docs" / "performance.md"
    sections = _sections(out.read_text(encoding="utf-8")) if out.exists() else {}
    for name in wanted:
        try:
            module = importlib.import_module(f"pacewise.bench.{name}")
        except ModuleNotFoundError:
            print(f"bench: no benchmark named {name}", file=sys.stderr)
            continue
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        sections[name] = (
            f"_Measured {datetime.now(UTC):%Y-%m-%d} on {machine()}._\n\n{module.run()}\n"
        )
    order = [n for n in SECTIONS if n in sections] + [n for n in sections if n not in SECTIONS]
    parts = ["# Performance\n", "Written by `make bench`; each section says when and where.\n"]
    parts += [f"<!-- bench:{n} -->\n{sections[n]}<!-- /bench:{n} -->\n" for n in order]
    out.write_text("\n".join(parts), encoding="utf-8")
    print(f"bench: wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
