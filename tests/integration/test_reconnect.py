"""If the Python side dies, Godot keeps its world, pauses calmly and reconnects."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence

from pacewise.levels.ops import Op, Quit
from pacewise.runtime.bridge import BridgeServer, new_token
from pacewise.runtime.launcher import Mode, ensure_imported, godot_command
from pacewise.runtime.protocol import TOKEN_ENV, Frame, GodotMessage, Hello


class Side:
    """One life of the Python side: records hellos and frames, quits Godot when told to."""

    session_id = "reconnect-test"

    def __init__(self, quit_after: int | None) -> None:
        self.finished = False
        self.hellos: list[Hello] = []
        self.frames: list[int] = []
        self.quit_after = quit_after
        self.got_frames = asyncio.Event()

    def on_disconnect(self) -> None:
        pass

    def on_message(self, message: GodotMessage) -> Sequence[Op]:
        if isinstance(message, Hello):
            self.hellos.append(message)
        if isinstance(message, Frame):
            self.frames.append(message.n)
            if len(self.frames) >= 30:
                self.got_frames.set()
            if self.quit_after is not None and len(self.frames) >= self.quit_after:
                self.finished = True
                return [Quit(code=0)]
        return []


async def _scenario(godot: str) -> tuple[Side, Side, int, str]:
    ensure_imported(godot)
    token = new_token()
    first = Side(quit_after=None)
    server = BridgeServer(first, token)
    await server.start()
    port = server.port
    proc = await asyncio.create_subprocess_exec(
        *godot_command(godot, Mode.HEADLESS, port),
        env=os.environ | {TOKEN_ENV: token},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert proc.stdout is not None
    log_task = asyncio.create_task(proc.stdout.read())
    try:
        await asyncio.wait_for(first.got_frames.wait(), 60)
        await server.close()  # the Python side dies
        await asyncio.sleep(0.5)
        second = Side(quit_after=20)
        server = BridgeServer(second, token, port=port)
        await server.start()
        await asyncio.wait_for(proc.wait(), 60)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await server.close()
    return first, second, proc.returncode or 0, (await log_task).decode()


def test_godot_reconnects_and_says_it_resumed(godot: str) -> None:
    first, second, code, log = asyncio.run(_scenario(godot))
    assert code == 0, log
    assert "SCRIPT ERROR" not in log
    assert [h.resumed for h in first.hellos] == [False]
    assert [h.resumed for h in second.hellos] == [True]
    assert len(second.frames) >= 20
    # the world kept its frame count across the gap: frames go on, not from zero
    assert second.frames[0] > first.frames[-1]
