"""A scripted Python side for the Godot panel and stop tests, run in the test's own process.

It plays ops at given frame numbers over the real bridge and keeps what Godot reports: the
panel's `described` states, stops, answers, choices and cues. Godot runs headless in lock-step,
so every frame waits for its reply and the script is deterministic.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pacewise.levels.ops import CallMethod, ConnectSignal, Op, Quit
from pacewise.runtime.launcher import Mode, engine_problems, play_session
from pacewise.runtime.protocol import Frame, GodotMessage, OpFailed, Signal, StopPressed

PANEL = "/root/Main/Panel"
CUES = "/root/Main/Cues"
BRIDGE = "/root/PwBridge"
# The text Godot shows by itself the moment STOP is pressed (PwPanel.STOP_TEXT).
STOP_TEXT = "You pressed stop. We have paused.\nTake your time; there is no rush."

DESCRIBE = CallMethod(node=PANEL, method="describe")


def listen() -> list[Op]:
    """Ops that relay the panel's and the cue player's signals to Python."""
    return [
        ConnectSignal(node=PANEL, signal="described"),
        ConnectSignal(node=PANEL, signal="answered"),
        ConnectSignal(node=PANEL, signal="chosen"),
        ConnectSignal(node=CUES, signal="cue_played"),
    ]


@dataclass
class Seen:
    """Something Godot said, with the number of frames Python had received by then."""

    frame: int
    what: Any


@dataclass
class Driver:
    """Plays `steps` (frame number -> ops); `on_stop` answers a stop like a session would."""

    steps: dict[int, list[Op]]
    last: int
    on_stop: Callable[[StopPressed], list[Op]] | None = None
    session_id: str = "panel-driver"
    finished: bool = False
    frames: int = 0
    states: list[Seen] = field(default_factory=list)
    stops: list[Seen] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    choices: list[list[Any]] = field(default_factory=list)
    cues: list[str] = field(default_factory=list)
    failures: list[OpFailed] = field(default_factory=list)
    _replies: list[Op] = field(default_factory=list)

    def on_disconnect(self) -> None:
        pass

    def on_message(self, message: GodotMessage) -> Sequence[Op]:
        if isinstance(message, OpFailed):
            self.failures.append(message)
        elif isinstance(message, StopPressed):
            self.stops.append(Seen(self.frames, message.source))
            if self.on_stop is not None:
                self._replies.extend(self.on_stop(message))
        elif isinstance(message, Signal):
            self._signal(message)
        if not isinstance(message, Frame):
            return []
        self.frames += 1
        if message.n >= self.last:
            self.finished = True
            return [Quit(code=0)]
        replies, self._replies = self._replies, []
        return [*replies, *self.steps.get(message.n, [])]

    def _signal(self, signal: Signal) -> None:
        if signal.signal == "described":
            self.states.append(Seen(self.frames, signal.args[0]))
        elif signal.signal == "answered":
            self.answers.append(int(signal.args[0]))
        elif signal.signal == "chosen":
            self.choices.append(list(signal.args))
        elif signal.signal == "cue_played":
            self.cues.append(str(signal.args[0]))

    def later(self, ops: list[Op]) -> None:
        """Send `ops` with the reply to the next frame (for tests that react as they go)."""
        self._replies.extend(ops)

    def state(self, index: int) -> dict[str, Any]:
        """The panel's `index`-th described state."""
        state: dict[str, Any] = self.states[index].what
        return state


def run_headless(driver: Driver, tmp_path: Path) -> str:
    """Play `driver` against real headless Godot; fail on any engine error in its log."""
    log = tmp_path / "godot.log"
    result = asyncio.run(play_session(driver, Mode.HEADLESS, log_path=log))
    text = log.read_text()
    assert result.returncode == 0, text[-3000:]
    assert engine_problems(text) == [], text[-3000:]
    assert "SCRIPT ERROR" not in text
    assert driver.failures == [], driver.failures
    assert driver.finished, text[-3000:]
    return text
