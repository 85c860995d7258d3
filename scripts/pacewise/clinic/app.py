"""The dashboard: a Starlette app with server-rendered pages and no script at all.

Every page reads the store afresh (the game may have saved a session a minute ago), renders
charts as inline SVG on the server, and links only to itself. The plan editor posts a form;
the server validates it with the domain's rules, shows what would change, and saves a new
revision only after that preview, with a reason.
"""

from __future__ import annotations

import contextlib
import getpass
import io
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, Literal

import jinja2
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from pacewise.clinic import archive, plan_diff, plan_form
from pacewise.clinic.archive import ArchiveError
from pacewise.clinic.overview import Snapshot, build, pauses
from pacewise.clinic.period import DEFAULT_DAYS, SPANS, Period, PeriodError, local_tz, resolve
from pacewise.clinic.reports import render
from pacewise.clinic.security import Guard, GuardMiddleware, Session, set_cookie
from pacewise.clinic.templating import PACKAGE, environment, figures
from pacewise.domain.prescription import Exercise
from pacewise.store import DamagedFileError, Problem, Store, StoreError

#: Long tables are cut to the newest rows; the CSV report has them all.
TABLE_ROWS = 200


@dataclass
class Clinic:
    """What every request needs: the data folder, the guard, time and the templates."""

    home: Path
    guard: Guard
    tz: tzinfo
    clock: Callable[[], datetime]
    env: jinja2.Environment
    clinician: str
    _cached: tuple[object, Snapshot] | None = None
    _noted: tuple[object, list[dict[str, Any]]] | None = None

    def store(self) -> Store:
        return Store.open(self.home)

    def snapshot(self) -> Snapshot:
        """The store as it is now; reused while no data file changed and the day is the same.

        Damaged files do not stop the read: their problems travel with the snapshot, and each
        page asks (`need`) only for the parts it shows.
        """
        key = (state(self.home), self.clock().astimezone(self.tz).date())
        cached = self._cached
        if cached is not None and cached[0] == key:
            return cached[1]
        snapshot = Snapshot.read(self.store(), self.clock(), strict=False)
        self._cached = (key, snapshot)
        return snapshot

    async def need(self, *areas: str) -> Snapshot:
        """The snapshot (read off the event loop), or DamagedFileError naming the damaged
        files among those these areas read (answered with the calm page)."""
        snapshot = await run_in_threadpool(self.snapshot)
        await run_in_threadpool(self.notices)  # the page's note, worked out off the loop too
        problems = snapshot.damaged(self.home, *areas)
        if problems:
            raise DamagedFileError(problems)
        return snapshot

    def notices(self) -> list[dict[str, Any]]:
        """Every problem the store knows of right now, for the note at the top of each page."""
        key = state(self.home)
        noted = self._noted
        if noted is not None and noted[0] == key:
            return noted[1]
        cached = self._cached
        found = list(cached[1].problems) if cached is not None else []
        with contextlib.suppress(OSError):
            found += self.store().scan()
        notes = [self.describe(p) for p in found]
        self._noted = (key, notes)
        return notes

    def describe(self, problem: Problem) -> dict[str, Any]:
        path = problem.path
        shown = path.relative_to(self.home) if path.is_relative_to(self.home) else path
        return {
            "file": str(shown),
            "line": problem.line,
            "what": problem.what,
            "hint": problem.hint,
        }

    def page(
        self,
        request: Request,
        name: str,
        status: int = 200,
        *,
        notices: list[dict[str, Any]] | None = None,
        **values: Any,
    ) -> HTMLResponse:
        session: Session = request.scope["state"]["session"]
        html = self.env.get_template(name).render(
            tz=self.tz,
            csrf=session.csrf,
            path=request.url.path,
            notices=self.notices() if notices is None else notices,
            **values,
        )
        return HTMLResponse(html, status_code=status)


def state(home: Path) -> tuple[tuple[str, int, int, int, int], ...]:
    """Size, modification and change time and mode of every file and folder of the store.

    The store only appends to its journals (size grows) or replaces files by renaming (a new
    modification time); a chmod changes the change time. So an unchanged key means unchanged
    data and unchanged problems, and the snapshot and the page notes are reused.
    """
    found = []
    folders = [""]
    while folders:
        folder = folders.pop(0)
        path = home / folder
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError:
            found.append((folder, -1, -1, -1, -1))
            continue
        for entry in entries:
            rel = f"{folder}/{entry.name}" if folder else entry.name
            if rel in SKIPPED:
                continue
            info = entry.stat(follow_symlinks=False)
            found.append((rel, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_mode))
            if entry.is_dir(follow_symlinks=False):
                folders.append(rel)
    return tuple(found)


#: Folders whose changes do not change what the dashboard shows.
SKIPPED = {"locks", "leftovers", "sessions/orphaned"}


class PlanPost(BaseModel):
    """The plan editor's envelope; the plan's own values are validated by the domain."""

    model_config = ConfigDict(frozen=True)

    action: Literal["preview", "save"]
    csrf: str
    base_revision: int = Field(ge=0)
    previewed: str = ""
    reason: str = Field(default="", max_length=500)
    by: str = Field(default="", max_length=80)


def _period(clinic: Clinic, request: Request, snapshot: Snapshot) -> tuple[Period, str | None]:
    q = request.query_params
    today = clinic.clock().astimezone(clinic.tz).date()
    earliest = snapshot.earliest(clinic.tz)
    span = q.get("span")
    try:
        if span in SPANS and not q.get("from"):
            days = SPANS[span]
            return resolve(None, q.get("to"), today, earliest, days or 0), None
        return resolve(q.get("from"), q.get("to"), today, earliest, DEFAULT_DAYS), None
    except PeriodError as error:
        return resolve(None, None, today, earliest, DEFAULT_DAYS), str(error)


#: The parts of the data the overview, the session pages and the reports read.
EVERYTHING = ("pain", "sessions", "plan")


def _report(snapshot: Snapshot, period: Period, tz: tzinfo, fmt: str) -> tuple[str, bytes]:
    """One file to download: the report, or the CSV tables zipped together."""
    files = render.report(snapshot, period, tz, fmt)
    if len(files) == 1:
        ((name, data),) = files.items()
        return name, data
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for member, content in files.items():
            bundle.writestr(member, content)
    return f"{render.base_name(period)}-csv.zip", buffer.getvalue()


def make_app(
    home: Path,
    guard: Guard,
    *,
    clock: Callable[[], datetime] | None = None,
    tz: tzinfo | None = None,
    clinician: str | None = None,
) -> Starlette:
    zone = tz or local_tz()
    clinic = Clinic(
        home=home,
        guard=guard,
        tz=zone,
        clock=clock or (lambda: datetime.now(zone)),
        env=environment(),
        clinician=clinician or getpass.getuser(),
    )

    async def login(request: Request) -> Response:
        session = guard.exchange(request.query_params.get("token", ""))
        if session is None:
            return PlainTextResponse(
                "This sign-in link is not valid or was used already. Run `pacewise dashboard` "
                "again for a new one.\n",
                401,
            )
        response = RedirectResponse("/", status_code=303)
        set_cookie(response, session)
        return response

    async def overview(request: Request) -> Response:
        snapshot = await clinic.need(*EVERYTHING)
        period, problem = _period(clinic, request, snapshot)
        view = await run_in_threadpool(build, snapshot, period, clinic.tz)
        return clinic.page(
            request,
            "overview.html",
            view=view,
            figures=figures(view, clinic.tz),
            problem=problem,
            spans=SPANS,
            rows=TABLE_ROWS,
        )

    async def session_detail(request: Request) -> Response:
        snapshot = await clinic.need(*EVERYTHING)
        ident = request.path_params["ident"]
        session = next((s for s in snapshot.sessions if s.id == ident), None)
        if session is None:
            return clinic.page(request, "missing.html", 404, what=f"session {ident}")
        pain = [e for e in snapshot.pain if e.session_id == ident]
        decisions = {
            e.value: next((d for d in snapshot.plans[e].history if d.session_id == ident), None)
            for e in Exercise
        }
        return clinic.page(
            request,
            "session.html",
            session=session,
            pain=pain,
            decisions=decisions,
            pauses=pauses(session),
        )

    def editor(
        request: Request,
        values: dict[str, str],
        snapshot: Snapshot,
        *,
        checked: plan_form.Checked | None = None,
        preview: dict[str, Any] | None = None,
        reason: str = "",
        by: str = "",
        notice: str | None = None,
        status: int = 200,
    ) -> Response:
        return clinic.page(
            request,
            "plan.html",
            status,
            groups=plan_form.GROUPS,
            values=values,
            checked=checked,
            preview=preview,
            version=snapshot.current,
            reason=reason,
            by=by or clinic.clinician,
            notice=notice,
            choices=plan_form.position_choices,
        )

    async def plan_get(request: Request) -> Response:
        snapshot = await clinic.need("plan")
        values = plan_form.values_of(snapshot.current.prescription)
        return editor(request, values, snapshot)

    async def plan_post(request: Request) -> Response:
        session: Session = request.scope["state"]["session"]
        form = await request.form()
        text = {k: v for k, v in form.items() if isinstance(v, str)}
        try:
            post = PlanPost.model_validate(text)
        except ValidationError:
            return PlainTextResponse("The form was incomplete; reload the plan editor.\n", 400)
        if not guard.csrf_ok(session, post.csrf):
            return PlainTextResponse("The form has expired; reload the plan editor.\n", 403)
        snapshot = await clinic.need(*EVERYTHING)
        current = snapshot.current
        values = {k: text.get(k, "") for k in plan_form.FIELDS}
        if post.base_revision != current.revision:
            return editor(
                request,
                plan_form.values_of(current.prescription),
                snapshot,
                notice=f"The plan changed while you were editing (now revision "
                f"{current.revision}). Here is the plan in force; make your change again.",
                status=409,
            )
        checked = plan_form.validate(current.prescription, values)
        if checked.prescription is None:
            return editor(
                request,
                values,
                snapshot,
                checked=checked,
                reason=post.reason,
                by=post.by,
                status=422,
            )
        new = checked.prescription
        found = plan_diff.changes(current.prescription, new)
        quotas = plan_diff.quota_changes(
            current.prescription, new, snapshot.sessions, snapshot.pain, snapshot.now
        )
        digest = plan_form.digest(new)
        preview = {
            "changes": found,
            "quotas": quotas,
            "summary": plan_diff.summary(found, quotas),
            "digest": digest,
        }
        reason, by = post.reason.strip(), post.by.strip()
        problems = []
        if post.action == "save":
            if not found:
                problems.append("Nothing changed: there is no new version to save.")
            if not reason:
                problems.append("Say why the plan changes (the reason is kept with the version).")
            if not by:
                problems.append("Say who makes the change.")
            if post.previewed != digest:
                problems.append("Check the changes below, then save.")
        if post.action == "preview" or problems:
            preview["problems"] = problems
            return editor(
                request,
                values,
                snapshot,
                checked=checked,
                preview=preview,
                reason=reason,
                by=by,
                status=200 if post.action == "preview" else 422,
            )
        try:
            version = clinic.store().set_prescription(new, by=by, at=clinic.clock(), note=reason)
        except StoreError as error:
            return editor(request, values, snapshot, notice=f"Not saved: {error}", status=500)
        return RedirectResponse(f"/plan/history?saved={version.revision}", status_code=303)

    async def history(request: Request) -> Response:
        snapshot = await clinic.need("plan")
        versions = list(reversed(snapshot.versions))
        rows = []
        for i, version in enumerate(versions):
            older = versions[i + 1] if i + 1 < len(versions) else None
            found = plan_diff.changes(older.prescription, version.prescription) if older else []
            rows.append({"version": version, "changes": found, "first": older is None})
        saved = request.query_params.get("saved")
        return clinic.page(request, "history.html", rows=rows, saved=saved)

    async def reports(request: Request) -> Response:
        snapshot = await clinic.need("pain", "sessions")
        period, problem = _period(clinic, request, snapshot)
        return clinic.page(request, "reports.html", period=period, problem=problem)

    async def report_file(request: Request) -> Response:
        fmt = request.path_params["fmt"]
        if fmt not in render.FORMATS:
            return PlainTextResponse(f"Unknown report format {fmt!r}.\n", 404)
        snapshot = await clinic.need(*EVERYTHING)
        period, problem = _period(clinic, request, snapshot)
        if problem:
            return PlainTextResponse(problem + "\n", 400)
        # report work can take seconds: off the event loop, so other requests are answered
        name, data = await run_in_threadpool(_report, snapshot, period, clinic.tz, fmt)
        return Response(
            data,
            media_type=render.media_type(name),
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )

    async def export(request: Request) -> Response:
        data = await run_in_threadpool(archive.export_bytes, clinic.home, clinic.clock())
        name = archive.default_name(clinic.clock())
        return Response(
            data,
            media_type="application/zip",
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )

    async def stylesheet(request: Request) -> Response:
        css = (PACKAGE / "static" / "dashboard.css").read_text(encoding="utf-8")
        return Response(css, media_type="text/css", headers={"cache-control": "no-cache"})

    async def damaged(request: Request, exc: Exception) -> Response:
        problems = exc.problems if isinstance(exc, DamagedFileError) else []
        what = None if problems else str(exc)
        if isinstance(exc, OSError):
            what = f"{exc.filename or 'a file'}: {exc.strerror or exc}"
        return clinic.page(
            request,
            "damaged.html",
            503,
            notices=[],
            problems=[clinic.describe(p) for p in problems],
            what=what,
        )

    app = Starlette(
        exception_handlers={StoreError: damaged, ArchiveError: damaged, OSError: damaged},
        routes=[
            Route("/login", login),
            Route("/", overview),
            Route("/sessions/{ident}", session_detail),
            Route("/plan", plan_get, methods=["GET"]),
            Route("/plan", plan_post, methods=["POST"]),
            Route("/plan/history", history),
            Route("/reports", reports),
            Route("/reports/file/{fmt}", report_file),
            Route("/export", export),
            Route("/static/dashboard.css", stylesheet),
        ],
    )
    app.add_middleware(GuardMiddleware, guard=guard)
    return app
