"""STOP in real time (no lock-step) works with the Python side frozen, hung or gone.

Real Godot in a window under Xvfb (CPU Vulkan) with the desktop rig, real keys and clicks typed
with xdotool, and the Python side in a process of its own (python_side.py) that the test freezes
with SIGSTOP or kills with SIGKILL. Godot's output goes to a file, never to a pipe.
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from panel_driver import STOP_TEXT

from pacewise.runtime.bridge import new_token
from pacewise.runtime.launcher import Mode, engine_problems, ensure_imported, godot_command
from pacewise.runtime.protocol import TOKEN_ENV

SIDE = Path(__file__).with_name("python_side.py")
PAUSE_LOG = "stop pressed (key); the pause is shown"
# Where the panel's STOP sits (main.tscn, pw_panel.tscn) and the desktop rig's eyes.
PANEL_ORIGIN = (0.0, 1.42, -1.5)
PANEL_TILT = math.atan2(0.139173, 0.990268)
STOP_ON_PANEL = (0.53, -0.3, 0.012)
EYE_HEIGHT = 1.65
FOV_Y_DEG = 75.0


def wait_for(what: str, ready: Callable[[], bool], timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@dataclass
class Side:
    """One life of the Python side (a process) and what it has logged."""

    proc: subprocess.Popen[bytes]
    log: Path
    control: Path

    def messages(self) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        lines = self.log.read_text().splitlines()
        return [json.loads(line) for line in lines if line.endswith("}")]

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [m for m in self.messages() if m["msg"]["type"] == kind]

    def frames(self) -> list[int]:
        return [m["msg"]["n"] for m in self.of("frame")]

    def described(self) -> list[dict[str, Any]]:
        return [m["msg"]["args"][0] for m in self.of("signal") if m["msg"]["signal"] == "described"]

    def ask(self, flag: str) -> None:
        (self.control / flag).touch()


class World:
    """A real-time Godot with the desktop rig, and the Python sides it talks to."""

    def __init__(self, godot: str, tmp: Path) -> None:
        self.godot = godot
        self.tmp = tmp
        self.token = new_token()
        self.port = 0
        self.sides: list[Side] = []
        self.godot_log = tmp / "godot.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.window = ""

    def start_side(self) -> Side:
        n = len(self.sides)
        port_file = self.tmp / f"port-{n}"
        control = self.tmp / f"control-{n}"
        control.mkdir()
        out = (self.tmp / f"side-{n}.out").open("wb")
        proc = subprocess.Popen(
            [sys.executable, str(SIDE), "--port", str(self.port), "--port-file", str(port_file),
             "--log", str(self.tmp / f"side-{n}.jsonl"), "--control", str(control)],
            env=os.environ | {TOKEN_ENV: self.token}, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_for("the Python side's port", lambda: port_file.exists() and port_file.read_text())
        self.port = int(port_file.read_text())
        side = Side(proc, self.tmp / f"side-{n}.jsonl", control)
        self.sides.append(side)
        return side

    def start_godot(self) -> None:
        ensure_imported(self.godot)
        with self.godot_log.open("wb") as log:
            self.proc = subprocess.Popen(
                godot_command(self.godot, Mode.KEYBOARD, self.port),
                env=os.environ | {TOKEN_ENV: self.token},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        windows = xdo("search", "--sync", "--name", "Pacewise").split()
        assert windows, "no Pacewise window"
        self.window = windows[0]
        xdo("windowfocus", "--sync", self.window)

    def log(self) -> str:
        return self.godot_log.read_text(errors="replace")

    def key(self, name: str) -> None:
        xdo("windowfocus", "--sync", self.window)
        xdo("key", "--window", self.window, name)

    def click_stop(self) -> None:
        """Click where the panel's STOP is seen from the desktop rig's start pose."""
        x, y = stop_on_screen(1280, 720)
        xdo("mousemove", "--window", self.window, str(round(x)), str(round(y)))
        time.sleep(0.2)
        xdo("click", "--window", self.window, "1")

    def close(self) -> None:
        for side in self.sides:
            if side.proc.poll() is None:
                side.proc.send_signal(signal.SIGCONT)
                side.proc.kill()
                side.proc.wait(10)
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


def xdo(*args: str) -> str:
    out = subprocess.run(["xdotool", *args], capture_output=True, text=True, timeout=30)
    return out.stdout


def stop_on_screen(width: int, height: int) -> tuple[float, float]:
    """The STOP button's centre in window pixels (perspective camera, vertical FOV kept)."""
    sx, sy, sz = STOP_ON_PANEL
    c, s = math.cos(PANEL_TILT), math.sin(PANEL_TILT)
    world = (
        PANEL_ORIGIN[0] + sx,
        PANEL_ORIGIN[1] + sy * c + sz * s,
        PANEL_ORIGIN[2] - sy * s + sz * c,
    )
    rel = (world[0], world[1] - EYE_HEIGHT, world[2])
    depth = -rel[2]
    half = math.tan(math.radians(FOV_Y_DEG / 2))
    ndc_x = rel[0] / depth / (half * width / height)
    ndc_y = rel[1] / depth / half
    return (width / 2 * (1 + ndc_x), height / 2 * (1 - ndc_y))


@pytest.fixture
def world(virtual_display: str, xdotool: str, godot: str, tmp_path: Path) -> Iterator[World]:
    world = World(godot, tmp_path)
    try:
        yield world
    finally:
        world.close()


def finish(world: World, side: Side) -> str:
    side.ask("quit")
    assert world.proc is not None
    world.proc.wait(60)
    log = world.log()
    assert world.proc.returncode == 0, log[-3000:]
    assert engine_problems(log) == [], log[-3000:]
    assert "SCRIPT ERROR" not in log
    return log


def test_stop_while_python_is_frozen_pauses_and_reaches_python_after(world: World) -> None:
    side = world.start_side()
    world.start_godot()
    wait_for("frames", lambda: len(side.frames()) >= 90)
    last_before = side.frames()[-1]
    side.proc.send_signal(signal.SIGSTOP)  # the Python side hangs
    frozen_at = time.monotonic()
    try:
        time.sleep(0.5)
        world.key("Escape")
        wait_for("Godot's own pause", lambda: PAUSE_LOG in world.log(), 10)
        time.sleep(max(0.0, 3.0 - (time.monotonic() - frozen_at)))
        assert side.frames()[-1] == last_before  # Python really read nothing meanwhile
    finally:
        side.proc.send_signal(signal.SIGCONT)
    thawed_at = time.monotonic()
    wait_for("the stop", lambda: side.of("stop"), 20)
    side.ask("describe")
    wait_for("the panel", lambda: side.described(), 20)
    [state] = side.described()
    # Python sent no panel op: the pause on the panel is Godot's alone.
    assert state["screen"] == "pause" and state["text"] == STOP_TEXT
    assert state["stop_visible"] is True
    # The frames Godot wrote while Python was frozen arrive at once: Godot never waited. Its
    # frame rate on a software renderer varies, so compare with the rate before the freeze.
    frames = side.of("frame")
    before = [m["wall"] for m in frames if m["wall"] < frozen_at]
    rate = (len(before) - 1) / (before[-1] - before[0])
    backlog = [m for m in frames if thawed_at <= m["wall"] <= thawed_at + 0.3]
    assert len(backlog) >= max(10.0, 0.25 * rate * (thawed_at - frozen_at)), (len(backlog), rate)
    numbers = side.frames()
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))  # none dropped
    [stop] = side.of("stop")
    assert stop["msg"]["source"] == "key"
    cues = [m["msg"]["args"][0] for m in side.of("signal") if m["msg"]["signal"] == "cue_played"]
    assert cues == ["soft_alert"]
    # Once Python has seen it, the desktop rig's other stops work too: B, X (wrist), a click.
    wait_for("frames after the stop", lambda: len(side.frames()) > len(numbers) + 30)
    for press, source in (("b", "key"), ("x", "wrist"), (None, "panel")):
        count = len(side.of("stop"))
        if press is None:
            world.click_stop()
        else:
            world.key(press)
        wait_for(f"a {source} stop", lambda c=count: len(side.of("stop")) > c, 20)
        assert side.of("stop")[-1]["msg"]["source"] == source
        time.sleep(0.5)  # Python acknowledges the stop before the next one counts
    finish(world, side)


def test_stop_while_python_is_gone_reaches_the_next_python_after_its_hello(
    world: World,
) -> None:
    first = world.start_side()
    world.start_godot()
    wait_for("frames", lambda: len(first.frames()) >= 90)
    first.proc.kill()  # kill -9 of the Python side
    first.proc.wait(10)
    time.sleep(0.5)
    world.key("Escape")
    wait_for("Godot's own pause", lambda: PAUSE_LOG in world.log(), 10)
    time.sleep(1.5)  # Godot retries the link meanwhile, and keeps the pause
    second = world.start_side()
    wait_for("the stop", lambda: second.of("stop"), 30)
    kinds = [m["msg"]["type"] for m in second.messages()]
    assert kinds[0] == "hello" and second.of("hello")[0]["msg"]["resumed"] is True
    assert kinds.index("stop") < kinds.index("frame")  # before any frame of the new link
    assert [m["msg"]["source"] for m in second.of("stop")] == ["key"]
    assert first.of("stop") == []
    second.ask("describe")
    wait_for("the panel", lambda: second.described(), 20)
    state = second.described()[0]
    assert state["screen"] == "pause" and state["text"] == STOP_TEXT
    finish(world, second)
