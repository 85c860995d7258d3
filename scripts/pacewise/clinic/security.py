"""Who may talk to the dashboard: the person who ran `pacewise dashboard`, through its URL.

The threat is other things on the same machine and web pages in the same browser: a page on
the internet can make the browser send requests to 127.0.0.1 (CSRF), or point a hostname of its
own at 127.0.0.1 (DNS rebinding). So: a one-time login token in the printed URL, exchanged for
an HttpOnly, SameSite=Strict cookie; the Host header must name this server on loopback; POSTs
from a foreign Origin are refused and carry a per-session CSRF token; pages forbid framing and
every outside resource. See docs/dashboard.md.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "pacewise_session"
LOGIN_PATH = "/login"
SAFE_METHODS = frozenset({"GET", "HEAD"})
HEADERS = {
    "content-security-policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
UNKNOWN_HOST = "Unknown host: this dashboard answers on 127.0.0.1 and localhost only.\n"
UNAUTHORISED = (
    "Not signed in. Open the dashboard with the link that `pacewise dashboard` printed "
    "(each link works once; run the command again for a new one).\n"
)


@dataclass(frozen=True)
class Session:
    ident: str
    csrf: str


class Guard:
    """The login token, the signed-in sessions and the rules every request must pass."""

    def __init__(self, port: int, token: str | None = None) -> None:
        self.port = port
        self.token = token or secrets.token_urlsafe(32)
        self._used = False
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset({f"127.0.0.1:{self.port}", f"localhost:{self.port}"})

    @property
    def origins(self) -> frozenset[str]:
        return frozenset(f"http://{host}" for host in self.hosts)

    def login_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{LOGIN_PATH}?token={self.token}"

    def exchange(self, token: str) -> Session | None:
        """The one-time token for a new session; a second use, or a wrong token, gets None."""
        with self._lock:
            if self._used or not hmac.compare_digest(token.encode(), self.token.encode()):
                return None
            self._used = True
            session = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32))
            self._sessions[session.ident] = session
            return session

    def session(self, cookie: str | None) -> Session | None:
        if not cookie:
            return None
        with self._lock:
            for ident, session in self._sessions.items():
                if hmac.compare_digest(ident.encode(), cookie.encode()):
                    return session
        return None

    def csrf_ok(self, session: Session, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(session.csrf.encode(), given.encode())

    def refusal(self, scope: Scope) -> Response | None:
        """Why this request may not go further (None: it may)."""
        headers = Headers(scope=scope)
        if headers.get("host", "") not in self.hosts:
            return PlainTextResponse(
                "Unknown host: this dashboard answers on loopback only.\n", 400
            )
        if scope["method"] not in SAFE_METHODS:
            origin = headers.get("origin")
            if origin is not None and origin not in self.origins:
                return PlainTextResponse("Refused: the request came from another site.\n", 403)
            site = headers.get("sec-fetch-site")
            if site is not None and site not in ("same-origin", "none"):
                return PlainTextResponse("Refused: the request came from another site.\n", 403)
        if scope["path"] == LOGIN_PATH and scope["method"] in SAFE_METHODS:
            return None
        cookie = _cookie(headers.get("cookie", ""))
        session = self.session(cookie)
        if session is None:
            return PlainTextResponse(UNAUTHORISED, 401)
        scope.setdefault("state", {})["session"] = session
        return None


def _cookie(header: str) -> str | None:
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE:
            return value
    return None


class GuardMiddleware:
    """Applies the guard before routing and the security headers to every response."""

    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "websocket":
                return  # no websockets here: close by not accepting
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                present = {name.lower() for name, _ in raw}
                for name, value in HEADERS.items():
                    if name.encode() not in present:
                        raw.append((name.encode(), value.encode()))
                message["headers"] = raw
            await send(message)

        refused = self.guard.refusal(scope)
        if refused is not None:
            await refused(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


def set_cookie(response: Response, session: Session) -> None:
    response.set_cookie(
        COOKIE, session.ident, httponly=True, samesite="strict", path="/", secure=False
    )
