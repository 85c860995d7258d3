"""The clinical summary as PDF, made locally with ReportLab (no browser, no download).

Same figures as the dashboard (drawn as ReportLab shapes), then the tables behind them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime, tzinfo
from xml.sax.saxutils import escape

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    KeepTogether,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)

from pacewise.clinic import charts
from pacewise.clinic.drawing import plain, render
from pacewise.clinic.figure import Figure
from pacewise.clinic.overview import Overview
from pacewise.clinic.reports.rows import session_rows

MARGIN = 16 * mm
WIDTH = A4[0] - 2 * MARGIN


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("t", parent=base["Title"], fontSize=18, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontSize=13, spaceBefore=10),
        "body": ParagraphStyle("b", parent=base["BodyText"], fontSize=9.5, leading=12.5),
        "small": ParagraphStyle("s", parent=base["BodyText"], fontSize=8, leading=10),
    }


def _table(rows: Sequence[Sequence[object]], widths: Sequence[float] | None = None) -> LongTable:
    s = _styles()["small"]
    data = [[Paragraph(escape(plain(str(cell))), s) for cell in row] for row in rows]
    table = LongTable(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#4A4A4A")),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#D0D0D0")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _figure(fig: Figure) -> KeepTogether:
    s = _styles()
    return KeepTogether(
        [
            Paragraph(escape(plain(fig.title)), s["h2"]),
            Paragraph(escape(plain(fig.description)), s["small"]),
            Spacer(1, 2 * mm),
            render(fig, WIDTH),
        ]
    )


def _mean(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def document(view: Overview, tz: tzinfo, now: datetime) -> bytes:
    s = _styles()
    h = view.headline
    story: list[object] = [
        Paragraph("Pacewise clinical summary", s["title"]),
        Paragraph(
            f"{view.period.label()} · made {now.astimezone(tz):%-d %b %Y %H:%M} · plan revision "
            f"{view.plan.revision} (set by {escape(view.plan.by)})",
            s["body"],
        ),
        Spacer(1, 3 * mm),
    ]
    change = "important change" if h.pain_change_important else "no important change"
    adherence = "—" if h.adherence is None else f"{h.adherence:.0%}"
    story.append(
        _table(
            [
                ["Pain (diary and before sessions)", "Sessions", "Flare-ups", "Pauses / stops"],
                [
                    f"{_mean(h.pain_first)} -> {_mean(h.pain_last)} ({change})",
                    f"{h.sessions_done} of {h.sessions_planned:.0f} planned ({adherence})",
                    str(h.flare_ups),
                    str(h.pauses),
                ],
            ],
            [WIDTH * 0.34, WIDTH * 0.3, WIDTH * 0.16, WIDTH * 0.2],
        )
    )
    story.append(_figure(charts.pain_chart(view, tz)))
    story.append(_figure(charts.adherence_chart(view, tz)))
    for rom in view.ranges:
        story.append(_figure(charts.range_chart(view, rom, tz)))
    for quota in view.quotas:
        story.append(_figure(charts.quota_chart(view, quota, tz)))
    story.append(Paragraph("Today's quota and why", s["h2"]))
    story.append(
        _table(
            [["Exercise", "Quota", "Why"]]
            + [
                [
                    charts.label_exercise(q.exercise.value),
                    f"{q.today.quota} {q.unit}",
                    q.today.reason,
                ]
                for q in view.quotas
            ],
            [WIDTH * 0.2, WIDTH * 0.15, WIDTH * 0.65],
        )
    )
    story.append(Paragraph("Flare-ups, pauses and stops", s["h2"]))
    if view.events:
        story.append(
            _table(
                [["When", "What", "Pain", "What was said or why"]]
                + [
                    [f"{e.at.astimezone(tz):%-d %b %Y %H:%M}", e.kind, e.score or "", e.said]
                    for e in view.events
                ],
                [WIDTH * 0.2, WIDTH * 0.15, WIDTH * 0.08, WIDTH * 0.57],
            )
        )
    else:
        story.append(Paragraph("None in this period.", s["body"]))
    story.append(Paragraph("Sessions", s["h2"]))
    rows = session_rows(view.sessions)
    story.append(
        _table(
            [["Started", "Minutes", "Pain before", "after", "important", "Stopped"]]
            + [
                [
                    f"{r.started_at.astimezone(tz):%-d %b %Y %H:%M}",
                    f"{r.duration_min:g}",
                    "—" if r.pain_before is None else r.pain_before,
                    "—" if r.pain_after is None else r.pain_after,
                    "yes" if r.important_change else "",
                    r.stopped or "",
                ]
                for r in rows
            ],
            [WIDTH * 0.2, WIDTH * 0.1, WIDTH * 0.12, WIDTH * 0.08, WIDTH * 0.1, WIDTH * 0.4],
        )
    )
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title="Pacewise clinical summary",
        author="Pacewise",
        invariant=1,
    )
    doc.build(story)
    return buffer.getvalue()
