"""The engine link: a WebSocket server on loopback that Godot connects to.

This is the one replaceable part that knows about sockets. Game logic sits behind the
`EngineHandler` protocol and only ever sees validated messages and returns ops: a message that
breaks the protocol's rules (binary frames, non-finite numbers, implausible frame times, see
`pacewise.runtime.protocol`) gets an `error` reply here and never reaches the handler, so it is
never recorded.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
import time
from http import HTTPStatus

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from pacewise.levels.ops import Op
from pacewise.runtime.protocol import (
    MAX_MESSAGE_BYTES,
    PROTOCOL_VERSION,
    BadMessage,
    Commands,
    ErrorReply,
    Frame,
    Hello,
    Welcome,
    encode,
    frame_time_problem,
    parse_godot,
)
from pacewise.runtime.transport import EngineHandler

log = logging.getLogger(__name__)
LOOPBACK = "127.0.0.1"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class BridgeServer:
    """Accepts one authenticated Godot at a time and relays between it and the handler.

    Ops produced between frames are held and sent with the reply to the next frame, whose
    `ack` lets a lock-step Godot wait for exactly that reply.
    """

    def __init__(
        self,
        handler: EngineHandler,
        token: str,
        *,
        port: int = 0,
        speed: float | None = None,
    ) -> None:
        self.handler = handler
        self._token = token
        self._port = port
        self._speed = speed
        self._server: Server | None = None
        self._busy = False
        self._pending: list[Op] = []
        self._pace_origin: tuple[float, float] | None = None
        self.finished = asyncio.Event()
        self.refused: list[str] = []
        self.errors_sent = 0

    @property
    def connected(self) -> bool:
        """A game is connected right now."""
        return self._busy

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("bridge not started")
        sock = next(iter(self._server.sockets))
        return int(sock.getsockname()[1])

    async def start(self) -> None:
        self._server = await serve(
            self._serve,
            LOOPBACK,
            self._port,
            process_request=self._check_request,
            max_size=MAX_MESSAGE_BYTES,
            compression=None,
        )

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def _refuse(self, connection: ServerConnection, status: HTTPStatus, why: str) -> Response:
        self.refused.append(why)
        log.warning("bridge refused a connection: %s", why)
        return connection.respond(status, why + "\n")

    def _check_request(self, connection: ServerConnection, request: Request) -> Response | None:
        """Refuse web pages (any Origin), strangers (no or wrong token) and a second client."""
        if "Origin" in request.headers:
            return self._refuse(connection, HTTPStatus.FORBIDDEN, "requests with Origin refused")
        given = request.headers.get_all("Authorization")
        if len(given) > 1:  # which one counts would be a guess: refuse, never a server error
            return self._refuse(connection, HTTPStatus.UNAUTHORIZED, "repeated Authorization")
        expected = f"Bearer {self._token}"
        if not given or not hmac.compare_digest(given[0].encode(), expected.encode()):
            return self._refuse(connection, HTTPStatus.UNAUTHORIZED, "missing or wrong token")
        if self._busy:
            return self._refuse(connection, HTTPStatus.CONFLICT, "a game is already connected")
        return None

    async def _send(self, connection: ServerConnection, message: Welcome | Commands) -> None:
        await connection.send(encode(message))

    async def _error(self, connection: ServerConnection, why: str) -> None:
        self.errors_sent += 1
        await connection.send(encode(ErrorReply(message=why)))

    async def _serve(self, connection: ServerConnection) -> None:
        self._busy = True
        try:
            await self._converse(connection)
        except ConnectionClosed:
            pass
        finally:
            self._busy = False
            if not self.handler.finished:
                self.handler.on_disconnect()
            else:
                self.finished.set()

    async def _converse(self, connection: ServerConnection) -> None:
        greeted = False
        last_t: float | None = None  # the last accepted frame's time on this connection
        async for raw in connection:
            if isinstance(raw, bytes):
                await self._error(connection, "binary frames are refused: send JSON as text")
                continue
            try:
                message = parse_godot(raw)
            except BadMessage as exc:
                await self._error(connection, f"unreadable message: {exc}")
                continue
            if isinstance(message, Frame) and greeted:
                problem = frame_time_problem(last_t, message.t)
                if problem is not None:
                    await self._error(connection, f"frame {message.n} refused: {problem}")
                    continue
                last_t = message.t
            if not greeted:
                if not isinstance(message, Hello):
                    await self._error(connection, "the first message must be hello")
                    continue
                if message.protocol != PROTOCOL_VERSION:
                    await self._error(
                        connection,
                        f"protocol {message.protocol} is not supported; "
                        f"this Pacewise speaks protocol {PROTOCOL_VERSION}",
                    )
                    await connection.close(code=1002, reason="protocol version")
                    return
                greeted = True
                await self._send(connection, Welcome(session_id=self.handler.session_id))
            try:
                self._pending.extend(self.handler.on_message(message))
            except Exception:  # a gameplay bug must not take the session down
                log.exception("handler failed on %s", message.type)
                await self._error(connection, f"internal error while handling {message.type}")
            if isinstance(message, Frame):
                await self._pace(message.t)
                ops, self._pending = self._pending, []
                await self._send(connection, Commands(ack=message.n, ops=ops))
                if self.handler.finished and any(op.op == "quit" for op in ops):
                    self.finished.set()

    async def _pace(self, session_t: float) -> None:
        """With a speed set, keep session time at `speed` times wall time (demo viewing)."""
        if not self._speed:
            return
        now = time.monotonic()
        if self._pace_origin is None:
            self._pace_origin = (now, session_t)
        wall0, t0 = self._pace_origin
        ahead = (session_t - t0) / self._speed - (now - wall0)
        if ahead > 0:
            await asyncio.sleep(ahead)
