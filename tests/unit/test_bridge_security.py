"""The bridge refuses strangers and survives bad input: real sockets, real server."""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from pacewise.levels.ops import Op, ShowText
from pacewise.runtime.bridge import BridgeServer, new_token
from pacewise.runtime.protocol import MAX_MESSAGE_BYTES, PROTOCOL_VERSION, Frame, GodotMessage

HELLO = {
    "type": "hello",
    "protocol": PROTOCOL_VERSION,
    "godot_version": "4.6.3-test",
    "rig": "scripted",
    "physics_hz": 90,
}
POSE = {"p": [0.0, 1.6, 0.0], "q": None, "ok": True}


def frame(n: int) -> str:
    return json.dumps(
        {"type": "frame", "n": n, "t": n / 90, "head": POSE, "left": POSE, "right": POSE}
    )


class Recorder:
    """A minimal handler: remembers what it got, answers each frame with one text op."""

    session_id = "test-session"
    finished = False

    def __init__(self) -> None:
        self.messages: list[GodotMessage] = []
        self.disconnects = 0

    def on_message(self, message: GodotMessage) -> Sequence[Op]:
        self.messages.append(message)
        return [ShowText(text=f"got {message.type}")]

    def on_disconnect(self) -> None:
        self.disconnects += 1


@contextlib.asynccontextmanager
async def serving() -> AsyncIterator[tuple[BridgeServer, Recorder, str]]:
    """A real bridge server on loopback with a recording handler, closed afterwards."""
    handler = Recorder()
    token = new_token()
    server = BridgeServer(handler, token)
    await server.start()
    try:
        yield server, handler, token
    finally:
        await server.close()


def _url(server: BridgeServer) -> str:
    return f"ws://127.0.0.1:{server.port}"


def authorized(server: BridgeServer, token: str, **options: Any) -> connect:
    """A client connection that carries the right token (as the game's does)."""
    return connect(_url(server), additional_headers={"Authorization": f"Bearer {token}"}, **options)


def run(coro: object) -> object:
    return asyncio.run(coro)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer not-the-token"}, 401),
        ({"Authorization": "Basic abc"}, 401),
    ],
)
def test_connection_without_the_token_is_refused(headers: dict[str, str], status: int) -> None:
    async def go() -> None:
        async with serving() as (server, handler, _token):
            with pytest.raises(InvalidStatus) as caught:
                async with connect(_url(server), additional_headers=headers):
                    pass
            assert caught.value.response.status_code == status
            assert handler.messages == []
            assert server.refused

    run(go())


def test_connection_with_an_origin_is_refused_even_with_the_token() -> None:
    async def go() -> None:
        async with serving() as (server, handler, token):
            with pytest.raises(InvalidStatus) as caught:
                async with authorized(server, token, origin="http://localhost:8000"):
                    pass
            assert caught.value.response.status_code == 403
            assert handler.messages == []

    run(go())


def test_server_listens_on_loopback_only() -> None:
    async def go() -> None:
        async with serving() as (server, _handler, _token):
            assert server._server is not None
            hosts = {sock.getsockname()[0] for sock in server._server.sockets}
            assert hosts == {"127.0.0.1"}

    run(go())


def test_handshake_then_frames_are_acknowledged_with_ops() -> None:
    async def go() -> None:
        async with serving() as (server, handler, token):
            async with authorized(server, token) as ws:
                await ws.send(json.dumps(HELLO))
                welcome = json.loads(await ws.recv())
                assert welcome == {
                    "type": "welcome",
                    "protocol": PROTOCOL_VERSION,
                    "session_id": "test-session",
                }
                await ws.send(frame(0))
                reply = json.loads(await ws.recv())
                assert reply["type"] == "commands"
                assert reply["ack"] == 0
                # the op made for hello waits for the first frame, then the frame's own op
                assert [op["text"] for op in reply["ops"]] == ["got hello", "got frame"]
            assert [m.type for m in handler.messages] == ["hello", "frame"]

    run(go())


def test_malformed_messages_get_an_error_and_the_session_goes_on() -> None:
    bad = [
        "not json at all",
        json.dumps({"type": "no_such_type"}),
        json.dumps({"type": "frame", "n": -1, "t": 0, "head": POSE, "left": POSE, "right": POSE}),
        json.dumps({"type": "frame", "n": 1, "t": 0, "head": {"p": [1, 2]}, "left": POSE}),
        json.dumps(["a", "list"]),
    ]

    async def go() -> None:
        async with serving() as (server, handler, token):
            async with authorized(server, token) as ws:
                await ws.send(json.dumps(HELLO))
                await ws.recv()
                for text in bad:
                    await ws.send(text)
                    reply = json.loads(await ws.recv())
                    assert reply["type"] == "error", text
                    assert reply["message"]
                await ws.send(frame(1))
                assert json.loads(await ws.recv())["ack"] == 1
            assert server.errors_sent == len(bad)
            assert [m.type for m in handler.messages] == ["hello", "frame"]

    run(go())


def test_messages_before_hello_are_refused() -> None:
    async def go() -> None:
        async with serving() as (server, handler, token):
            async with authorized(server, token) as ws:
                await ws.send(frame(0))
                reply = json.loads(await ws.recv())
                assert reply == {"type": "error", "message": "the first message must be hello"}
            assert handler.messages == []

    run(go())


def test_other_protocol_version_is_refused_with_both_versions_named() -> None:
    async def go() -> None:
        async with serving() as (server, handler, token):
            async with authorized(server, token) as ws:
                await ws.send(json.dumps(HELLO | {"protocol": 99}))
                reply = json.loads(await ws.recv())
                assert reply["type"] == "error"
                assert "99" in reply["message"]
                assert str(PROTOCOL_VERSION) in reply["message"]
                with pytest.raises(ConnectionClosed):
                    await ws.recv()
            assert handler.messages == []

    run(go())


def test_oversized_message_closes_the_connection() -> None:
    async def go() -> None:
        async with serving() as (server, handler, token):
            async with authorized(server, token, max_size=None) as ws:
                await ws.send(json.dumps(HELLO))
                await ws.recv()
                await ws.send("x" * (MAX_MESSAGE_BYTES + 1))
                with pytest.raises(ConnectionClosed) as closed:
                    await ws.recv()
                assert closed.value.rcvd is not None
                assert closed.value.rcvd.code == 1009
            assert [m.type for m in handler.messages] == ["hello"]

    run(go())


def test_a_second_game_is_refused_while_one_is_connected() -> None:
    async def go() -> None:
        async with (
            serving() as (server, _handler, token),
            authorized(server, token) as first,
        ):
            await first.send(json.dumps(HELLO))
            await first.recv()
            with pytest.raises(InvalidStatus) as caught:
                async with authorized(server, token):
                    pass
            assert caught.value.response.status_code == 409

    run(go())


def _frame_text(n: int, t: str = "", **fields: object) -> str:
    """A frame as JSON text; `t` is put in verbatim so that `1e400` reaches the server as such."""
    body = {"type": "frame", "n": n, "t": "@T@", "head": POSE, "left": POSE, "right": POSE}
    body |= fields
    return json.dumps(body).replace('"@T@"', t or repr(n / 90))


UNIT = {"p": [0.0, 1.6, 0.0], "q": [0.0, 0.0, 0.0, 1.0], "ok": True}

#: Each kind of frame the recording format forbids, and a word the refusal must contain.
BAD_FRAMES = [
    ("t NaN", _frame_text(1, "NaN"), "t: Input should be a finite number"),
    ("t Infinity", _frame_text(1, "Infinity"), "finite number"),
    ("t -Infinity", _frame_text(1, "-Infinity"), "finite number"),
    ("t 1e400", _frame_text(1, "1e400"), "finite number"),
    ("t a huge integer", _frame_text(1, "1" + "0" * 400), "t"),
    ("t negative", _frame_text(1, "-0.5"), "t"),
    ("t past the bound", _frame_text(1, "1e9"), "t"),
    ("t a string", _frame_text(1, '"0.01"'), "t"),
    ("t jumps far", _frame_text(1, "1000.0"), "jumps"),
    ("t goes back", _frame_text(1, "0.0"), "does not come after"),
    ("p NaN", _frame_text(1, head={"p": [0.0, math.nan, 0.0], "ok": True}), "head.p.1"),
    ("p Infinity", _frame_text(1, left={"p": [math.inf, 1.0, 0.0], "ok": True}), "left.p.0"),
    ("q not unit", _frame_text(1, head=UNIT | {"q": [0.0, 0.0, 0.0, 2.0]}), "unit quaternion"),
    ("q zero", _frame_text(1, right=UNIT | {"q": [0.0, 0.0, 0.0, 0.0]}), "unit quaternion"),
    ("q NaN", _frame_text(1, head=UNIT | {"q": [0.0, 0.0, math.nan, 1.0]}), "head.q.2"),
    ("ok a string", _frame_text(1, head=UNIT | {"ok": "true"}), "head.ok"),
    ("ok an integer", _frame_text(1, head=UNIT | {"ok": 1}), "head.ok"),
    ("button a string", _frame_text(1, buttons={"left_trigger": "true"}), "buttons"),
    ("button an integer", _frame_text(1, buttons={"right_by": 1}), "buttons"),
    ("button a list", _frame_text(1, buttons={"right_by": [True]}), "buttons"),
    ("n a float", _frame_text(1).replace('"n": 1,', '"n": 1.5,'), "n"),
]


@pytest.mark.parametrize(("case", "text", "says"), BAD_FRAMES, ids=[c[0] for c in BAD_FRAMES])
def test_a_bad_frame_gets_an_error_and_never_reaches_the_handler(
    case: str, text: str, says: str
) -> None:
    async def go() -> None:
        async with serving() as (server, handler, token):
            async with authorized(server, token) as ws:
                await ws.send(json.dumps(HELLO))
                await ws.recv()
                await ws.send(frame(0))
                assert json.loads(await ws.recv())["ack"] == 0
                await ws.send(text)
                reply = json.loads(await ws.recv())
                assert reply["type"] == "error", case
                assert says in reply["message"], reply["message"]
                await ws.send(frame(1))  # the session goes on with the next good frame
                assert json.loads(await ws.recv())["ack"] == 1
            frames = [m for m in handler.messages if isinstance(m, Frame)]
            assert [(f.n, f.t) for f in frames] == [(0, 0.0), (1, 1 / 90)]
            assert server.errors_sent == 1

    run(go())


def test_good_frames_pass_with_quaternions_buttons_and_lost_tracking() -> None:
    async def go() -> None:
        async with serving() as (server, handler, token):
            async with authorized(server, token) as ws:
                await ws.send(json.dumps(HELLO))
                await ws.recv()
                lost = {"p": [0, 1, 0], "q": None, "ok": False}
                near = UNIT | {"q": [0.0, 0.0, 0.7071, 0.7071]}  # length 0.99999
                await ws.send(_frame_text(0, "0", head=near, left=lost, buttons={"left_by": True}))
                assert json.loads(await ws.recv())["type"] == "commands"
                await ws.send(_frame_text(90, "1.0"))  # a whole second later is still plausible
                assert json.loads(await ws.recv())["ack"] == 90
            frames = [m for m in handler.messages if isinstance(m, Frame)]
            assert [f.t for f in frames] == [0.0, 1.0]
            assert frames[0].buttons == {"left_by": True}
            assert frames[0].tracking().left.ok is False
            assert server.errors_sent == 0

    run(go())


def test_a_binary_frame_gets_an_error_reply_and_the_session_goes_on() -> None:
    async def go() -> None:
        async with serving() as (server, handler, token):
            async with authorized(server, token) as ws:
                await ws.send(json.dumps(HELLO))
                await ws.recv()
                await ws.send(frame(0).encode())  # a valid frame, but as a binary message
                reply = json.loads(await ws.recv())
                assert reply["type"] == "error" and "binary" in reply["message"]
                await ws.send(frame(1))
                assert json.loads(await ws.recv())["ack"] == 1
            assert [m.type for m in handler.messages] == ["hello", "frame"]

    run(go())


@pytest.mark.parametrize("second", ["right", "wrong"])
def test_two_authorization_headers_get_401_not_a_server_error(second: str) -> None:
    async def go() -> None:
        async with serving() as (server, handler, token):
            other = token if second == "right" else "not-the-token"
            headers = [("Authorization", f"Bearer {token}"), ("Authorization", f"Bearer {other}")]
            with pytest.raises(InvalidStatus) as caught:
                async with connect(_url(server), additional_headers=headers):
                    pass
            assert caught.value.response.status_code == 401
            assert handler.messages == []
            assert server.refused == ["repeated Authorization"]

    run(go())


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(
            {
                "type": "signal",
                "node": "/root/Main/Level/A",
                "signal": "hit",
                "args": [1.0, [math.nan]],
            }
        ),
        json.dumps(
            {
                "type": "behaviour_ready",
                "node": "/root/Main/Level/B",
                "script": "res://scripts/x.py",
                "params": {"gain": {"x": math.inf}},
            }
        ),
        json.dumps(HELLO | {"physics_hz": math.nan}),
    ],
    ids=["signal args", "behaviour params", "hello"],
)
def test_non_finite_numbers_are_refused_in_every_message(text: str) -> None:
    async def go() -> None:
        async with serving() as (server, handler, token):
            async with authorized(server, token) as ws:
                if '"hello"' not in text:
                    await ws.send(json.dumps(HELLO))
                    await ws.recv()
                await ws.send(text)
                reply = json.loads(await ws.recv())
                assert reply["type"] == "error"
                assert "finite" in reply["message"] or "valid integer" in reply["message"]
            assert all(m.type == "hello" for m in handler.messages)

    run(go())
