"""The command line imports a sub-command's module only when that command runs.

Timing is in the benchmark; here the promise behind it: `--help` and `analyze` leave the
dashboard, the report renderer and the runtime unimported, and the command list that is shown
without importing them says what the commands themselves say.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import typer.main

from pacewise.cli import COMMANDS, HIDDEN, app
from pacewise.motion.recording import write_recording
from pacewise.motion.signals import Exercise
from pacewise.motion.synthetic import Spec, generate

HEAVY = ["pacewise.clinic", "pacewise.runtime", "pacewise.store", "reportlab", "starlette", "rich"]
PROBE = """
import json, sys
from pacewise.cli import main
sys.argv = ["pacewise", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
print("MODULES", json.dumps(sorted(sys.modules)))
"""


def loaded(args: list[str]) -> tuple[set[str], str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    head, _, mods = out.rpartition("MODULES ")
    return set(json.loads(mods)), head


def heavy(mods: set[str], allowed: tuple[str, ...] = ()) -> list[str]:
    names = [h for h in HEAVY if h not in allowed]
    return [m for m in mods if any(m == h or m.startswith(h + ".") for h in names)]


def test_the_command_table_says_what_the_commands_say() -> None:
    from pacewise.cli import commands  # noqa: F401  (registers every sub-command)

    real = typer.main.get_group(app).commands
    assert set(real) == set(COMMANDS)
    for name, (module, short) in COMMANDS.items():
        cmd = real[name]
        assert cmd.get_short_help_str(1000) == short, name
        if cmd.callback is not None:
            assert cmd.callback.__module__ == f"pacewise.cli.{module}", name


def test_help_lists_every_command_and_imports_none_of_them() -> None:
    mods, out = loaded(["--help"])
    assert heavy(mods, allowed=("rich",)) == [] and "numpy" not in mods  # rich draws the help
    for name in COMMANDS:
        assert (f" {name} " in out) is (name not in HIDDEN), name
    assert "pacewise.cli.play" not in mods and "pacewise.cli.report" not in mods


def test_analyze_loads_only_the_motion_analysis(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    write_recording(generate(Spec(Exercise.LATERAL_FLEXION, seed=2, reps=2)).recording, path)
    mods, out = loaded(["analyze", str(path), "-e", "lateral_flexion", "--json"])
    assert len(json.loads(out)["reps"]) == 2
    assert heavy(mods) == []


def test_a_sub_command_group_still_answers(tmp_path: Path) -> None:
    mods, out = loaded(["pain", "--help"])
    assert "Record and list pain scores" in out and "pacewise.cli.pain" in mods
