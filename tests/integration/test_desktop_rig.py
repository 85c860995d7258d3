"""The desktop rig: a person without a headset moves with the keyboard, and Python sees it.

Real Godot in a window under Xvfb (CPU Vulkan), real keys typed with xdotool.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from pacewise.levels.ops import Op, Quit
from pacewise.runtime.launcher import Mode, engine_problems, play_session
from pacewise.runtime.protocol import Frame, GodotMessage, Hello


class Watcher:
    session_id = "desktop-rig-test"

    def __init__(self) -> None:
        self.finished = False
        self.hello: Hello | None = None
        self.heads: list[tuple[float, float, float]] = []
        self.quit = False

    def on_disconnect(self) -> None:
        pass

    def on_message(self, message: GodotMessage) -> Sequence[Op]:
        if isinstance(message, Hello):
            self.hello = message
        if not isinstance(message, Frame):
            return []
        p = message.head.p
        self.heads.append((p[0], p[1], p[2]))
        if self.quit and not self.finished:
            self.finished = True
            return [Quit(code=0)]
        return []


async def _xdotool(*args: str) -> str:
    proc = await asyncio.create_subprocess_exec(
        "xdotool", *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    out, _ = await proc.communicate()
    return out.decode()


async def _scenario(watcher: Watcher, log: Path) -> int:
    game = asyncio.create_task(play_session(watcher, Mode.KEYBOARD, log_path=log))
    for _ in range(600):
        if len(watcher.heads) >= 60 or game.done():
            break
        await asyncio.sleep(0.1)
    windows = (await _xdotool("search", "--sync", "--name", "Pacewise")).split()
    assert windows, "no Pacewise window"
    await _xdotool("windowfocus", "--sync", windows[0])
    before = len(watcher.heads)
    await _xdotool("keydown", "w")
    await asyncio.sleep(1.0)
    await _xdotool("keyup", "w")
    await asyncio.sleep(0.5)
    assert len(watcher.heads) > before
    watcher.quit = True
    result = await asyncio.wait_for(game, 120)
    return result.returncode


def test_holding_w_walks_the_head_forward(
    virtual_display: str, xdotool: str, tmp_path: Path
) -> None:
    watcher = Watcher()
    log = tmp_path / "godot.log"
    code = asyncio.run(_scenario(watcher, log))
    text = log.read_text()
    assert code == 0, text[-3000:]
    assert engine_problems(text) == [], text[-3000:]
    assert watcher.hello is not None and watcher.hello.rig == "desktop"
    start, end = watcher.heads[0], watcher.heads[-1]
    assert end[2] < start[2] - 0.2, (start, end)  # forward is -Z
    assert abs(end[1] - start[1]) < 0.05  # walking keeps the head's height
