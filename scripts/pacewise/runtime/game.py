"""Play one session with Godot and summarise it: what `pacewise play` and `demo` run."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel

from pacewise.domain.session import LevelResult, Pause
from pacewise.runtime.autopilot import Autopilot
from pacewise.runtime.day_plan import todays_levels
from pacewise.runtime.launcher import PROJECT_ROOT, Mode, play_session
from pacewise.runtime.session import PANEL, SessionDirector
from pacewise.store.store import Store

GODOT_PROBLEM = re.compile(r"^(SCRIPT ERROR|ERROR|USER ERROR)\b", re.MULTILINE)


class Summary(BaseModel):
    """What a finished session prints: every number here comes from the game's frames."""

    session_id: str
    godot_version: str
    rig: str
    frames: int
    levels: list[LevelResult]
    pain_before: int | None
    pain_after: int | None
    duration_s: float
    stopped: str | None
    store_path: str | None
    seed: int | None
    wall_s: float
    frames_per_wall_s: float
    godot_exit: int
    godot_problems: list[str]
    op_failures: list[str]
    pauses: list[Pause]


@dataclass(frozen=True)
class Played:
    """The summary, and the director for those who want more (tests, benchmarks)."""

    summary: Summary
    director: SessionDirector


def play_game(
    mode: Mode,
    seed: int | None,
    speed: float | None,
    autopilot: bool,
    screenshot_dir: Path | None = None,
    only: list[str] | None = None,
    stop_at: float | None = None,
) -> Played:
    store = Store.open()
    prescription = store.prescription().prescription
    now = datetime.now(UTC)
    director = SessionDirector(
        project_root=PROJECT_ROOT,
        levels=todays_levels(store, now, only),
        store=store,
        autopilot=Autopilot(seed or 0, PANEL, stop_at=stop_at) if autopilot else None,
        seed=seed,
        safety=prescription.safety,
        session_cap_s=prescription.session_cap_min * 60.0,
        clock=lambda: datetime.now(UTC),
        screenshot_dir=screenshot_dir,
    )
    log_path = store.home / "logs" / f"godot-{director.session_id}.log"
    try:
        result = asyncio.run(play_session(director, mode, speed=speed, log_path=log_path))
    finally:
        director.close()
    problems = [
        line.strip() for line in result.log.splitlines() if GODOT_PROBLEM.match(line.strip())
    ]
    summary = Summary(
        session_id=director.session_id,
        godot_version=director.godot_version,
        rig=director.rig,
        frames=director.frames,
        levels=director.level_results(),
        pain_before=director.pain_before,
        pain_after=director.pain_after,
        duration_s=round(director.t, 4),
        stopped=director.stopped,
        store_path=str(director.saved_path) if director.saved_path else None,
        seed=seed,
        wall_s=round(result.wall_s, 3),
        frames_per_wall_s=round(director.frames / result.wall_s, 1) if result.wall_s else 0.0,
        godot_exit=result.returncode,
        godot_problems=problems,
        op_failures=director.op_failures,
        pauses=director.pauses,
    )
    return Played(summary, director)
