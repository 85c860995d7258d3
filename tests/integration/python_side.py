"""A Python side in a process of its own, for tests that freeze (SIGSTOP) or kill it under Godot.

Serves the real bridge (token from PACEWISE_BRIDGE_TOKEN) and writes every message Godot sends
as one JSON line, `{"wall": <monotonic s>, "msg": {...}}`, flushed at once, so the test can read
it even after this process is killed. It sends no panel ops of its own: whatever the panel shows
comes from Godot. Files in the control folder steer it: `describe` asks the panel to describe
itself (its `described` signal is relayed), `quit` ends the session.

    python python_side.py --port 0 --port-file F --log L --control DIR
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from pacewise.levels.ops import CallMethod, ConnectSignal, Op, Quit
from pacewise.runtime.bridge import BridgeServer
from pacewise.runtime.protocol import TOKEN_ENV, Frame, GodotMessage

PANEL = "/root/Main/Panel"
LIFETIME_S = 300.0
QUIT_GRACE_S = 15.0


class Recorder:
    session_id = "python-side"

    def __init__(self, log: IO[str], control: Path) -> None:
        self.finished = False
        self._log = log
        self._control = control
        self._frames = 0

    def on_disconnect(self) -> None:
        pass

    def on_message(self, message: GodotMessage) -> Sequence[Op]:
        line = {"wall": time.monotonic(), "msg": message.model_dump(mode="json")}
        self._log.write(json.dumps(line) + "\n")
        self._log.flush()
        if not isinstance(message, Frame):
            return []
        self._frames += 1
        ops: list[Op] = []
        if self._frames == 1:
            ops += [
                ConnectSignal(node=PANEL, signal="described"),
                ConnectSignal(node="/root/Main/Cues", signal="cue_played"),
            ]
        if self._take("describe"):
            ops.append(CallMethod(node=PANEL, method="describe"))
        if self._take("quit"):
            self.finished = True
            ops.append(Quit(code=0))
        return ops

    def _take(self, name: str) -> bool:
        flag = self._control / name
        if not flag.exists():
            return False
        flag.unlink()
        return True


async def serve(port: int, port_file: Path, log_path: Path, control: Path) -> None:
    with log_path.open("a", encoding="utf-8") as log:
        server = BridgeServer(Recorder(log, control), os.environ[TOKEN_ENV], port=port)
        await server.start()
        port_file.write_text(str(server.port))
        try:
            await asyncio.wait_for(server.finished.wait(), LIFETIME_S)
            # As the launcher does: let Godot read its quit and leave first. Closing at once
            # can end the link before Godot has read the quit, and it would wait to reconnect.
            for _ in range(int(QUIT_GRACE_S / 0.05)):
                if not server.connected:
                    break
                await asyncio.sleep(0.05)
        finally:
            await server.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file", type=Path, required=True)
    parser.add_argument("--log", type=Path, required=True)
    parser.add_argument("--control", type=Path, required=True)
    args = parser.parse_args()
    asyncio.run(serve(args.port, args.port_file, args.log, args.control))


if __name__ == "__main__":
    main()
