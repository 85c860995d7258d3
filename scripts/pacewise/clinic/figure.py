"""A tiny drawing vocabulary shared by the dashboard (SVG) and the PDF report (ReportLab).

Charts are built once as plain shapes in a pixel box with y pointing down; each renderer only
translates shapes, so the screen and the paper cannot drift apart. Colours come from the
Okabe–Ito palette, which stays distinct for the common colour-vision deficiencies, and every
series also differs by shape or dash, never by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Shape = Literal["circle", "disc", "triangle_up", "triangle_down", "diamond", "square"]
Anchor = Literal["start", "middle", "end"]

#: Role → colour. Okabe & Ito (2008), "Color Universal Design".
PALETTE: dict[str, str] = {
    "before": "#0072B2",
    "after": "#9A6200",
    "diary": "#009E73",
    "rise": "#D55E00",
    "fall": "#0072B2",
    "change": "#8C8C8C",
    "flare": "#D55E00",
    "pause": "#CC79A7",
    "done": "#0072B2",
    "planned": "#6E6E6E",
    "best": "#0072B2",
    "typical": "#222222",
    "target": "#009E73",
    "cap": "#D55E00",
    "quota": "#0072B2",
    "grid": "#E3E3E3",
    "axis": "#4A4A4A",
    "text": "#222222",
}


@dataclass(frozen=True)
class Segment:
    x1: float
    y1: float
    x2: float
    y2: float
    role: str
    width: float = 1.5
    dashed: bool = False


@dataclass(frozen=True)
class Polyline:
    points: tuple[tuple[float, float], ...]
    role: str
    width: float = 2.0
    dashed: bool = False


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    shape: Shape
    role: str
    size: float = 4.0
    title: str | None = None


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    w: float
    h: float
    role: str
    filled: bool = True
    title: str | None = None


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    role: str = "axis"
    anchor: Anchor = "start"
    size: float = 12.0
    bold: bool = False


Item = Segment | Polyline | Mark | Bar | Text


@dataclass(frozen=True)
class Key:
    """One legend entry: what a series looks like and what it means."""

    look: Literal["line", "dashed", "bar", "outline", "circle", "disc", "triangle_up"] | Shape
    role: str
    label: str


@dataclass
class Figure:
    width: float
    height: float
    title: str
    description: str
    items: list[Item] = field(default_factory=list)
    keys: list[Key] = field(default_factory=list)
    empty: str | None = None

    def add(self, *items: Item) -> None:
        self.items.extend(items)


def colour(role: str) -> str:
    return PALETTE.get(role, PALETTE["text"])


def shape_points(shape: Shape, x: float, y: float, r: float) -> list[tuple[float, float]]:
    """Polygon corners for the angular marks (y down), shared by both renderers."""
    if shape == "triangle_up":
        return [(x, y - r * 1.2), (x + r * 1.1, y + r * 0.8), (x - r * 1.1, y + r * 0.8)]
    if shape == "triangle_down":
        return [(x, y + r * 1.2), (x + r * 1.1, y - r * 0.8), (x - r * 1.1, y - r * 0.8)]
    if shape == "diamond":
        return [(x, y - r * 1.3), (x + r * 1.3, y), (x, y + r * 1.3), (x - r * 1.3, y)]
    return [(x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r)]
