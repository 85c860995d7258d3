"""The clinical summary as one self-contained HTML file: styles and charts inline, no links out."""

from __future__ import annotations

from datetime import datetime, tzinfo

from pacewise.clinic.overview import Overview
from pacewise.clinic.reports.rows import session_rows
from pacewise.clinic.templating import PACKAGE, environment, figures


def html(view: Overview, tz: tzinfo, now: datetime) -> str:
    styles = (PACKAGE / "static" / "dashboard.css").read_text(encoding="utf-8")
    return (
        environment()
        .get_template("report.html")
        .render(
            view=view,
            tz=tz,
            now=now,
            figures=figures(view, tz),
            sessions=session_rows(view.sessions),
            styles=styles,
        )
    )
