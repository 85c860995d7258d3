"""Hosts the Python behaviours that PyBehaviour nodes name: load, run on a budget, reload.

A behaviour is a designer's code, so the session never trusts it with its own time. Every hook
runs under a watchdog with a budget (`HOOK_BUDGET_S`, `LOAD_BUDGET_S`). A hook that raises or
overruns (an endless loop included) switches its behaviour off, is named with its file, line and
traceback (the log, the designer's overlay, `behaviour_errors` in --json), and the session goes
on: the level is recorded as not measured and the stop keeps working. (Code blocked inside a C
call, such as a very long sleep, cannot be interrupted; Godot's own stop and pause still work.)

Editing a behaviour's `.py` while it runs reloads it: the old one's spawned nodes are freed, the
new one gets `on_ready`, then `on_reload(old)` to take over what it keeps (its count, its
calibration). The session's own count of the level is untouched by a reload.
"""

from __future__ import annotations

import ctypes
import importlib.util
import inspect
import logging
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from pacewise.domain.session import Repetition
from pacewise.levels.api import Behaviour, Calibration, LevelPlan, NodeRef, OpSink, SessionView
from pacewise.levels.ops import Free, Op, Spawn
from pacewise.motion.tracking_frame import TrackingFrame

log = logging.getLogger(__name__)
RELOAD_CHECK_FRAMES = 30
#: The longest one hook (on_ready, on_frame, ...) may take before its behaviour is switched off.
HOOK_BUDGET_S = 1.0
#: Loading a behaviour's file (its imports included) may take this long.
LOAD_BUDGET_S = 10.0
WATCH_EVERY_S = 0.05
#: Inspector parameters that would set the dose: the session owns it, so they are ignored.
DOSE_PARAMETERS = frozenset({"quota", "reps", "duration_s", "seconds", "sets"})


class BehaviourError(RuntimeError):
    """A behaviour script that cannot be loaded: missing, broken, or with no Behaviour class."""


class BehaviourTimeout(BaseException):
    """Raised inside a behaviour's thread when it overran its budget (not an Exception, so a
    bare `except Exception` in designer code cannot swallow it)."""


@dataclass(frozen=True)
class BehaviourFailure:
    """What went wrong with one behaviour, for the log, the overlay and --json."""

    node: str
    script: str
    hook: str
    error: str
    line: int | None = None
    traceback: str = ""

    def describe(self) -> str:
        where = f"{self.script}:{self.line}" if self.line else self.script
        return f"{where} ({self.node}) {self.hook}: {self.error}"


def resolve_script(project_root: Path, script: str) -> Path:
    """Map `res://...` to a file inside the project, refusing paths that leave it."""
    if not script.startswith("res://"):
        raise BehaviourError(f"script path {script!r} must start with res://")
    path = (project_root / script.removeprefix("res://")).resolve()
    if project_root.resolve() not in path.parents:
        raise BehaviourError(f"script path {script!r} leaves the project folder")
    if path.suffix != ".py":
        raise BehaviourError(f"script {script!r} is not a .py file")
    if not path.is_file():
        raise BehaviourError(f"script {script!r} does not exist ({path})")
    return path


def load_behaviour_class(path: Path) -> type[Behaviour]:
    """Import `path` afresh and return the one Behaviour subclass it defines."""
    name = f"pacewise_level_{abs(hash(path))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise BehaviourError(f"cannot import {path}")
    module: ModuleType = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        raise BehaviourError(f"{path.name} failed to load: {type(exc).__name__}: {exc}") from exc
    found = [
        obj
        for obj in vars(module).values()
        if inspect.isclass(obj)
        and issubclass(obj, Behaviour)
        and obj is not Behaviour
        and obj.__module__ == name
    ]
    if len(found) != 1:
        raise BehaviourError(
            f"{path.name} must define exactly one Behaviour subclass (found {len(found)})"
        )
    return found[0]


class _Watchdog:
    """Interrupts a hook that overruns its budget, from a thread that is asleep otherwise.

    Hooks run on the session's own thread (no hand-off per frame). While one runs, the watchdog
    knows its deadline; past it, it raises BehaviourTimeout inside that thread. Ending a hook
    takes the same lock, so an interruption can never land in the session's own code: one that
    was sent just as the hook ended is taken back and reported as what it was.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._deadline: float | None = None
        self._target = threading.get_ident()
        self._fired = False
        threading.Thread(target=self._run, name="behaviour-watchdog", daemon=True).start()

    def _run(self) -> None:
        # It looks 20 times a second: waking it for each hook would cost every frame a switch.
        while True:
            time.sleep(WATCH_EVERY_S)
            deadline = self._deadline
            if deadline is None or time.monotonic() < deadline:
                continue
            with self._lock:
                if self._deadline is not None and time.monotonic() >= self._deadline:
                    self._fired = True
                    self._deadline = None
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(
                        ctypes.c_ulong(self._target), ctypes.py_object(BehaviourTimeout)
                    )

    def run(self, fn: Callable[[], Any], budget_s: float) -> Any:
        with self._lock:
            self._target = threading.get_ident()
            self._deadline = time.monotonic() + budget_s
            self._fired = False
        try:
            return fn()
        finally:
            with self._lock:
                self._deadline = None
                fired, self._fired = self._fired, False
                if fired:  # take back an interruption not yet delivered
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._target), None)
            if fired:
                raise BehaviourTimeout(f"took longer than its budget of {budget_s:g} s")


class _GatedSink:
    """A behaviour's way out: closed once it fails, and it remembers what it spawned."""

    def __init__(self, sink: OpSink) -> None:
        self._sink = sink
        self.open = True
        self.spawned: list[str] = []

    def emit(self, op: Op) -> None:
        if not self.open:
            return
        if isinstance(op, Spawn):
            self.spawned.append(f"{op.parent}/{op.name}")
        elif isinstance(op, Free):
            self.spawned = [p for p in self.spawned if p != op.node]
        self._sink.emit(op)


class _GatedSession:
    """The session as one behaviour sees it; a switched-off behaviour no longer reaches it."""

    def __init__(self, session: SessionView, gate: _GatedSink, node: str) -> None:
        self._session = session
        self._gate = gate
        self._node = node

    @property
    def calibration(self) -> Calibration:
        return self._session.calibration

    def plan(self, exercise: str) -> LevelPlan:
        return self._session.plan(exercise)

    def report(self, **progress: int | float) -> None:
        if self._gate.open:
            self._session.report(**progress)

    def finish(self) -> None:
        if self._gate.open:
            self._session.finish()

    def report_rep(self, rep: Repetition) -> None:
        if self._gate.open:
            self._session.report_rep(rep)

    def begin_movement(self) -> None:
        if self._gate.open:
            self._session.begin_movement()

    def ask_scale(self, key: str, prompt: str, low: str, high: str) -> None:
        if self._gate.open:
            self._session.ask_scale(key, prompt, low, high, asker=self._node)  # type: ignore[call-arg]


@dataclass
class _Hosted:
    node: str
    path: Path
    params: dict[str, Any]
    mtime: float
    gate: _GatedSink
    instance: Behaviour | None = None
    failed: BehaviourFailure | None = None


def _failure(hosted: _Hosted, hook: str, exc: BaseException) -> BehaviourFailure:
    """Name the file and line of the designer's code where `exc` came from."""
    mine = hosted.path.resolve()
    chain = [e for e in (exc, exc.__cause__, exc.__context__) if e is not None]
    line: int | None = getattr(exc, "lineno", None)
    shown = exc
    for link in chain:
        frames = traceback.extract_tb(link.__traceback__)
        ours = [f for f in frames if Path(f.filename).resolve() == mine]
        if ours:
            line, shown = ours[-1].lineno, link
            break
    return BehaviourFailure(
        node=hosted.node,
        script=str(hosted.path.name),
        hook=hook,
        error=f"{type(exc).__name__}: {exc}",
        line=line,
        traceback="".join(traceback.format_exception(shown)),
    )


class BehaviourHost:
    """Runs the level's behaviours for the session; `failures` lists what went wrong."""

    def __init__(
        self,
        project_root: Path,
        sink: OpSink,
        session: SessionView,
        *,
        hook_budget_s: float = HOOK_BUDGET_S,
    ) -> None:
        self.project_root = project_root
        self.sink = sink
        self.session = session
        self.hook_budget_s = hook_budget_s
        self.hosted: dict[str, _Hosted] = {}
        self.failures: list[BehaviourFailure] = []
        self.warnings: list[str] = []
        self._frames = 0
        self._watchdog = _Watchdog()

    @property
    def problems(self) -> list[str]:
        return [f.describe() for f in self.failures]

    def _call(self, fn: Callable[[], Any], budget_s: float) -> Any:
        return self._watchdog.run(fn, budget_s)

    def _fail(self, hosted: _Hosted, hook: str, exc: BaseException) -> None:
        failure = _failure(hosted, hook, exc)
        hosted.instance = None
        hosted.failed = failure
        hosted.gate.open = False
        self.failures.append(failure)
        log.error("behaviour switched off: %s\n%s", failure.describe(), failure.traceback)

    def _guard(self, hosted: _Hosted, hook: str, *args: Any) -> None:
        instance = hosted.instance
        if instance is None:
            return
        method = getattr(instance, hook)
        try:
            self._call(lambda: method(*args), self.hook_budget_s)
        except BaseException as exc:  # a designer's bug must not end the session
            self._fail(hosted, hook, exc)

    def _instantiate(self, hosted: _Hosted, old: Behaviour | None = None) -> None:
        hosted.gate = _GatedSink(self.sink)
        gate = hosted.gate
        try:
            cls = self._call(lambda: load_behaviour_class(hosted.path), LOAD_BUDGET_S)
            params = self._checked_params(hosted, cls)
            session = _GatedSession(self.session, gate, hosted.node)
            hosted.instance = cls(NodeRef(hosted.node, gate), params, session)
            hosted.failed = None
        except BaseException as exc:
            self._fail(hosted, "load", exc)
            return
        self._guard(hosted, "on_ready")
        if old is not None:
            self._guard(hosted, "on_reload", old)

    def _checked_params(self, hosted: _Hosted, cls: type[Behaviour]) -> dict[str, Any]:
        params = dict(hosted.params)
        for key in sorted(DOSE_PARAMETERS & params.keys()):
            warning = (
                f"{hosted.node}: parameter {key!r} is ignored: today's amount comes from the "
                "patient's plan and the pacing engine, never from a level"
            )
            self.warnings.append(warning)
            log.warning("%s", warning)
            del params[key]
        return params

    def attach(self, node: str, script: str, params: dict[str, Any]) -> None:
        try:
            path = resolve_script(self.project_root, script)
        except BehaviourError as exc:
            missing = Path(script.removeprefix("res://"))
            hosted = _Hosted(node, missing, params, 0.0, _GatedSink(self.sink))
            self._fail(hosted, "load", exc)
            return
        hosted = _Hosted(node, path, params, path.stat().st_mtime, _GatedSink(self.sink))
        self.hosted[node] = hosted
        self._instantiate(hosted)

    def detach(self, node: str) -> None:
        hosted = self.hosted.pop(node, None)
        if hosted is not None:
            self._guard(hosted, "on_exit")
            hosted.gate.open = False

    def detach_all(self) -> None:
        for node in list(self.hosted):
            self.detach(node)

    @property
    def running(self) -> bool:
        """At least one behaviour of the level is alive."""
        return any(h.instance is not None for h in self.hosted.values())

    def frame(self, frame: TrackingFrame) -> None:
        self._frames += 1
        if self._frames % RELOAD_CHECK_FRAMES == 0:
            self._reload_changed()
        for hosted in list(self.hosted.values()):
            self._guard(hosted, "on_frame", frame)

    def signal(self, node: str, signal: str, args: list[Any]) -> None:
        for hosted in list(self.hosted.values()):
            if node == hosted.node or node.startswith(hosted.node + "/"):
                self._guard(hosted, "on_signal", node, signal, args)

    def answer(self, node: str, key: str, value: int) -> None:
        hosted = self.hosted.get(node)
        if hosted is not None:
            self._guard(hosted, "on_answer", key, value)

    def _reload_changed(self) -> None:
        for hosted in self.hosted.values():
            try:
                mtime = hosted.path.stat().st_mtime
            except OSError:
                continue
            if mtime == hosted.mtime:
                continue
            hosted.mtime = mtime
            log.info("reloading %s", hosted.path.name)
            old = hosted.instance
            self._guard(hosted, "on_exit")
            for path in hosted.gate.spawned:  # what the old code spawned goes with it
                self.sink.emit(Free(node=path))
            hosted.gate.open = False
            self._instantiate(hosted, old)

    def close(self) -> None:
        self.detach_all()
