"""The session director: check-in, calibration, the day's levels, check-in, summary.

A plain state machine fed by validated messages and answering with ops; it never touches a
socket (the bridge does) and takes all game time from the frames.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np

from pacewise.domain.pain import PainKind, new_pain_entry
from pacewise.domain.session import LevelResult, SessionRecord
from pacewise.levels.api import Calibration, ExercisePlan
from pacewise.levels.ops import (
    AskPain,
    ConnectSignal,
    Free,
    LoadLevel,
    Op,
    Quit,
    Screenshot,
    ShowText,
    Spawn,
    UnloadLevel,
)
from pacewise.motion.patient import Point
from pacewise.motion.tracking_frame import TrackingFrame
from pacewise.runtime.autopilot import Autopilot
from pacewise.runtime.behaviours import BehaviourHost
from pacewise.runtime.protocol import (
    BehaviourExit,
    BehaviourReady,
    Frame,
    GodotMessage,
    Hello,
    LevelLoaded,
    OpFailed,
    Signal,
    StopPressed,
)
from pacewise.store.store import Store

log = logging.getLogger(__name__)

PANEL = "/root/Main/Panel"
LEVEL_ROOT = "/root/Main/Level"
TARGET_SCENES = ("res://addons/pacewise/props/pw_target.tscn",)
WELCOME_S = 1.0
CALIBRATION_S = 3.0
SUMMARY_S = 2.5
LEVEL_CAP_S = 300.0
# When pictures are asked for: seconds into each phase, so the scene has something to show.
SHOT_DELAY_S = {"pain_before": 0.8, "level": 4.0, "summary": 1.0}


class Phase(Enum):
    CONNECTING = "connecting"
    WELCOME = "welcome"
    PAIN_BEFORE = "pain_before"
    CALIBRATION = "calibration"
    LEVEL = "level"
    PAIN_AFTER = "pain_after"
    SUMMARY = "summary"
    DONE = "done"


DEFAULT_PLANS = {
    "reach": ExercisePlan(
        exercise="reach", reps=8, target_deg=(15.0, 30.0, 45.0, 60.0), max_deg=60.0
    ),
}


@dataclass
class LevelRun:
    scene: str
    name: str
    started_t: float = 0.0
    progress: dict[str, int | float] = field(default_factory=dict)
    finished: bool = False


class SessionDirector:
    """Runs one session. Implements the bridge's `EngineHandler`."""

    def __init__(
        self,
        *,
        project_root: Path,
        levels: Sequence[str],
        store: Store | None,
        autopilot: Autopilot | None = None,
        seed: int | None = None,
        plans: dict[str, ExercisePlan] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        screenshot_dir: Path | None = None,
    ) -> None:
        self.session_id = f"{clock():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        self.phase = Phase.CONNECTING
        self.seed = seed
        self.store = store
        self.autopilot = autopilot
        self.plans = dict(DEFAULT_PLANS | (plans or {}))
        self._clock = clock
        self.started_at = clock()
        self.godot_version = ""
        self.rig = ""
        self.dt = 1.0 / 90.0
        self.frames = 0
        self.t = 0.0
        self.phase_t = 0.0
        self.pain_before: int | None = None
        self.pain_after: int | None = None
        self.stopped: str | None = None
        self.op_failures: list[str] = []
        self.levels = [LevelRun(scene, Path(scene).stem) for scene in levels]
        self.level_index = -1
        self.recording: list[str] = []
        self._calib_frames: list[TrackingFrame] = []
        self._calibration: Calibration | None = None
        self._targets: dict[str, Point] = {}
        self._out: list[Op] = []
        self.saved_path: Path | None = None
        self.screenshot_dir = screenshot_dir
        self._shots: list[tuple[float, str]] = []
        self.host = BehaviourHost(project_root, self, self)

    # --- the bridge's side -------------------------------------------------------------

    @property
    def finished(self) -> bool:
        return self.phase is Phase.DONE

    def emit(self, op: Op) -> None:
        """OpSink: every op leaves through here, so the director knows what is shown."""
        if isinstance(op, Spawn) and op.scene in TARGET_SCENES:
            pos = op.position
            self._targets[f"{op.parent}/{op.name}"] = (pos[0], pos[1], pos[2])
        elif isinstance(op, Free):
            for path in [p for p in self._targets if p == op.node or p.startswith(op.node + "/")]:
                del self._targets[path]
        self._out.append(op)

    def on_message(self, message: GodotMessage) -> list[Op]:
        if isinstance(message, Hello):
            self._hello(message)
        elif isinstance(message, Frame):
            self._frame(message)
        elif isinstance(message, Signal):
            self._signal(message)
        elif isinstance(message, BehaviourReady):
            self.host.attach(message.node, message.script, message.params)
        elif isinstance(message, BehaviourExit):
            self.host.detach(message.node)
        elif isinstance(message, LevelLoaded):
            log.info("level loaded: %s", message.scene)
        elif isinstance(message, OpFailed):
            self.op_failures.append(f"{message.op}: {message.message}")
            log.warning("Godot could not apply %s: %s", message.op, message.message)
        elif isinstance(message, StopPressed):
            self.stop(f"stop pressed ({message.source})")
        out, self._out = self._out, []
        return out

    def on_disconnect(self) -> None:
        log.warning("the game disconnected during %s", self.phase.value)

    # --- SessionView, for behaviours ---------------------------------------------------

    @property
    def calibration(self) -> Calibration:
        if self._calibration is None:
            raise RuntimeError("the session is not calibrated yet")
        return self._calibration

    def plan(self, exercise: str) -> ExercisePlan:
        return self.plans.get(exercise) or ExercisePlan(exercise=exercise, reps=5)

    def report(self, **progress: int | float) -> None:
        if 0 <= self.level_index < len(self.levels):
            self.levels[self.level_index].progress.update(progress)

    def finish(self) -> None:
        if 0 <= self.level_index < len(self.levels):
            self.levels[self.level_index].finished = True

    # --- the flow -----------------------------------------------------------------------

    def _enter(self, phase: Phase) -> None:
        log.info("phase %s at t=%.2f", phase.value, self.t)
        self.phase = phase
        self.phase_t = self.t
        if self.screenshot_dir is not None and phase.value in SHOT_DELAY_S:
            name = phase.value
            if phase is Phase.LEVEL:
                name = f"level-{self.levels[self.level_index].name}"
            self._shots.append((self.t + SHOT_DELAY_S[phase.value], name))
        if phase is Phase.PAIN_BEFORE:
            self._ask("Before we start: how much pain do you feel right now?", "before")
        elif phase is Phase.CALIBRATION:
            self._calib_frames = []
            self.emit(ShowText(text="Stand tall and relaxed, arms by your sides, look ahead."))
        elif phase is Phase.PAIN_AFTER:
            self._ask("How much pain do you feel now?", "after")
        elif phase is Phase.SUMMARY:
            self.emit(ShowText(text=self.summary_text()))
        elif phase is Phase.DONE:
            self.save()
            self.emit(Quit(code=0))

    def _ask(self, prompt: str, kind: str) -> None:
        self.emit(ConnectSignal(node=PANEL, signal="answered"))
        self.emit(AskPain(prompt=prompt))
        if self.autopilot is not None:
            self.autopilot.question(kind, self.t)

    def _hello(self, hello: Hello) -> None:
        self.godot_version = hello.godot_version
        self.rig = hello.rig
        self.dt = 1.0 / hello.physics_hz
        if self.phase is Phase.CONNECTING:
            self.emit(ShowText(text="Welcome back. Take your time; press stop at any moment."))
            self._enter(Phase.WELCOME)

    def _frame(self, frame: Frame) -> None:
        self.frames += 1
        self.t = frame.t
        tracking = frame.tracking()
        self.recording.append(tracking.recording_line())
        self._take_due_shots()
        elapsed = self.t - self.phase_t
        if self.phase is Phase.WELCOME and elapsed >= WELCOME_S:
            self._enter(Phase.PAIN_BEFORE)
        elif self.phase is Phase.CALIBRATION:
            self._calib_frames.append(tracking)
            if elapsed >= CALIBRATION_S:
                self._calibration = calibrate(self._calib_frames)
                self.emit(ShowText(text=""))
                self._next_level()
        elif self.phase is Phase.LEVEL:
            self.host.frame(tracking)
            run = self.levels[self.level_index]
            if run.finished or elapsed >= LEVEL_CAP_S:
                self._next_level()
        elif self.phase is Phase.SUMMARY and elapsed >= SUMMARY_S:
            self._enter(Phase.DONE)
        if self.autopilot is not None and self.phase is not Phase.DONE:
            for op in self.autopilot.act(self.t + self.dt, list(self._targets.values())):
                self.emit(op)

    def _take_due_shots(self) -> None:
        if self.screenshot_dir is None:
            return
        for due, name in [shot for shot in self._shots if shot[0] <= self.t]:
            self._shots.remove((due, name))
            self.emit(Screenshot(path=str(self.screenshot_dir.resolve() / f"{name}.png")))

    def _next_level(self) -> None:
        if self.level_index >= 0:
            self.host.detach_all()
            self.emit(UnloadLevel())
            self._targets.clear()
        self.level_index += 1
        if self.level_index < len(self.levels):
            run = self.levels[self.level_index]
            run.started_t = self.t
            self._enter(Phase.LEVEL)
            self.emit(LoadLevel(scene=run.scene))
        else:
            self._enter(Phase.PAIN_AFTER)

    def _signal(self, signal: Signal) -> None:
        if signal.node == PANEL and signal.signal == "answered":
            self._answered(signal.args)
            return
        self.host.signal(signal.node, signal.signal, signal.args)

    def _answered(self, args: list[Any]) -> None:
        try:
            score = int(args[0])
        except (IndexError, TypeError, ValueError):
            log.warning("unreadable pain answer %r", args)
            return
        if not 0 <= score <= 10:
            log.warning("pain answer %d out of range", score)
            return
        if self.phase is Phase.PAIN_BEFORE:
            self.pain_before = score
            self._record_pain(score, PainKind.before)
            self._enter(Phase.CALIBRATION)
        elif self.phase is Phase.PAIN_AFTER:
            self.pain_after = score
            self._record_pain(score, PainKind.after)
            self._enter(Phase.SUMMARY)

    def _record_pain(self, score: int, kind: PainKind) -> None:
        if self.store is not None:
            entry = self.store.add_pain(
                new_pain_entry(score, kind, self._clock(), session_id=self.session_id)
            )
            self.emit(ShowText(text=f"Saved: {score} out of 10."))
            log.info("pain %s %d saved as %s", kind.value, score, entry.id)

    def stop(self, reason: str) -> None:
        """Stop at once, whatever is happening: unload the level and ask how they feel."""
        if self.phase in (Phase.PAIN_AFTER, Phase.SUMMARY, Phase.DONE):
            return
        self.stopped = reason
        if self.phase is Phase.LEVEL:
            self.host.detach_all()
            self.emit(UnloadLevel())
            self._targets.clear()
        self._enter(Phase.PAIN_AFTER)

    # --- the result ---------------------------------------------------------------------

    def level_results(self) -> list[LevelResult]:
        out = []
        for run in self.levels[: max(self.level_index + 1, 0)]:
            extras = {k: int(v) for k, v in run.progress.items() if k in ("steps", "breaths")}
            out.append(
                LevelResult(
                    name=run.name,
                    reps=int(run.progress.get("reps", 0)),
                    quota=self.plan(run.name).reps,
                    **extras,
                )
            )
        return out

    def record(self) -> SessionRecord:
        return SessionRecord(
            id=self.session_id,
            started_at=self.started_at,
            duration_s=round(self.t, 4),
            godot_version=self.godot_version,
            frames=self.frames,
            levels=self.level_results(),
            pain_before=self.pain_before,
            pain_after=self.pain_after,
            stopped=self.stopped,
            seed=self.seed,
        )

    def summary_text(self) -> str:
        parts = [f"{r.name}: {r.reps} reps" for r in self.level_results()]
        pain = ""
        if self.pain_before is not None and self.pain_after is not None:
            pain = f" Pain {self.pain_before} → {self.pain_after}."
        return "Session done. " + ", ".join(parts) + "." + pain

    def close(self) -> None:
        """The game is gone: keep whatever the session produced, marked as cut short."""
        if self.saved_path is None and self.frames > 0:
            self.stopped = self.stopped or f"the game closed during {self.phase.value}"
            self.save()

    def save(self) -> None:
        """Write the session record and its recording (once)."""
        if self.store is None or self.saved_path is not None:
            return
        header = recording_header(self.dt)
        self.saved_path = self.store.save_session(self.record(), [header, *self.recording])


def recording_header(dt: float) -> str:
    import json

    return json.dumps(
        {
            "format": "pacewise.tracking",
            "version": 1,
            "hz": round(1.0 / dt, 3),
            "units": "m",
            "up": "+y",
            "forward": "-z",
            "calibration_s": CALIBRATION_S,
            "posture": "standing",
        }
    )


def calibrate(frames: Sequence[TrackingFrame], posture: str = "standing") -> Calibration:
    """Neutral posture from the calibration window, with reach from standard body proportions."""
    usable = [f for f in frames if f.head.ok and f.left.ok and f.right.ok] or list(frames)
    if not usable:
        raise ValueError("no tracking frames during calibration")
    head = np.mean([f.head.p for f in usable], axis=0)
    left = np.mean([f.left.p for f in usable], axis=0)
    right = np.mean([f.right.p for f in usable], axis=0)
    stature = float(head[1]) / 0.936  # eye height is about 93.6% of stature
    return Calibration(
        head=(float(head[0]), float(head[1]), float(head[2])),
        left_hand=(float(left[0]), float(left[1]), float(left[2])),
        right_hand=(float(right[0]), float(right[1]), float(right[2])),
        posture=posture,
        shoulder_height_m=0.818 * stature,  # acromion height about 81.8% of stature
        arm_reach_m=0.36 * stature,  # shoulder to grip, about 36% of stature
    )
