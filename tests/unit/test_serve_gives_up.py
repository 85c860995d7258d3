"""`pacewise serve` gives up when no game comes, instead of running for ever.

A real `serve` process with a real bridge; the "game" is a real WebSocket client or none.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from websockets.asyncio.client import connect

from pacewise.runtime.bridge import new_token
from pacewise.runtime.protocol import PROTOCOL_VERSION, TOKEN_ENV
from pacewise.store.store import Store


def _serve(tmp_path: Path, token: str, *options: str) -> subprocess.Popen[str]:
    env = os.environ | {TOKEN_ENV: token, "PACEWISE_HOME": str(tmp_path / "home")}
    return subprocess.Popen(
        [sys.executable, "-m", "pacewise.cli.main", "serve", "--port-file",
         str(tmp_path / "port"), *options],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _port(tmp_path: Path, serve: subprocess.Popen[str]) -> int:
    port_file = tmp_path / "port"
    for _ in range(400):
        if port_file.exists() or serve.poll() is not None:
            break
        time.sleep(0.05)
    return int(port_file.read_text())


def test_serve_exits_3_with_a_clear_message_when_no_game_connects(tmp_path: Path) -> None:
    serve = _serve(tmp_path, new_token(), "--connect-timeout", "1")
    try:
        _port(tmp_path, serve)
        out, err = serve.communicate(timeout=60)
    finally:
        if serve.poll() is None:
            serve.kill()
    assert serve.returncode == 3, out + err
    assert "no game connected within 1 s" in err
    assert "--connect-timeout" in err
    assert not (tmp_path / "port").exists()
    assert Store.open(tmp_path / "home").sessions() == []


def test_a_game_that_says_hello_and_leaves_without_a_frame_does_not_keep_it_alive(
    tmp_path: Path,
) -> None:
    token = new_token()
    serve = _serve(tmp_path, token, "--connect-timeout", "1.5")
    hello = {
        "type": "hello",
        "protocol": PROTOCOL_VERSION,
        "godot_version": "4.6-test",
        "rig": "scripted",
        "physics_hz": 90,
    }

    async def visit(port: int) -> str:
        headers = {"Authorization": f"Bearer {token}"}
        async with connect(f"ws://127.0.0.1:{port}", additional_headers=headers) as ws:
            await ws.send(json.dumps(hello))
            welcome = json.loads(await ws.recv())
            await asyncio.sleep(2.0)  # longer than the timeout: a connected game is waited for
            return str(welcome["type"])

    try:
        assert asyncio.run(visit(_port(tmp_path, serve))) == "welcome"
        assert serve.poll() is None, "serve gave up while a game was connected"
        out, err = serve.communicate(timeout=60)
    finally:
        if serve.poll() is None:
            serve.kill()
    assert serve.returncode == 3, out + err
    assert "no game connected within 1.5 s" in err
