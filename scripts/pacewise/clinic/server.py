"""Serves the dashboard on loopback with uvicorn, on a socket bound before the URL is printed.

Binding first means the printed URL names the real port (also when the system picked it), and
the guard knows exactly which Host headers are this server.
"""

from __future__ import annotations

import socket
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

import uvicorn

from pacewise.clinic.app import make_app
from pacewise.clinic.security import Guard

HOST = "127.0.0.1"


class PortError(OSError):
    """The requested port cannot be used."""


def bind(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((HOST, port))
    except OSError as error:
        sock.close()
        raise PortError(f"port {port} on {HOST} is not free ({error.strerror or error})") from None
    sock.listen(64)
    return sock


def serve(
    home: Path,
    port: int = 0,
    *,
    open_browser: bool = True,
    say: Callable[[str], None] = print,
) -> None:
    """Run until interrupted (Ctrl+C)."""
    sock = bind(port)
    guard = Guard(sock.getsockname()[1])
    app = make_app(home, guard)
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        server_header=False,
        proxy_headers=False,
        lifespan="off",
        ws="none",
    )
    server = uvicorn.Server(config)
    url = guard.login_url()
    say(f"Pacewise dashboard for {home}")
    say(f"Open this link (it works once): {url}")
    say("Press Ctrl+C to stop.")
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
