"""The session director: check-in, calibration, the day's levels, cool-down, check-in, summary.

A plain state machine fed by validated messages and answering with ops; it never touches a
socket (the bridge does) and takes all game time from the frames. The stop and the safety rules
can interrupt any phase; every pause is kept in the session record with what the patient said.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np

from pacewise.domain.pacing import plan_exercise
from pacewise.domain.pain import ExposureCheck, PainKind, new_pain_entry
from pacewise.domain.prescription import Exercise, Prescription
from pacewise.domain.safety import (
    Action,
    SafetyThresholds,
    SessionState,
    Symptom,
    evaluate,
)
from pacewise.domain.session import LevelResult, Pause, Repetition, SessionRecord
from pacewise.levels.api import Calibration, LevelPlan
from pacewise.levels.ops import (
    AskChoice,
    AskPain,
    CallMethod,
    ConnectSignal,
    Cue,
    Free,
    LoadLevel,
    Op,
    Quit,
    RigMode,
    Screenshot,
    ShowText,
    Spawn,
    UnloadLevel,
)
from pacewise.levels.reach import TARGET_SCENE
from pacewise.motion.patient import Point
from pacewise.motion.tracking_frame import TrackingFrame
from pacewise.runtime.autopilot import Autopilot
from pacewise.runtime.behaviours import BehaviourHost
from pacewise.runtime.day_plan import level_scene
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
# Scenes whose spawns the synthetic patient can see and reach for.
TARGET_SCENES = (TARGET_SCENE,)
WELCOME_S = 1.0
CALIBRATION_S = 3.0
REST_S = 4.0
BREAK_S = 60.0
SUMMARY_S = 4.0
DEFAULT_LEVEL_CAP_S = 360.0
# When pictures are asked for: seconds into each phase, so the scene has something to show.
SHOT_DELAY_S = {"pain_before": 0.8, "level": 14.0, "summary": 1.0}

WHAT_HAPPENED = ("Pain", "Dizzy or sick", "Tired", "Something else")
CARRY_ON = ("Carry on", "Finish for today")


class Phase(Enum):
    CONNECTING = "connecting"
    WELCOME = "welcome"
    PAIN_BEFORE = "pain_before"
    CALIBRATION = "calibration"
    LEVEL = "level"
    REST = "rest"
    BREAK = "break"
    PAUSED = "paused"
    PAIN_AFTER = "pain_after"
    SUMMARY = "summary"
    DONE = "done"


@dataclass
class LevelRun:
    plan: LevelPlan
    started_t: float = 0.0
    ended_t: float | None = None
    progress: dict[str, int | float] = field(default_factory=dict)
    repetitions: list[Repetition] = field(default_factory=list)
    finished: bool = False
    stopped: str | None = None

    @property
    def name(self) -> str:
        return self.plan.exercise


@dataclass(frozen=True)
class Question:
    """The one question open on the panel, and who asked it (the director or a behaviour)."""

    key: str
    asker: str | None = None
    choices: tuple[str, ...] = ()


class SessionDirector:
    """Runs one session. Implements the bridge's `EngineHandler` and the levels' `SessionView`."""

    def __init__(
        self,
        *,
        project_root: Path,
        levels: Sequence[LevelPlan],
        store: Store | None,
        autopilot: Autopilot | None = None,
        seed: int | None = None,
        safety: SafetyThresholds | None = None,
        session_cap_s: float = 20 * 60.0,
        prescription: Prescription | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        screenshot_dir: Path | None = None,
        scenes: dict[str, str] | None = None,
    ) -> None:
        self.session_id = f"{clock():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        self.phase = Phase.CONNECTING
        self.seed = seed
        self.store = store
        self.autopilot = autopilot
        self.safety = safety or SafetyThresholds()
        self.prescription = prescription
        self.session_cap_s = session_cap_s
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
        self.pauses: list[Pause] = []
        self.symptoms: set[Symptom] = set()
        self.op_failures: list[str] = []
        self.levels = [LevelRun(plan) for plan in levels]
        self.level_index = -1
        self.recording: list[str] = []
        self.saved_path: Path | None = None
        self.screenshot_dir = screenshot_dir
        self.scenes = dict(scenes or {})
        self._shots: list[tuple[float, str]] = []
        self._calib_frames: list[TrackingFrame] = []
        self._calibration: Calibration | None = None
        self._targets: dict[str, Point] = {}
        self._out: list[Op] = []
        self._question: Question | None = None
        self._lost_since: float | None = None
        self._last_break_t = 0.0
        self._break_due = False
        self._exposures: dict[str, dict[str, int]] = {}
        self._posture = "standing"
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
            if self.phase is Phase.LEVEL:
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

    def plan(self, exercise: str) -> LevelPlan:
        for run in self.levels:
            if run.name == exercise:
                return run.plan
        return LevelPlan(exercise=exercise, quota=5)

    def report(self, **progress: int | float) -> None:
        if self.phase is Phase.LEVEL:
            self.levels[self.level_index].progress.update(progress)

    def finish(self) -> None:
        if self.phase is Phase.LEVEL:
            self.levels[self.level_index].finished = True

    def report_rep(self, rep: Repetition) -> None:
        if self.phase is Phase.LEVEL:
            self.levels[self.level_index].repetitions.append(rep)

    def begin_movement(self) -> None:
        if self.phase is Phase.LEVEL and self.autopilot is not None:
            self.autopilot.begin_level(self.levels[self.level_index].plan, self.t)

    def ask_scale(self, key: str, prompt: str, low: str, high: str) -> None:
        asker = next(iter(self.host.hosted), None)
        self._ask(Question(key, asker), AskPain(prompt=prompt, low=low, high=high))

    # --- questions ---------------------------------------------------------------------

    def _ask(self, question: Question, op: AskPain | AskChoice) -> None:
        self._question = question
        self.emit(op)
        if self.autopilot is not None:
            self.autopilot.asked(question.key, question.choices, self.t)

    def _ask_pain(self, key: str, prompt: str) -> None:
        self._ask(Question(key), AskPain(prompt=prompt))

    def _ask_choice(self, key: str, prompt: str, choices: tuple[str, ...]) -> None:
        self._ask(Question(key, None, choices), AskChoice(prompt=prompt, choices=list(choices)))

    def _signal(self, signal: Signal) -> None:
        if signal.node == PANEL and signal.signal in ("answered", "chosen"):
            self._answer(signal.signal, signal.args)
            return
        self.host.signal(signal.node, signal.signal, signal.args)

    def _answer(self, kind: str, args: list[Any]) -> None:
        question = self._question
        if question is None or not args:
            log.warning("an answer with no open question: %s %r", kind, args)
            return
        try:
            value = int(args[0])
        except (TypeError, ValueError):
            log.warning("unreadable answer %r", args)
            return
        if kind == "chosen":
            if not 0 <= value < len(question.choices):
                return
            self._question = None
            self._chosen(question, question.choices[value])
            return
        if not 0 <= value <= 10:
            return
        self._question = None
        if question.asker is not None:
            self._exposures.setdefault(self.levels[self.level_index].name, {})[question.key] = value
            self.host.answer(question.asker, question.key, value)
        else:
            self._scored(question.key, value)

    def _scored(self, key: str, score: int) -> None:
        if key == "before" and self.phase is Phase.PAIN_BEFORE:
            self.pain_before = score
            self._record_pain(score, PainKind.before)
            self._enter(Phase.CALIBRATION)
        elif key in ("after", "stop_pain") and self.phase in (Phase.PAIN_AFTER, Phase.PAUSED):
            self.pain_after = score
            self._record_pain(score, PainKind.after)
            if key == "stop_pain" and self.pauses:
                self._note_pause(answer=f"pain {score}/10", outcome="session ended")
            self._enter(Phase.SUMMARY)

    def _chosen(self, question: Question, label: str) -> None:
        if question.key == "what_happened":
            self._note_pause(answer=label)
            if label == "Pain":
                self._ask_pain("stop_pain", "How much pain do you feel right now?")
            elif label == "Dizzy or sick":
                self.symptoms.add(Symptom.dizziness)
                self._note_pause(outcome="session ended")
                self.stopped = f"{self.stopped}: {label.lower()}"
                self._enter(Phase.PAIN_AFTER)
            else:
                self._ask_choice("carry_on", "Would you like to carry on?", CARRY_ON)
        elif question.key == "carry_on":
            if label == "Carry on":
                self._note_pause(outcome="carried on")
                self.stopped = None
                self._enter(Phase.REST)
            else:
                self._note_pause(outcome="session ended")
                self._enter(Phase.PAIN_AFTER)

    def _withdraw_question(self) -> None:
        """Take an open question off the panel (the session moved on without an answer)."""
        if self._question is not None:
            self._question = None
            self.emit(CallMethod(node=PANEL, method="cancel_question"))
            if self.autopilot is not None:
                self.autopilot.withdrawn()

    def _note_pause(self, *, answer: str | None = None, outcome: str | None = None) -> None:
        last = self.pauses[-1]
        self.pauses[-1] = last.model_copy(
            update={"answer": answer or last.answer, "outcome": outcome or last.outcome}
        )

    # --- the flow -----------------------------------------------------------------------

    def _enter(self, phase: Phase) -> None:
        log.info("phase %s at t=%.2f", phase.value, self.t)
        self.phase = phase
        self.phase_t = self.t
        if self.screenshot_dir is not None and phase.value in SHOT_DELAY_S:
            name: str = phase.value
            if phase is Phase.LEVEL:
                name = f"level-{self.levels[self.level_index].name}"
            self._shots.append((self.t + SHOT_DELAY_S[phase.value], name))
        if phase is Phase.PAIN_BEFORE:
            self._ask_pain("before", "Before we start: how much pain do you feel right now?")
        elif phase is Phase.CALIBRATION:
            self._calib_frames = []
            self.emit(ShowText(text="Stand tall and relaxed, arms by your sides, look ahead."))
        elif phase is Phase.REST:
            upcoming = self._upcoming()
            text = (
                "Well done. Rest a moment."
                if upcoming is None
                else (f"Well done. Rest a moment.\nNext: {upcoming.replace('_', ' ')}.")
            )
            self.emit(ShowText(text=text))
        elif phase is Phase.BREAK:
            self._last_break_t = self.t
            self._break_due = False
            self.emit(ShowText(text="Time for a short break. Sit or stand comfortably."))
            self.emit(Cue(name="chime"))
        elif phase is Phase.PAIN_AFTER:
            self._ask_pain("after", "How much pain do you feel now?")
        elif phase is Phase.SUMMARY:
            self.emit(ShowText(text=self.summary_text()))
            self.emit(Cue(name="success"))
        elif phase is Phase.DONE:
            self.save()
            self.emit(Quit(code=0))

    def _upcoming(self) -> str | None:
        nxt = self.level_index + 1
        return self.levels[nxt].name if nxt < len(self.levels) else None

    def _hello(self, hello: Hello) -> None:
        self.godot_version = hello.godot_version
        self.rig = hello.rig
        self.dt = 1.0 / hello.physics_hz
        if self.phase is Phase.CONNECTING:
            self.emit(ConnectSignal(node=PANEL, signal="answered"))
            self.emit(ConnectSignal(node=PANEL, signal="chosen"))
            self.emit(ShowText(text="Welcome back. Take your time; press stop at any moment."))
            self._enter(Phase.WELCOME)

    def _frame(self, frame: Frame) -> None:
        self.frames += 1
        self.t = frame.t
        tracking = frame.tracking()
        self.recording.append(tracking.recording_line())
        self._take_due_shots()
        self._track_loss(tracking)
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
            if run.finished or elapsed >= self._level_cap_s(run):
                self._end_level()
            else:
                self._check_safety()
        elif self.phase is Phase.REST and elapsed >= REST_S:
            if self._break_due:
                self._enter(Phase.BREAK)
            else:
                self._next_level()
        elif self.phase is Phase.BREAK and elapsed >= BREAK_S:
            self._next_level()
        elif self.phase is Phase.SUMMARY and elapsed >= SUMMARY_S:
            self._enter(Phase.DONE)
        if self.autopilot is not None and self.phase is not Phase.DONE:
            for op in self.autopilot.act(self.t + self.dt, list(self._targets.values())):
                self.emit(op)

    def _level_cap_s(self, run: LevelRun) -> float:
        if run.plan.unit == "seconds":
            return run.plan.quota + 60.0
        return DEFAULT_LEVEL_CAP_S

    def _track_loss(self, frame: TrackingFrame) -> None:
        if frame.head.ok and frame.left.ok and frame.right.ok:
            self._lost_since = None
        elif self._lost_since is None:
            self._lost_since = self.t

    def _check_safety(self) -> None:
        state = SessionState(
            elapsed_s=self.t,
            session_cap_s=self.session_cap_s,
            pain_start=self.pain_before,
            pain_now=None,
            symptoms=frozenset(self.symptoms),
            tracking_lost_s=0.0 if self._lost_since is None else self.t - self._lost_since,
            last_break_s=self._last_break_t,
        )
        decision = evaluate(state, self.safety)
        if decision.action is Action.suggest_break:
            self._break_due = True
        elif decision.action in (Action.pause, Action.stop):
            self._interrupt(decision.rule, decision.reason, decision.action is Action.stop)

    def _interrupt(self, source: str, reason: str, end: bool) -> None:
        """Pause the session at once: end the level and ask what happened (or finish)."""
        self._withdraw_question()
        self._end_level_now(stopped=reason)
        self.pauses.append(Pause(t_s=round(self.t, 3), source=source, reason=reason))
        self.emit(Cue(name="soft_alert"))
        if end:
            self.stopped = reason
            self._note_pause(outcome="session ended")
            self.emit(ShowText(text=f"Let's stop here for today: {reason}."))
            self._enter(Phase.PAIN_AFTER)
        elif source == "stop":
            self.stopped = reason
            self._enter(Phase.PAUSED)
            self._ask_choice("what_happened", "You pressed stop. What happened?", WHAT_HAPPENED)
        else:
            self._enter(Phase.PAUSED)
            self._ask_choice("carry_on", f"We paused: {reason}. Carry on?", CARRY_ON)

    def stop(self, reason: str) -> None:
        """The stop button: honoured at once, whatever is happening."""
        if self.phase in (Phase.PAIN_AFTER, Phase.SUMMARY, Phase.DONE, Phase.PAUSED):
            return
        if self.phase in (Phase.CONNECTING, Phase.WELCOME, Phase.PAIN_BEFORE):
            self.stopped = reason
            self.pauses.append(Pause(t_s=round(self.t, 3), source="stop", reason=reason))
            self._note_pause(outcome="session ended before it began")
            self._withdraw_question()
            self._enter(Phase.SUMMARY)
            return
        self._interrupt("stop", reason, end=False)

    def _next_level(self) -> None:
        self.level_index += 1
        if self.level_index < len(self.levels):
            run = self.levels[self.level_index]
            run.started_t = self.t
            if run.plan.position != self._posture:
                self._posture = run.plan.position
                self.emit(RigMode(posture=run.plan.position))
            self._enter(Phase.LEVEL)
            self.emit(LoadLevel(scene=self.scenes.get(run.name) or level_scene(run.name)))
        else:
            self._enter(Phase.PAIN_AFTER)

    def _end_level_now(self, stopped: str | None = None) -> None:
        if self.phase is not Phase.LEVEL:
            return
        run = self.levels[self.level_index]
        run.ended_t = self.t
        if stopped and not run.finished:
            run.stopped = stopped
        self.host.detach_all()
        self.emit(UnloadLevel())
        self._targets.clear()
        self._save_exposure(run.name)
        if self.autopilot is not None:
            self.autopilot.end_level()

    def _end_level(self) -> None:
        run = self.levels[self.level_index]
        if not run.finished:
            run.stopped = "level time cap reached"
        self._end_level_now()
        self._enter(Phase.REST)

    def _take_due_shots(self) -> None:
        if self.screenshot_dir is None:
            return
        for due, name in [shot for shot in self._shots if shot[0] <= self.t]:
            self._shots.remove((due, name))
            self.emit(Screenshot(path=str(self.screenshot_dir.resolve() / f"{name}.png")))

    def _record_pain(self, score: int, kind: PainKind) -> None:
        if self.store is None:
            return
        entry = self.store.add_pain(
            new_pain_entry(score, kind, self._clock(), session_id=self.session_id)
        )
        self.emit(ShowText(text=f"Saved: {score} out of 10."))
        log.info("pain %s %d saved as %s", kind.value, score, entry.id)

    def _save_exposure(self, level: str) -> None:
        """Expected-versus-felt pain and harm around a graded-exposure level, once complete."""
        probe = self._exposures.pop(level, {})
        needed = ("expected_pain", "expected_harm", "felt_pain", "felt_harm")
        if self.store is None or not all(k in probe for k in needed):
            return
        check = ExposureCheck(
            movement=level,
            expected_pain=probe["expected_pain"],
            expected_harm=probe["expected_harm"],
            felt_pain=probe["felt_pain"],
            felt_harm=probe["felt_harm"],
        )
        self.store.add_pain(
            new_pain_entry(
                probe["felt_pain"],
                PainKind.diary,
                self._clock(),
                session_id=self.session_id,
                note=f"graded exposure: {level.replace('_', ' ')}",
                exposure=check,
            )
        )

    # --- the result ---------------------------------------------------------------------

    def level_results(self) -> list[LevelResult]:
        out = []
        for run in self.levels[: max(self.level_index + 1, 0)]:
            progress = run.progress
            counted = {k: int(progress[k]) for k in ("steps", "breaths") if k in progress}
            out.append(
                LevelResult(
                    name=run.name,
                    reps=int(progress.get("reps", 0)),
                    seconds=float(progress["seconds"]) if "seconds" in progress else None,
                    quota=run.plan.quota,
                    best_deg=float(progress["best_deg"]) if "best_deg" in progress else None,
                    stopped=run.stopped,
                    repetitions=run.repetitions,
                    **counted,
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
            pauses=self.pauses,
        )

    def next_quotas(self) -> list[tuple[str, str, str]]:
        """What pacing will ask next time, with this session counted: (exercise, amount, why)."""
        if self.store is None or self.prescription is None:
            return []
        earlier = [s for s in self.store.sessions() if s.id != self.session_id]
        sessions = [*earlier, self.record()]
        pain = self.store.pain_entries()
        later = self._clock() + timedelta(days=1)
        out = []
        for run in self.levels[: max(self.level_index + 1, 0)]:
            decision = plan_exercise(
                Exercise(run.name), self.prescription, sessions, pain, later
            ).today
            if decision.quota > 0:
                unit = "s" if decision.unit.value == "seconds" else "reps"
                why = decision.reason.split(":", 1)[0]
                out.append((run.name.replace("_", " "), f"{decision.quota} {unit}", why))
        return out

    def summary_text(self) -> str:
        """A short summary that fits the panel; the dashboard has the details."""
        minutes, seconds = divmod(int(self.t), 60)
        head = f"Session done, thank you. {minutes} min {seconds:02d} s."
        if self.pain_before is not None and self.pain_after is not None:
            head += f" Pain {self.pain_before} → {self.pain_after}."
        done = []
        for r in self.level_results():
            name = r.name.replace("_", " ")
            if r.breaths is not None:
                done.append(f"{name} {r.breaths} breaths")
            elif r.steps is not None:
                done.append(f"{name} {r.steps} steps")
            else:
                best = f" ({r.best_deg:.0f}°)" if r.best_deg is not None else ""
                done.append(f"{name} {r.reps}/{r.quota}{best}")
        lines = [head, " · ".join(done)]
        upcoming = self.next_quotas()
        whys = {why for _name, _amount, why in upcoming}
        if len(whys) == 1:
            amounts = ", ".join(f"{name} {amount}" for name, amount, _why in upcoming)
            lines.append(f"Next time: {amounts} ({whys.pop()}).")
        elif upcoming:
            lines.append("Next time: " + "; ".join(f"{n} {a} ({w})" for n, a, w in upcoming) + ".")
        return "\n".join(lines)

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
    return Calibration.from_neutral(
        (float(head[0]), float(head[1]), float(head[2])),
        (float(left[0]), float(left[1]), float(left[2])),
        (float(right[0]), float(right[1]), float(right[2])),
        posture,
    )
