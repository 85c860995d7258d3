"""`pacewise levels check`: every level scene against its Python behaviour and a prescription.

Reads Godot's text scenes directly (no engine needed): finds each PwPyBehaviour node, checks
that its script exists and defines one Behaviour, that its parameters are ones the behaviour
understands with the right types, and asks the behaviour whether its targets are reachable and
within the caps for a short and a tall patient.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pacewise.domain.prescription import UNIT, Exercise, Prescription, planned_amount
from pacewise.levels.api import EYE_HEIGHT_OF_STATURE, Calibration, LevelPlan
from pacewise.runtime.behaviours import (
    DOSE_PARAMETERS,
    BehaviourError,
    load_behaviour_class,
    resolve_script,
)
from pacewise.runtime.day_plan import level_plans

BEHAVIOUR_SCRIPT = "res://addons/pacewise/behaviour/pw_py_behaviour.gd"
# Patients the checks are made for: the short and tall ends of adult stature.
CHECK_STATURES_M = (1.50, 1.95)

_EXT = re.compile(r'^\[ext_resource\b[^\]]*\bpath="([^"]+)"[^\]]*\bid="([^"]+)"', re.MULTILINE)
_NODE = re.compile(r'^\[node name="([^"]+)"(?:[^\]]*\bparent="([^"]*)")?[^\]]*\]', re.MULTILINE)


@dataclass
class BehaviourNode:
    node: str
    script_path: str
    parameters: dict[str, Any]
    problems: list[str] = field(default_factory=list)


@dataclass
class LevelReport:
    scene: Path
    behaviours: list[BehaviourNode]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def body(stature_m: float) -> Calibration:
    """A neutral standing calibration for a patient of this height (standard proportions)."""
    hands = 0.53 * stature_m  # wrists hang at about 53% of stature
    return Calibration.from_neutral(
        (0.0, EYE_HEIGHT_OF_STATURE * stature_m, -0.08), (-0.2, hands, -0.1), (0.2, hands, -0.1)
    )


def _value(block: str, key: str) -> str | None:
    """The text of `key = value` in a node block (values may span lines, like dictionaries)."""
    match = re.search(rf"^{key} = ", block, re.MULTILINE)
    if match is None:
        return None
    rest = block[match.end() :]
    depth, end = 0, 0
    for i, ch in enumerate(rest):
        if ch in "{[(":
            depth += 1
        elif ch in "}])":
            depth -= 1
        elif ch == "\n" and depth == 0:
            end = i
            break
    else:
        end = len(rest)
    return rest[:end].strip()


def read_behaviour_nodes(scene: Path) -> list[BehaviourNode]:
    text = scene.read_text(encoding="utf-8")
    ids = {rid for path, rid in _EXT.findall(text) if path == BEHAVIOUR_SCRIPT}
    found: list[BehaviourNode] = []
    starts = list(_NODE.finditer(text))
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        block = text[match.end() : end]
        script = _value(block, "script")
        if script is None or not any(script == f'ExtResource("{rid}")' for rid in ids):
            continue
        name, parent = match.group(1), match.group(2)
        node = name if parent in (None, ".") else f"{parent}/{name}"
        entry = BehaviourNode(node, "", {})
        raw_path = _value(block, "script_path")
        entry.script_path = json.loads(raw_path) if raw_path else ""
        raw_params = _value(block, "parameters")
        if raw_params:
            try:
                entry.parameters = json.loads(raw_params)
            except json.JSONDecodeError:
                entry.problems.append(
                    "parameters must be plain values (numbers, text, lists, true/false)"
                )
        found.append(entry)
    return found


def _type_ok(value: Any, wanted: type) -> bool:
    if wanted is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if wanted is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, wanted)


def check_behaviour(
    entry: BehaviourNode, project_root: Path, plans: dict[str, LevelPlan]
) -> list[str]:
    problems = list(entry.problems)
    if not entry.script_path:
        return [*problems, f"{entry.node}: no script_path set"]
    try:
        cls = load_behaviour_class(resolve_script(project_root, entry.script_path))
    except BehaviourError as exc:
        return [*problems, f"{entry.node}: {exc}"]
    for key, value in entry.parameters.items():
        wanted = cls.parameters.get(key)
        if key in DOSE_PARAMETERS:
            problems.append(
                f"{entry.node}: parameter {key!r} would set the dose; today's amount comes from "
                "the patient's plan and the pacing engine, never from a level (remove it)"
            )
        elif wanted is None:
            known = ", ".join(sorted(cls.parameters)) or "none"
            problems.append(f"{entry.node}: unknown parameter {key!r} (known: {known})")
        elif not _type_ok(value, wanted):
            problems.append(
                f"{entry.node}: parameter {key!r} should be {wanted.__name__}, not {value!r}"
            )
    plan = plans.get(cls.exercise)
    if cls.exercise and plan is None:
        problems.append(f"{entry.node}: exercise {cls.exercise!r} is not in the prescription")
    if plan is not None:
        for stature in CHECK_STATURES_M:
            for problem in cls.check(entry.parameters, plan, body(stature)):
                text = f"{entry.node}: {problem}"
                if text not in problems:
                    problems.append(text)
    return problems


def full_plans(prescription: Prescription) -> dict[str, LevelPlan]:
    """Every enabled exercise at its full planned amount: the most a level may be asked for."""
    quotas: dict[Exercise, tuple[int, str, str]] = {}
    for exercise in Exercise:
        plan = prescription.plan(exercise)
        amount = planned_amount(exercise, plan) if plan is not None else 0
        quotas[exercise] = (amount, UNIT[exercise].value, "")
    return {p.exercise: p for p in level_plans(prescription, quotas)}


def check_levels(
    scenes: list[Path], project_root: Path, prescription: Prescription
) -> list[LevelReport]:
    plans = full_plans(prescription)
    reports = []
    for scene in scenes:
        nodes = read_behaviour_nodes(scene)
        problems: list[str] = []
        if not nodes:
            problems.append("no PwPyBehaviour node: the level has no gameplay")
        for entry in nodes:
            problems += check_behaviour(entry, project_root, plans)
        reports.append(LevelReport(scene, nodes, problems))
    return reports
