"""The session flow: check-in, calibration, the day's levels, cool-down, check-in, summary.

A state machine with explicit phases, fed by validated messages and answering with ops. It knows
no sockets and no Godot: any `Transport` (the WebSocket bridge, or the in-memory one the unit
tests use) delivers the messages. Its other jobs are parts of their own: the `Dialog` (typed
questions), the `LevelRun` (the dose, counted by the session, never by a level), the `Recorder`
(durable as things happen), the `BehaviourHost` (designers' code on a budget), and observers
(the synthetic patient, the screenshots). Time is the frames' time, never the wall clock.

Promises kept here, each with a unit test: stop works in every phase; every in-session rating
feeds the pain-rise rule; a high check-in pain or a flare-up today leads to a gentle session or
rest, never the full dose; high expected harm is acknowledged before the bend; a level that
fails or measures nothing is recorded as not measured; a full disk ends the session calmly.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from pacewise.domain.exercises import REGISTRY, Unit
from pacewise.domain.pain import ExposureCheck, PainKind
from pacewise.domain.prescription import Prescription
from pacewise.domain.safety import (
    Action,
    SafetyDecision,
    SafetyThresholds,
    SessionState,
    Symptom,
    evaluate,
    evaluate_all,
    expected_harm,
    flare_up,
    pain_rise,
    symptoms,
)
from pacewise.domain.session import (
    LevelEnd,
    LevelResult,
    Pause,
    Repetition,
    SessionPath,
    SessionRecord,
)
from pacewise.levels.api import Calibration, LevelPlan
from pacewise.levels.ops import (
    ConnectSignal,
    Cue,
    Free,
    LoadLevel,
    Op,
    Quit,
    RigMode,
    ShowText,
    Spawn,
    UnloadLevel,
)
from pacewise.levels.reach import TARGET_SCENE
from pacewise.motion.patient import Point
from pacewise.motion.tracking_frame import TrackingFrame
from pacewise.runtime.behaviours import BehaviourHost
from pacewise.runtime.dialog import HARM_ANCHORS, Answer, Ask, Choice, Dialog, Question
from pacewise.runtime.dose import LevelRun
from pacewise.runtime.prompts import PROMPTS
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
from pacewise.runtime.recorder import Recorder, StoreFailure
from pacewise.runtime.summary import next_quotas, summary_text

log = logging.getLogger(__name__)

PANEL = "/root/Main/Panel"
# Scenes whose spawns the synthetic patient can see and reach for.
TARGET_SCENES = (TARGET_SCENE,)
WELCOME_S = 1.0
CALIBRATION_S = 3.0
REST_S = 4.0
BREAK_S = 60.0
SUMMARY_S = 4.0
#: How long a failure message stays before the game closes (session time).
FAILED_S = 4.0
#: A level whose behaviour has not started this long after loading is not measured.
BEHAVIOUR_START_S = 10.0
#: The safety rules are looked at every this many frames (a tenth of a second at 90 Hz);
#: ratings are looked at the moment they are given.
SAFETY_EVERY_FRAMES = 9
#: The exit code of a session ended because the data folder could not be written.
STORE_FAILED_EXIT = 4

STORE_FAILED_TEXT = (
    "We cannot save on this computer right now, so we will stop here.\n"
    "What you gave before is kept. You can take the headset off."
)


class Phase(StrEnum):
    CONNECTING = "connecting"
    WELCOME = "welcome"
    PAIN_BEFORE = "pain_before"
    FLARE_PATH = "flare_path"
    CALIBRATION = "calibration"
    EXPECT = "expect"
    HARM_ACK = "harm_ack"
    LEVEL = "level"
    FELT = "felt"
    REST = "rest"
    BREAK = "break"
    PAUSED = "paused"
    PAIN_AFTER = "pain_after"
    SUMMARY = "summary"
    FAILED = "failed"
    DONE = "done"


#: Phases where a stop ends the session before it began (nothing was done yet).
BEFORE_START = frozenset({Phase.CONNECTING, Phase.WELCOME, Phase.PAIN_BEFORE, Phase.FLARE_PATH})
#: Phases where a stop pauses and asks what happened.
ACTIVE = frozenset(
    {
        Phase.CALIBRATION,
        Phase.EXPECT,
        Phase.HARM_ACK,
        Phase.LEVEL,
        Phase.FELT,
        Phase.REST,
        Phase.BREAK,
    }
)


class SessionObserver(Protocol):
    """Watches the session as the patient would (what is asked, what is shown) and may act.

    The synthetic patient and the screenshots are observers; the session works without any.
    """

    def asked(self, question: Question, t: float) -> None: ...

    def withdrawn(self) -> None: ...

    def level_started(self, plan: LevelPlan, t: float) -> None: ...

    def level_ended(self) -> None: ...

    def entered(self, phase: Phase, t: float, label: str) -> None: ...

    def act(self, t_next: float, targets: Sequence[Point]) -> list[Op]: ...


def new_session_id(now: datetime) -> str:
    return f"{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


class SessionDirector:
    """Runs one session. Implements the transports' `EngineHandler` and the levels' SessionView."""

    def __init__(
        self,
        *,
        project_root: Path,
        levels: Sequence[LevelPlan],
        recorder: Recorder | None = None,
        observers: Sequence[SessionObserver] = (),
        seed: int | None = None,
        safety: SafetyThresholds | None = None,
        session_cap_s: float = 20 * 60.0,
        prescription: Prescription | None = None,
        history: Callable[[], tuple[list[SessionRecord], list[Any]]] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        scenes: dict[str, str] | None = None,
        session_id: str | None = None,
        synthetic: bool = False,
        flare_today: bool = False,
        first_session: bool = False,
        hook_budget_s: float | None = None,
        designer: bool = False,
    ) -> None:
        self._clock = clock
        self.session_id = session_id or new_session_id(clock())
        self.recorder = recorder or Recorder(None, self.session_id, clock)
        self.recorder.synthetic = synthetic
        self.observers = list(observers)
        self.phase = Phase.CONNECTING
        self.seed = seed
        self.safety = safety or SafetyThresholds()
        self.prescription = prescription
        self._history = history
        self.session_cap_s = session_cap_s
        self.synthetic = synthetic
        self.flare_today = flare_today
        self.first_session = first_session
        #: A designer is watching (a demo, the editor's Play): behaviour errors go on screen.
        self.designer = designer or synthetic
        self.started_at = clock()
        self.godot_version = ""
        self.rig = ""
        self.dt = 1.0 / 90.0
        self.frames = 0
        self.t = 0.0
        self.phase_t = 0.0
        self.pain_before: int | None = None
        self.pain_after: int | None = None
        #: The latest in-session rating (check-in, felt after a bend, at a stop).
        self.pain_now: int | None = None
        self._pain_rise_seen: int | None = None
        self.stopped: str | None = None
        self.path = SessionPath.full
        self.pauses: list[Pause] = []
        self.symptoms: set[Symptom] = set()
        self.op_failures: list[str] = []
        self.exposures: dict[str, ExposureCheck] = {}
        self._probe: dict[str, int] = {}
        self.levels = [LevelRun(plan) for plan in levels]
        self.level_index = -1
        self.restarts = 0
        self.failure: str | None = None
        self.exit_code = 0
        self.scenes = dict(scenes or {})
        self.dialog = Dialog(PANEL)
        self._calib_frames: list[TrackingFrame] = []
        self._calibration: Calibration | None = None
        self._targets: dict[str, Point] = {}
        self._out: list[Op] = []
        self._lost_since: float | None = None
        self._last_break_t = 0.0
        self._break_due = False
        self._posture = "standing"
        self._resume: dict[str, Any] | None = None
        self._level_loaded_t: float | None = None
        self._movement_begun = False
        self._earlier_errors: list[str] = []
        budget = {} if hook_budget_s is None else {"hook_budget_s": hook_budget_s}
        self.host = BehaviourHost(project_root, self, self, **budget)

    # --- the transport's side ------------------------------------------------------------

    @property
    def finished(self) -> bool:
        return self.phase is Phase.DONE

    def emit(self, op: Op) -> None:
        """OpSink: every op leaves through here, so the session knows what is shown."""
        if isinstance(op, Spawn) and op.scene in TARGET_SCENES:
            pos = op.position
            self._targets[f"{op.parent}/{op.name}"] = (pos[0], pos[1], pos[2])
        elif isinstance(op, Free):
            for path in [p for p in self._targets if p == op.node or p.startswith(op.node + "/")]:
                del self._targets[path]
        self._out.append(op)

    def on_message(self, message: GodotMessage) -> list[Op]:
        try:
            self._dispatch(message)
        except StoreFailure as exc:
            self._store_failed(str(exc))
        out, self._out = self._out, []
        return out

    def _dispatch(self, message: GodotMessage) -> None:
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

    def on_disconnect(self) -> None:
        log.warning("the game disconnected during %s", self.phase.value)

    # --- SessionView, for behaviours ---------------------------------------------------

    @property
    def calibration(self) -> Calibration:
        if self._calibration is None:
            raise RuntimeError("the session is not calibrated yet")
        return self._calibration

    def _run(self) -> LevelRun | None:
        if self.phase is Phase.LEVEL and 0 <= self.level_index < len(self.levels):
            return self.levels[self.level_index]
        return None

    def plan(self, exercise: str) -> LevelPlan:
        for run in self.levels:
            if run.name == exercise:
                return run.plan
        raise KeyError(
            f"{exercise!r} is not in today's session; the level is in the wrong exercise slot"
        )

    def report(self, **progress: int | float) -> None:
        run = self._run()
        if run is not None and not run.over:
            counted = run.facts.counted
            before = run.counted
            if counted in progress:  # a reloaded behaviour may start its count again
                progress[counted] = max(float(progress[counted]), before)
            run.report({k: float(v) for k, v in progress.items()})
            step = 10.0 if run.facts.unit is Unit.seconds else 1.0
            if run.counted // step > before // step:
                self._checkpoint()  # each repetition is kept as it is counted

    def finish(self) -> None:
        run = self._run()
        if run is not None:
            run.finish_asked = True

    def report_rep(self, rep: Repetition) -> None:
        run = self._run()
        if run is not None and not run.over:
            run.add_rep(rep)

    def begin_movement(self) -> None:
        run = self._run()
        if run is None or self._movement_begun:
            return
        self._movement_begun = True
        for observer in self.observers:
            observer.level_started(run.plan, self.t)

    def ask_scale(
        self, key: str, prompt: str, low: str, high: str, asker: str | None = None
    ) -> None:
        question, op = self.dialog.scale(Ask.level, prompt, (low, high), asker=asker, key=key)
        self._show_question(question, op)

    # --- questions ---------------------------------------------------------------------

    def _show_question(self, question: Question, op: Op) -> None:
        self.emit(op)
        for observer in self.observers:
            observer.asked(question, self.t)

    def _scale(self, ask: Ask, prompt: str, anchors: tuple[str, str] | None = None) -> None:
        question, op = (
            self.dialog.scale(ask, prompt, anchors) if anchors else self.dialog.scale(ask, prompt)
        )
        self._show_question(question, op)

    def _choose(self, ask: Ask, prompt: str) -> None:
        question, op = self.dialog.choose(ask, prompt)
        self._show_question(question, op)

    def _withdraw(self) -> None:
        op = self.dialog.withdraw()
        if op is not None:
            self.emit(op)
            for observer in self.observers:
                observer.withdrawn()

    def _signal(self, signal: Signal) -> None:
        if signal.node == PANEL and signal.signal in ("answered", "chosen"):
            answer = self.dialog.receive(signal.signal, signal.args)
            if answer is not None:
                self._answered(answer)
            return
        self.host.signal(signal.node, signal.signal, signal.args)

    def _answered(self, answer: Answer) -> None:
        q = answer.question
        if q.ask is Ask.level and answer.value is not None and q.asker is not None:
            self.host.answer(q.asker, q.key or "", answer.value)
        elif answer.value is not None:
            self._rated(q.ask, answer.value)
        elif answer.choice is not None:
            self._chosen(q.ask, answer.choice)

    def _rated(self, ask: Ask, score: int) -> None:
        if ask is Ask.pain_before and self.phase is Phase.PAIN_BEFORE:
            self.pain_before = self.pain_now = score
            self.recorder.pain(score, PainKind.before)
            self.emit(ShowText(text=f"Saved: {score} out of 10."))
            self._checkpoint()
            decision = flare_up(score, self.flare_today, self.safety)
            if decision.action is not Action.carry_on:
                self._note_decision(decision)
                self._enter(Phase.FLARE_PATH)
            else:
                self._enter(Phase.CALIBRATION)
        elif ask in (Ask.pain_after, Ask.stop_pain):
            self.pain_after = self.pain_now = score
            self.recorder.pain(score, PainKind.after)
            self.emit(ShowText(text=f"Saved: {score} out of 10."))
            if ask is Ask.stop_pain:
                self._after_stop_pain(score)
            else:
                self._checkpoint()
                self._enter(Phase.SUMMARY)
        elif ask in (Ask.expected_pain, Ask.expected_harm, Ask.felt_pain, Ask.felt_harm):
            self._probed(ask, score)

    def _chosen(self, ask: Ask, choice: Choice) -> None:
        if ask is Ask.what_happened:
            self._note_pause(answer=choice.value)
            if choice is Choice.pain:
                self._scale(Ask.stop_pain, PROMPTS.stop_pain)
            elif choice is Choice.dizzy:
                self.symptoms.add(Symptom.dizziness)
                decision = symptoms(self._state(), self.safety)
                self._note_pause(outcome="session ended")
                self.pauses.append(
                    Pause(
                        t_s=round(self.t, 3),
                        source=decision.rule,
                        reason=decision.reason,
                        outcome="session ended",
                    )
                )
                self.stopped = f"{self.stopped}: dizzy or sick"
                self.emit(ShowText(text="Please sit down and rest. We stop here for today."))
                self._enter(Phase.PAIN_AFTER)
            else:
                self._choose(Ask.carry_on, PROMPTS.carry_on)
        elif ask is Ask.carry_on:
            if choice is Choice.carry_on:
                self._note_pause(outcome="carried on")
                self.stopped = None
                self._enter(Phase.REST)
            else:
                self._note_pause(outcome="session ended")
                self._enter(Phase.PAIN_AFTER if self.pain_after is None else Phase.SUMMARY)
        elif ask is Ask.flare_path:
            self._note_pause(answer=choice.value)
            if choice is Choice.gentle:
                self._note_pause(outcome="gentle session")
                self._go_gentle()
                self._enter(Phase.CALIBRATION)
            else:
                self._note_pause(outcome="rest today")
                self.path = SessionPath.rest
                self.levels = []
                self.emit(ShowText(text=PROMPTS.rest_today))
                self._enter(Phase.SUMMARY)
        elif ask is Ask.harm_ack:
            run = self.levels[self.level_index]
            self._note_pause(answer=choice.value)
            if choice is Choice.try_gently:
                self._note_pause(outcome="tried gently")
                self._start_level(run)
            else:
                self._note_pause(outcome="left for today")
                run.end(LevelEnd.skipped, self.t, "the patient chose to leave it for today")
                self._checkpoint()
                self._enter(Phase.REST)

    def _after_stop_pain(self, score: int) -> None:
        """The pain given at a stop feeds the pain-rise rule: a rise ends the session."""
        decision = self._pain_rise_decision()
        self._note_pause(answer=f"pain {score}/10")
        if decision is not None:
            self._note_decision(decision, outcome="session ended")
            self._note_pause(outcome="session ended")
            self._checkpoint()
            self._enter(Phase.SUMMARY)
        else:
            self._checkpoint()
            self._choose(Ask.carry_on, PROMPTS.carry_on)

    # --- graded exposure ----------------------------------------------------------------

    def _probed(self, ask: Ask, score: int) -> None:
        run = self.levels[self.level_index]
        self._probe[ask.value] = score
        if ask is Ask.expected_pain:
            self._save_exposure(run)
            self._scale(Ask.expected_harm, PROMPTS.expected_harm, HARM_ANCHORS)
        elif ask is Ask.expected_harm:
            self._save_exposure(run)
            decision = expected_harm(score, self.safety)
            if decision.action is not Action.carry_on:
                self._note_decision(decision)
                self._enter(Phase.HARM_ACK)
            else:
                self._start_level(run)
        elif ask is Ask.felt_pain:
            self.pain_now = score
            self.recorder.pain(
                score,
                PainKind.diary,
                note=f"felt during graded exposure: {run.facts.label}",
                exposure=self._save_exposure(run),
            )
            self._scale(Ask.felt_harm, PROMPTS.felt_harm, HARM_ANCHORS)
        elif ask is Ask.felt_harm:
            check = self._save_exposure(run)
            expected, felt = check.expected_pain if check else None, self._probe.get("felt_pain")
            if expected is not None and felt is not None:
                self.emit(
                    ShowText(
                        text=f"You expected {expected}, you felt {felt}. Thank you for trying."
                    )
                )
            rise = self._pain_rise_decision()
            if rise is not None:
                self._interrupt(rise, end=False)
            else:
                self._enter(Phase.REST)

    def _save_exposure(self, run: LevelRun) -> ExposureCheck | None:
        """Keep the answers so far with the session, at once (a stop may come next)."""
        p = self._probe
        if "expected_pain" not in p or "expected_harm" not in p:
            self._checkpoint()  # the answer so far is in the resume document, not invented
            return None
        check = ExposureCheck(
            movement=run.name,
            expected_pain=p["expected_pain"],
            expected_harm=p["expected_harm"],
            felt_pain=p.get("felt_pain"),
            felt_harm=p.get("felt_harm"),
        )
        self.exposures[run.name] = check
        self._checkpoint()
        return check

    # --- safety --------------------------------------------------------------------------

    def _state(self) -> SessionState:
        return SessionState(
            elapsed_s=self.t,
            session_cap_s=self.session_cap_s,
            pain_start=self.pain_before,
            pain_now=self.pain_now,
            symptoms=frozenset(self.symptoms),
            tracking_lost_s=0.0 if self._lost_since is None else self.t - self._lost_since,
            last_break_s=self._last_break_t,
        )

    def _pain_rise_decision(self) -> SafetyDecision | None:
        """The pain-rise rule on the latest rating, once per rating."""
        decision = pain_rise(self._state(), self.safety)
        if decision.action is Action.pause:
            self._pain_rise_seen = self.pain_now
            return decision
        return None

    def _check_safety(self) -> None:
        decisions = [
            d
            for d in evaluate_all(self._state(), self.safety)
            # a rating acted on already: the patient chose how to go on
            if not (d.rule == "pain_rise" and self._pain_rise_seen == self.pain_now)
        ]
        decision = max(decisions, key=lambda d: d.action)
        if decision.action is Action.suggest_break:
            self._break_due = True
        elif decision.action in (Action.pause, Action.stop):
            if decision.rule == "pain_rise":
                self._pain_rise_seen = self.pain_now
            self._interrupt(decision, end=decision.action is Action.stop)

    def _note_decision(self, decision: SafetyDecision, outcome: str | None = None) -> None:
        self.pauses.append(
            Pause(
                t_s=round(self.t, 3), source=decision.rule, reason=decision.reason, outcome=outcome
            )
        )

    def _interrupt(self, decision: SafetyDecision, end: bool) -> None:
        """A safety rule fired: end the level and pause (or finish for today)."""
        self._withdraw()
        self._end_level_now(LevelEnd.stopped, decision.reason)
        self._note_decision(decision)
        self.emit(Cue(name="soft_alert"))
        if end:
            self.stopped = decision.reason
            self._note_pause(outcome="session ended")
            self.emit(ShowText(text=f"Let's stop here for today: {decision.reason}."))
            self._enter(Phase.PAIN_AFTER)
        else:
            self._enter(Phase.PAUSED)
            self._choose(Ask.carry_on, f"We paused: {decision.reason}. Carry on?")

    def stop(self, reason: str) -> None:
        """The stop button: honoured at once, on every screen."""
        # Godot has already taken any question off the panel and shows its own pause.
        self.dialog.open = None
        if self.phase in (Phase.DONE, Phase.FAILED):
            return
        pause = Pause(t_s=round(self.t, 3), source="stop", reason=reason)
        if self.phase in BEFORE_START:
            self.stopped = reason
            self.pauses.append(
                pause.model_copy(update={"outcome": "session ended before it began"})
            )
            self._enter(Phase.SUMMARY)
        elif self.phase in ACTIVE:
            self.stopped = reason
            self._end_level_now(LevelEnd.stopped, reason)
            self.pauses.append(pause)
            self.emit(Cue(name="soft_alert"))
            self._enter(Phase.PAUSED)
            self._choose(Ask.what_happened, PROMPTS.what_happened)
        elif self.phase is Phase.PAUSED:
            # Already paused (the same pause): ask again what happened; Godot cleared the panel.
            self.stopped = self.stopped or reason
            self._choose(Ask.what_happened, PROMPTS.what_happened)
        elif self.phase is Phase.PAIN_AFTER:
            self.pauses.append(
                pause.model_copy(update={"outcome": "ended without the last rating"})
            )
            self.stopped = self.stopped or reason
            self._enter(Phase.SUMMARY)
        elif self.phase is Phase.SUMMARY:
            self.pauses.append(pause.model_copy(update={"outcome": "closed the summary"}))
            self._enter(Phase.DONE)
        self._checkpoint()

    def _note_pause(self, *, answer: str | None = None, outcome: str | None = None) -> None:
        if not self.pauses:
            return
        last = self.pauses[-1]
        self.pauses[-1] = last.model_copy(
            update={"answer": answer or last.answer, "outcome": outcome or last.outcome}
        )

    # --- the flow -----------------------------------------------------------------------

    def _enter(self, phase: Phase) -> None:
        log.info("phase %s at t=%.2f", phase.value, self.t)
        self.phase = phase
        self.phase_t = self.t
        label = phase.value
        if phase is Phase.LEVEL:
            label = f"level-{self.levels[self.level_index].name}"
        for observer in self.observers:
            observer.entered(phase, self.t, label)
        if phase is Phase.PAIN_BEFORE:
            self._scale(Ask.pain_before, PROMPTS.pain_before)
        elif phase is Phase.FLARE_PATH:
            self._choose(Ask.flare_path, PROMPTS.flare)
        elif phase is Phase.CALIBRATION:
            self._calib_frames = []
            self.emit(ShowText(text=PROMPTS.calibration))
        elif phase is Phase.EXPECT:
            self._probe = {}
            self._scale(Ask.expected_pain, PROMPTS.expected_pain)
        elif phase is Phase.HARM_ACK:
            self._choose(Ask.harm_ack, PROMPTS.harm_ack)
        elif phase is Phase.FELT:
            self._scale(Ask.felt_pain, PROMPTS.felt_pain)
        elif phase is Phase.REST:
            upcoming = self._upcoming()
            text = PROMPTS.rest if upcoming is None else f"{PROMPTS.rest}\nNext: {upcoming}."
            self.emit(ShowText(text=text))
        elif phase is Phase.BREAK:
            self._last_break_t = self.t
            self._break_due = False
            self.emit(ShowText(text=PROMPTS.brk))
            self.emit(Cue(name="chime"))
        elif phase is Phase.PAIN_AFTER:
            self._scale(Ask.pain_after, PROMPTS.pain_after)
        elif phase is Phase.SUMMARY:
            self.emit(ShowText(text=self.summary_text()))
            self.emit(Cue(name="success"))
        elif phase is Phase.DONE:
            self.save()
            self.emit(Quit(code=self.exit_code))

    def _upcoming(self) -> str | None:
        for run in self.levels[self.level_index + 1 :]:
            if not run.over:
                return run.facts.label
        return None

    def _hello(self, hello: Hello) -> None:
        self.godot_version = hello.godot_version
        self.rig = hello.rig
        self.dt = 1.0 / hello.physics_hz
        self.emit(ConnectSignal(node=PANEL, signal="answered"))
        self.emit(ConnectSignal(node=PANEL, signal="chosen"))
        if self._resume is not None:
            self._resume_flow(self._resume)
            self._resume = None
        elif self.phase is Phase.CONNECTING:
            greeting = PROMPTS.welcome_first if self.first_session else PROMPTS.welcome_back
            self.emit(ShowText(text=greeting))
            self._enter(Phase.WELCOME)

    def _frame(self, frame: Frame) -> None:
        self.frames += 1
        self.t = frame.t
        tracking = frame.tracking()
        if self.frames == 1 and not self.recorder.has_recording():
            self.recorder.frame(recording_header(self.dt))
        self.recorder.frame(tracking.recording_line())
        self._track_loss(tracking)
        elapsed = self.t - self.phase_t
        if self.phase is Phase.WELCOME and elapsed >= WELCOME_S:
            self._enter(Phase.PAIN_BEFORE)
        elif self.phase is Phase.CALIBRATION:
            self._calib_frames.append(tracking)
            if elapsed >= CALIBRATION_S:
                self._calibration = calibrate(self._calib_frames)
                self.emit(ShowText(text=""))
                self._checkpoint()
                self._next_level()
        elif self.phase is Phase.LEVEL:
            self._level_frame(tracking)
        elif self.phase is Phase.REST and elapsed >= REST_S:
            if self._break_due:
                self._enter(Phase.BREAK)
            else:
                self._next_level()
        elif self.phase is Phase.BREAK and elapsed >= BREAK_S:
            self._next_level()
        elif self.phase is Phase.SUMMARY and elapsed >= SUMMARY_S:
            self._enter(Phase.DONE)
        elif self.phase is Phase.FAILED and elapsed >= FAILED_S:
            self.phase = Phase.DONE
            self.emit(Quit(code=self.exit_code))
        if self.phase in ACTIVE and self.phase is not Phase.LEVEL:
            self._check_cap()
        if self.phase is not Phase.DONE:
            targets = list(self._targets.values())
            for observer in self.observers:
                for op in observer.act(self.t + self.dt, targets):
                    self.emit(op)

    def _check_cap(self) -> None:
        decision = evaluate(self._state(), self.safety)
        if decision.rule == "session_cap" and decision.action is Action.stop:
            self._interrupt(decision, end=True)

    def _level_frame(self, tracking: TrackingFrame) -> None:
        run = self.levels[self.level_index]
        self.host.frame(tracking)
        if run.over:
            return
        elapsed = self.t - (run.started_t or self.t)
        if run.at_quota:
            self._end_level(LevelEnd.quota)
        elif run.finish_asked:
            self._end_level(LevelEnd.finished)
        elif self.host.failures and not self.host.running:
            failure = self.host.failures[-1]
            self._end_level(
                LevelEnd.not_measured, f"the level's behaviour failed: {failure.describe()}"
            )
        elif not self.host.hosted and elapsed >= BEHAVIOUR_START_S:
            self._end_level(
                LevelEnd.not_measured, "the level's behaviour never started (no PwPyBehaviour?)"
            )
        elif elapsed >= run.cap_s():
            self._end_level(LevelEnd.time_cap, f"nothing was measured in {run.cap_s():.0f} s")
        elif self.frames % SAFETY_EVERY_FRAMES == 0:
            self._check_safety()

    def _track_loss(self, frame: TrackingFrame) -> None:
        if frame.head.ok and frame.left.ok and frame.right.ok:
            self._lost_since = None
        elif self._lost_since is None:
            self._lost_since = self.t

    def _go_gentle(self) -> None:
        """The flare-up path's gentle session: calm levels only, or every level reduced."""
        self.path = SessionPath.gentle
        fraction = self.safety.gentle_fraction
        if fraction > 0:
            plans = [
                run.plan.model_copy(
                    update={
                        "quota": max(1, int(run.plan.quota * fraction)),
                        "reason": f"gentle session: {fraction:.0%} of today's amount",
                    }
                )
                for run in self.levels
            ]
        else:
            plans = [run.plan for run in self.levels if run.facts.gentle] or [gentle_breathing()]
        self.levels = [LevelRun(plan) for plan in plans]

    def _next_level(self) -> None:
        self.level_index += 1
        while self.level_index < len(self.levels) and self.levels[self.level_index].over:
            self.level_index += 1
        if self.level_index >= len(self.levels):
            self._enter(Phase.PAIN_AFTER)
            return
        run = self.levels[self.level_index]
        if run.facts.graded_exposure:
            self._enter(Phase.EXPECT)
        else:
            self._start_level(run)

    def _start_level(self, run: LevelRun) -> None:
        run.started_t = self.t
        self._movement_begun = False
        if run.plan.position != self._posture:
            self._posture = run.plan.position
            self.emit(RigMode(posture=run.plan.position))
        self._enter(Phase.LEVEL)
        self.emit(LoadLevel(scene=self.scenes.get(run.name) or run.facts.default_scene))

    def _end_level_now(self, how: LevelEnd, why: str | None = None) -> None:
        """End the level in progress (if any): unload it and keep what it counted."""
        if self.phase is not Phase.LEVEL:
            return
        run = self.levels[self.level_index]
        run.end(how, self.t, why)
        self.host.detach_all()
        self.emit(UnloadLevel())
        self._targets.clear()
        for observer in self.observers:
            observer.level_ended()
        self._checkpoint()

    def _end_level(self, how: LevelEnd, why: str | None = None) -> None:
        run = self.levels[self.level_index]
        self._end_level_now(how, why)
        if run.ended is LevelEnd.not_measured:
            if self.designer and self.host.failures:
                failure = self.host.failures[-1]
                self.emit(ShowText(text=f"Level behaviour stopped:\n{failure.describe()}"))
            else:
                self.emit(ShowText(text="This one could not be measured today. Let's move on."))
        if run.facts.graded_exposure and run.ended is not LevelEnd.not_measured:
            self._enter(Phase.FELT)
        else:
            self._enter(Phase.REST)

    def _store_failed(self, why: str) -> None:
        """The disk failed: say so calmly, keep what can be kept, and end within seconds."""
        if self.phase in (Phase.FAILED, Phase.DONE):
            return
        self.failure = why
        self.exit_code = STORE_FAILED_EXIT
        self.stopped = self.stopped or "the data folder could not be written"
        self.dialog.open = None
        self.emit(ShowText(text=STORE_FAILED_TEXT))
        self.emit(Cue(name="soft_alert"))
        if self.phase is Phase.LEVEL:
            self.levels[self.level_index].end(
                LevelEnd.interrupted, self.t, "the data folder failed"
            )
            self.host.detach_all()
            self.emit(UnloadLevel())
        self.phase, self.phase_t = Phase.FAILED, self.t
        self.recorder.salvage(self.record())

    # --- resume after a restart of the game side ---------------------------------------------

    def resume_from(self, state: dict[str, Any]) -> None:
        """Carry on a session whose game side died: applied at the next hello."""
        self._resume = state
        self.phase = Phase(state.get("phase", "connecting"))
        self.session_id = state["session_id"]
        self.started_at = datetime.fromisoformat(state["started_at"])
        self.pain_before = state.get("pain_before")
        self.pain_after = state.get("pain_after")
        self.pain_now = state.get("pain_now")
        self._pain_rise_seen = state.get("pain_rise_seen")
        self.stopped = state.get("stopped")
        self.path = SessionPath(state.get("path", "full"))
        self.restarts = int(state.get("restarts", 0)) + 1
        self.frames = int(state.get("frames", 0))
        self.t = float(state.get("t", 0.0))
        self._last_break_t = float(state.get("last_break_t", 0.0))
        self.symptoms = {Symptom(s) for s in state.get("symptoms", [])}
        self.pauses = [Pause.model_validate(p) for p in state.get("pauses", [])]
        self.exposures = {
            k: ExposureCheck.model_validate(v) for k, v in state.get("exposures", {}).items()
        }
        self._probe = dict(state.get("probe", {}))
        self._earlier_errors = list(state.get("behaviour_errors", []))
        plans = [LevelPlan.model_validate(p) for p in state.get("levels", [])]
        results = {r["name"]: LevelResult.model_validate(r) for r in state.get("results", [])}
        self.levels = [
            LevelRun.restored(p, results[p.exercise]) if p.exercise in results else LevelRun(p)
            for p in plans
        ]
        self.level_index = int(state.get("level_index", -1))
        calibration = state.get("calibration")
        self._calibration = Calibration.model_validate(calibration) if calibration else None
        self._posture = state.get("posture", "standing")

    def _resume_flow(self, state: dict[str, Any]) -> None:
        phase = self.phase
        log.info("resuming session %s at %s (restart %d)", self.session_id, phase, self.restarts)
        self.emit(ShowText(text="Thank you for waiting. We carry on now."))
        self._withdraw()
        if 0 <= self.level_index < len(self.levels):
            run = self.levels[self.level_index]
            if not run.over:
                run.end(LevelEnd.interrupted, self.t, "the game's Python side restarted")
        self.emit(UnloadLevel())
        if phase in (Phase.CONNECTING, Phase.WELCOME, Phase.PAIN_BEFORE):
            self._enter(Phase.PAIN_BEFORE if self.pain_before is None else Phase.CALIBRATION)
        elif phase is Phase.FLARE_PATH:
            self._enter(Phase.FLARE_PATH)
        elif self._calibration is None:
            self._enter(Phase.CALIBRATION)
        elif phase is Phase.PAUSED:
            self._enter(Phase.PAUSED)
            self._choose(Ask.carry_on, PROMPTS.carry_on)
        elif phase is Phase.PAIN_AFTER:
            self._enter(Phase.PAIN_AFTER)
        elif phase in (Phase.SUMMARY, Phase.DONE, Phase.FAILED):
            self._enter(Phase.SUMMARY)
        else:
            self._enter(Phase.REST)
        self._checkpoint()

    def state(self) -> dict[str, Any]:
        """What a restarted game side needs to carry on (kept in the resume document)."""
        played = [run.result() for run in self.levels if run.over or run.started_t is not None]
        return {
            "session_id": self.session_id,
            "started_at": self.started_at.isoformat(),
            "phase": self.phase.value,
            "pain_before": self.pain_before,
            "pain_after": self.pain_after,
            "pain_now": self.pain_now,
            "pain_rise_seen": self._pain_rise_seen,
            "stopped": self.stopped,
            "path": self.path.value,
            "restarts": self.restarts,
            "frames": self.frames,
            "t": self.t,
            "last_break_t": self._last_break_t,
            "symptoms": sorted(s.value for s in self.symptoms),
            "pauses": [p.model_dump(mode="json") for p in self.pauses],
            "exposures": {k: v.model_dump(mode="json") for k, v in self.exposures.items()},
            "probe": self._probe,
            "behaviour_errors": self.behaviour_errors(),
            "levels": [run.plan.model_dump(mode="json") for run in self.levels],
            "results": [r.model_dump(mode="json") for r in played],
            "level_index": self.level_index,
            "calibration": (
                self._calibration.model_dump(mode="json") if self._calibration else None
            ),
            "posture": self._posture,
        }

    def _checkpoint(self) -> None:
        if self.phase in (Phase.FAILED,):
            return
        self.recorder.checkpoint(self.record(), self.state())

    # --- the result ---------------------------------------------------------------------

    def behaviour_errors(self) -> list[str]:
        return [*self._earlier_errors, *self.host.problems]

    def level_results(self) -> list[LevelResult]:
        return [run.result() for run in self.levels if run.over or run.started_t is not None]

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
            synthetic=self.synthetic,
            path=self.path,
            restarts=self.restarts,
            behaviour_errors=self.behaviour_errors(),
            exposures=list(self.exposures.values()),
        )

    def next_quotas(self) -> list[tuple[str, str, str]]:
        """What pacing will ask next time, with this session counted: (exercise, amount, why)."""
        if self._history is None or self.prescription is None:
            return []
        try:
            sessions, pain = self._history()
        except Exception:  # the summary must show even when the history cannot be read
            log.exception("could not read the history for the next quotas")
            return []
        played = [run.name for run in self.levels if run.started_t is not None or run.over]
        later = self._clock() + timedelta(days=1)
        return next_quotas(self.record(), played, self.prescription, sessions, pain, later)

    def summary_text(self) -> str:
        """A short summary that fits the panel; the dashboard has the details."""
        return summary_text(self.record(), self.next_quotas())

    def close(self) -> None:
        """The game is gone: keep whatever the session produced, marked as cut short."""
        self.host.close()
        if self.recorder.saved_path is None and self.frames > 0 and self.failure is None:
            if self.phase is not Phase.DONE:
                self.stopped = self.stopped or f"the game closed during {self.phase.value}"
                if self.phase is Phase.LEVEL:
                    self.levels[self.level_index].end(
                        LevelEnd.interrupted, self.t, "the game closed"
                    )
            try:
                self.save()
            except StoreFailure as exc:
                self.failure = str(exc)

    @property
    def saved_path(self) -> str | None:
        return self.recorder.saved_path

    def save(self) -> None:
        """Write the session record and its recording (once)."""
        if self.recorder.saved_path is None:
            self.recorder.finish(self.record())


def gentle_breathing() -> LevelPlan:
    """Calm breathing from its registry defaults, for a gentle session when the plan has none."""
    entry = next(e for e in REGISTRY.values() if e.gentle)
    d = entry.default_plan
    return LevelPlan(
        exercise=entry.id.value,
        unit="seconds",
        quota=d.duration_s or 60,
        position="seated" if d.position.value == "seated" else "standing",
        cadence_per_min=d.cadence_per_min,
        max_deg=90.0,
        reason="gentle session",
    )


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
