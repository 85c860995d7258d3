"""One protocol, one source: the Godot side's constants are generated from the Python models,
and the GDScript names no message type or op the models lack (nor leaves one out)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from pacewise.runtime import protocol, protocol_gen
from pacewise.runtime.launcher import PROJECT_ROOT, engine_problems, ensure_imported

ADDONS = PROJECT_ROOT / "addons"
BRIDGE = ADDONS / "pacewise" / "bridge" / "pw_bridge.gd"
APPLIER = ADDONS / "pacewise" / "bridge" / "pw_command_applier.gd"
GD_FILES = sorted(
    p
    for folder in (ADDONS, PROJECT_ROOT / "scenes")
    for p in folder.rglob("*.gd")
    if p != protocol_gen.TARGET
)

_ARM = re.compile(r"^\t+PwProtocol\.((?:OP|MSG)_[A-Z0-9_]+):\s*$", re.M)
_LITERAL_ARM = re.compile(r'^\t+"[a-z_]+":\s*$', re.M)
_SENT = re.compile(r'"type"\]?\s*[:=]\s*PwProtocol\.MSG_([A-Z0-9_]+)')
_LITERAL_TYPE = re.compile(r'"type"\]?\s*[:=]\s*"')
_NAMED = re.compile(r"PwProtocol\.([A-Z][A-Z0-9_]*)")


def naming_problems(texts: dict[str, str]) -> list[str]:
    """What is wrong with how GDScript files (name -> source) name the protocol's types and ops."""
    known = protocol_gen.constants()
    problems = []
    for name, text in texts.items():
        problems += [
            f"{name}: PwProtocol has no {c}" for c in _NAMED.findall(text) if c not in known
        ]
        if _LITERAL_TYPE.search(text):
            problems.append(f"{name}: spells a message type out; use PwProtocol.MSG_*")
    for name in (BRIDGE.name, APPLIER.name):
        if _LITERAL_ARM.search(texts.get(name, "")):
            problems.append(f"{name}: matches a spelled-out name; use PwProtocol constants")
    applied = set(_ARM.findall(texts.get(APPLIER.name, "")))
    ops = {f"OP_{n.upper()}" for n in protocol_gen.op_names()}
    problems += [f"op {c} is not applied by {APPLIER.name}" for c in sorted(ops - applied)]
    problems += [f"{APPLIER.name} matches {c}, not an op" for c in sorted(applied - ops)]
    handled = {c for c in _ARM.findall(texts.get(BRIDGE.name, "")) if c.startswith("MSG_")}
    answers = {f"MSG_{n.upper()}" for n in protocol_gen.python_messages()}
    problems += [
        f"{c} from Python is not handled in {BRIDGE.name}" for c in sorted(answers - handled)
    ]
    problems += [
        f"{BRIDGE.name} handles {c}, which Python never sends" for c in sorted(handled - answers)
    ]
    sent = {f"MSG_{c}" for text in texts.values() for c in _SENT.findall(text)}
    godot = {f"MSG_{n.upper()}" for n in protocol_gen.godot_messages()}
    problems += [f"message {c} is never sent by the GDScript" for c in sorted(godot - sent)]
    problems += [f"the GDScript sends {c}, not a Godot message" for c in sorted(sent - godot)]
    return problems


def _sources() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in GD_FILES}


def test_the_generated_gdscript_is_up_to_date() -> None:
    on_disk = protocol_gen.TARGET.read_text(encoding="utf-8")
    assert on_disk == protocol_gen.render(), "run `python -m pacewise.runtime.protocol_gen`"


def test_check_mode_finds_a_stale_file_and_writing_fixes_it(tmp_path: Path) -> None:
    copy = tmp_path / "pw_protocol.gd"
    copy.write_text(protocol_gen.render().replace("262144", "1000"), encoding="utf-8")
    assert protocol_gen.main(["--check", "--out", str(copy)]) == 1
    assert protocol_gen.main(["--out", str(copy)]) == 0
    assert protocol_gen.main(["--check", "--out", str(copy)]) == 0
    assert copy.read_text(encoding="utf-8") == protocol_gen.TARGET.read_text(encoding="utf-8")


def test_a_change_to_the_models_makes_the_file_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    before = protocol_gen.render()
    monkeypatch.setattr(protocol, "PROTOCOL_VERSION", protocol.PROTOCOL_VERSION + 1)
    assert protocol_gen.render() != before
    assert f"const VERSION: int = {protocol.PROTOCOL_VERSION}" in protocol_gen.render()


def test_op_defaults_come_from_the_models() -> None:
    made = protocol_gen.constants()
    assert made["DEFAULT_CUE_VOLUME_DB"] == -6.0
    assert made["DEFAULT_ASK_PAIN_LOW"] == "no pain"
    assert made["ASK_CHOICE_CHOICES_MAX_ITEMS"] == 6
    assert made["RIG_MODE_POSTURE_CHOICES"] == ["seated", "standing"]
    assert made["OPS"] == protocol_gen.op_names() and len(made["OPS"]) == 17


def test_the_gdscript_names_only_what_the_schema_has_and_all_of_it() -> None:
    assert BRIDGE in GD_FILES and APPLIER in GD_FILES
    assert naming_problems(_sources()) == []


@pytest.mark.parametrize(
    ("file", "old", "new", "says"),
    [
        (APPLIER, "\t\tPwProtocol.OP_QUIT:\n", '\t\t"quit":\n', "matches a spelled-out name"),
        (APPLIER, "\t\tPwProtocol.OP_HAPTIC:\n", "\t\tPwProtocol.OP_BUZZ:\n", "no OP_BUZZ"),
        (APPLIER, "\t\tPwProtocol.OP_CUE:\n", "\t\t_:\n", "op OP_CUE is not applied"),
        (BRIDGE, "\t\tPwProtocol.MSG_ERROR:\n", "\t\tPwProtocol.MSG_HELLO:\n", "MSG_ERROR"),
        (BRIDGE, '"type": PwProtocol.MSG_STOP', '"type": "stop"', "spells a message type"),
        (BRIDGE, '"type": PwProtocol.MSG_STOP', '"type": PwProtocol.MSG_WELCOME', "MSG_STOP"),
        (BRIDGE, '"type": PwProtocol.MSG_STOP', '"type": PwProtocol.MSG_HALT', "no MSG_HALT"),
    ],
)
def test_a_planted_mismatch_is_found(file: Path, old: str, new: str, says: str) -> None:
    sources = _sources()
    assert old in sources[file.name]
    sources[file.name] = sources[file.name].replace(old, new, 1)
    found = naming_problems(sources)
    assert any(says in p for p in found), found


def test_godot_reads_the_same_constants_from_pw_protocol(godot: str, tmp_path: Path) -> None:
    ensure_imported(godot)
    probe = tmp_path / "probe.gd"
    probe.write_text(
        "extends SceneTree\n\n\nfunc _init() -> void:\n"
        "\tvar found: Dictionary = (PwProtocol as Script).get_script_constant_map()\n"
        '\tprint("PROTOCOL " + JSON.stringify(found))\n'
        "\tquit(0)\n",
        encoding="utf-8",
    )
    run = subprocess.run(
        [godot, "--headless", "--xr-mode", "off", "--path", str(PROJECT_ROOT), "-s", str(probe),
         "--", "--pw-port=1"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    log = run.stdout + run.stderr
    assert engine_problems(log) == [], log[-3000:]
    line = next((ln for ln in run.stdout.splitlines() if ln.startswith("PROTOCOL ")), None)
    assert line is not None, log[-3000:]
    assert json.loads(line.removeprefix("PROTOCOL ")) == protocol_gen.constants()
