"""A real dashboard server in a background thread, and a small cookie-keeping HTTP client.

Tests, the screenshot script and the benchmark all talk to the same uvicorn server the
`pacewise dashboard` command runs, over a real loopback socket.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from urllib.parse import urlencode

import uvicorn

from pacewise.clinic.app import make_app
from pacewise.clinic.security import COOKIE, Guard
from pacewise.clinic.server import HOST, bind


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Client:
    port: int
    cookie: str | None = None
    host: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        sent = {"Host": self.host or f"{HOST}:{self.port}", **self.extra, **(headers or {})}
        if self.cookie:
            sent["Cookie"] = f"{COOKIE}={self.cookie}"
        body = None
        if form is not None:
            body = urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            return Reply(
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                response.read(),
            )
        finally:
            connection.close()

    def get(self, path: str, **kw: Mapping[str, str]) -> Reply:
        return self.request("GET", path, **kw)

    def post(self, path: str, form: Mapping[str, str], **kw: Mapping[str, str]) -> Reply:
        return self.request("POST", path, form=form, **kw)

    def login(self, token: str) -> Reply:
        reply = self.get(f"/login?token={token}")
        for part in reply.headers.get("set-cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == COOKIE:
                self.cookie = value
        return reply


@dataclass(frozen=True)
class Live:
    port: int
    guard: Guard

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def client(self) -> Client:
        return Client(self.port)


@contextmanager
def running(
    home: Path, *, clock: Callable[[], datetime] | None = None, tz: tzinfo | None = None
) -> Iterator[Live]:
    sock = bind(0)
    guard = Guard(sock.getsockname()[1])
    app = make_app(home, guard, clock=clock, tz=tz, clinician="tester")
    config = uvicorn.Config(app, log_level="warning", lifespan="off", ws="none")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the dashboard server did not start")
        time.sleep(0.02)
    try:
        yield Live(guard.port, guard)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
