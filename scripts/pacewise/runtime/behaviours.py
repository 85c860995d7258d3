"""Loads the Python behaviour a PyBehaviour node names, routes hooks to it, reloads on edit.

A behaviour that raises is reported and switched off; the session carries on.
"""

from __future__ import annotations

import importlib.util
import inspect
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from pacewise.levels.api import Behaviour, NodeRef, OpSink, SessionView
from pacewise.motion.tracking_frame import TrackingFrame

log = logging.getLogger(__name__)
RELOAD_CHECK_FRAMES = 30


class BehaviourError(RuntimeError):
    """A behaviour script that cannot be loaded: missing, broken, or with no Behaviour class."""


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


@dataclass
class _Hosted:
    node: str
    path: Path
    params: dict[str, Any]
    mtime: float
    instance: Behaviour | None
    failed: str | None = None


@dataclass
class BehaviourHost:
    project_root: Path
    sink: OpSink
    session: SessionView
    hosted: dict[str, _Hosted] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    _frames: int = 0

    def _fail(self, hosted: _Hosted, why: str) -> None:
        hosted.instance = None
        hosted.failed = why
        self.problems.append(why)
        log.error("behaviour at %s switched off: %s", hosted.node, why)

    def _guard(self, hosted: _Hosted, hook: str, *args: Any) -> None:
        if hosted.instance is None:
            return
        try:
            getattr(hosted.instance, hook)(*args)
        except Exception as exc:
            self._fail(hosted, f"{hosted.path.name}.{hook} raised {type(exc).__name__}: {exc}")

    def _instantiate(self, hosted: _Hosted) -> None:
        try:
            cls = load_behaviour_class(hosted.path)
            hosted.instance = cls(NodeRef(hosted.node, self.sink), hosted.params, self.session)
            hosted.failed = None
        except Exception as exc:
            self._fail(hosted, str(exc))
            return
        self._guard(hosted, "on_ready")

    def attach(self, node: str, script: str, params: dict[str, Any]) -> None:
        try:
            path = resolve_script(self.project_root, script)
        except BehaviourError as exc:
            self.problems.append(str(exc))
            log.error("%s", exc)
            return
        hosted = _Hosted(node, path, params, path.stat().st_mtime, None)
        self.hosted[node] = hosted
        self._instantiate(hosted)

    def detach(self, node: str) -> None:
        hosted = self.hosted.pop(node, None)
        if hosted is not None:
            self._guard(hosted, "on_exit")

    def detach_all(self) -> None:
        for node in list(self.hosted):
            self.detach(node)

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
            if mtime != hosted.mtime:
                hosted.mtime = mtime
                log.info("reloading %s", hosted.path.name)
                self._guard(hosted, "on_exit")
                self._instantiate(hosted)
