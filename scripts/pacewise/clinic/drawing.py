"""Figures as ReportLab drawings for the PDF report: the same shapes as the SVG, y flipped."""

from __future__ import annotations

from typing import cast

from reportlab.graphics.shapes import (  # type: ignore[import-untyped]
    Circle,
    Drawing,
    Group,
    Line,
    Polygon,
    PolyLine,
    Rect,
    String,
)
from reportlab.lib.colors import HexColor, white  # type: ignore[import-untyped]

from pacewise.clinic.figure import (
    Bar,
    Figure,
    Item,
    Key,
    Mark,
    Polyline,
    Segment,
    Shape,
    colour,
    shape_points,
)

FONT = "Helvetica"
#: ReportLab's built-in fonts cover WinAnsi only; these are the few signs the charts use beyond.
PLAIN = str.maketrans({"→": "->", "≥": ">=", "≤": "<=", "−": "-", "…": "..."})


def plain(text: str) -> str:
    """Text the built-in PDF fonts can show."""
    return text.translate(PLAIN)


def _c(role: str) -> HexColor:
    return HexColor(colour(role))


def _shape(item: Item, h: float) -> Group | Line | PolyLine | Polygon | Rect | String | Circle:
    if isinstance(item, Segment):
        line = Line(item.x1, h - item.y1, item.x2, h - item.y2)
        line.strokeColor, line.strokeWidth = _c(item.role), item.width
        line.strokeDashArray = [6, 4] if item.dashed else None
        return line
    if isinstance(item, Polyline):
        flat = [v for x, y in item.points for v in (x, h - y)]
        poly = PolyLine(flat, strokeColor=_c(item.role), strokeWidth=item.width)
        poly.strokeDashArray = [6, 4] if item.dashed else None
        poly.strokeLineJoin = 1
        return poly
    if isinstance(item, Mark):
        if item.shape in ("circle", "disc"):
            hollow = item.shape == "circle"
            return Circle(
                item.x,
                h - item.y,
                item.size,
                fillColor=white if hollow else _c(item.role),
                strokeColor=_c(item.role),
                strokeWidth=1.4 if hollow else 0,
            )
        corners = shape_points(item.shape, item.x, item.y, item.size)
        flat = [v for x, y in corners for v in (x, h - y)]
        return Polygon(flat, fillColor=_c(item.role), strokeColor=None)
    if isinstance(item, Bar):
        rect = Rect(item.x, h - item.y - item.h, item.w, max(0.0, item.h))
        if item.filled:
            rect.fillColor, rect.strokeColor = _c(item.role), None
        else:
            rect.fillColor, rect.strokeColor = None, _c(item.role)
            rect.strokeWidth, rect.strokeDashArray = 1.0, [3, 2]
        return rect
    return String(
        item.x,
        h - item.y,
        plain(item.text),
        fontName="Helvetica-Bold" if item.bold else FONT,
        fontSize=item.size,
        fillColor=_c(item.role),
        textAnchor=item.anchor,
    )


def _legend(keys: list[Key], h: float, y: float) -> Group:
    group = Group()
    x = 48.0
    for key in keys:
        if key.look in ("line", "dashed"):
            line = Line(x, y + 4, x + 20, y + 4, strokeColor=_c(key.role), strokeWidth=2.2)
            line.strokeDashArray = [6, 4] if key.look == "dashed" else None
            group.add(line)
        elif key.look in ("bar", "outline"):
            filled = key.look == "bar"
            group.add(
                Rect(
                    x + 5,
                    y - 1,
                    10,
                    10,
                    fillColor=_c(key.role) if filled else None,
                    strokeColor=None if filled else _c(key.role),
                )
            )
        else:
            group.add(_shape(Mark(x + 10, h - y - 4, cast(Shape, key.look), key.role, 4.0), h))
        group.add(String(x + 24, y, plain(key.label), fontName=FONT, fontSize=10))
        x += 30 + 5.2 * len(key.label)
    return group


def render(fig: Figure, width: float) -> Drawing:
    """The figure scaled to `width` points, with its legend below the plot."""
    legend_h = 20.0 if fig.keys else 0.0
    h = fig.height
    drawing = Drawing(fig.width, h + legend_h)
    group = Group()
    for item in fig.items:
        group.add(_shape(item, h + legend_h))
    if fig.empty:
        group.add(
            String(
                fig.width / 2,
                legend_h + h / 2,
                fig.empty,
                fontName=FONT,
                fontSize=14,
                textAnchor="middle",
                fillColor=_c("axis"),
            )
        )
    if fig.keys:
        group.add(_legend(fig.keys, h + legend_h, 4.0))
    drawing.add(group)
    scale = width / fig.width
    drawing.scale(scale, scale)
    drawing.width, drawing.height = width, (h + legend_h) * scale
    return drawing
