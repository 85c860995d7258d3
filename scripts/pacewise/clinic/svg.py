"""Figures as inline SVG: presentation attributes only, so a strict CSP needs no exceptions."""

from __future__ import annotations

from html import escape
from typing import cast

from markupsafe import Markup

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

DASH = "6 4"


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _title(text: str | None) -> str:
    return f"<title>{escape(text)}</title>" if text else ""


def _mark(m: Mark) -> str:
    fill = colour(m.role)
    if m.shape in ("circle", "disc"):
        paint = (
            f'fill="#fff" stroke="{fill}" stroke-width="1.6"'
            if m.shape == "circle"
            else f'fill="{fill}"'
        )
        return (
            f'<circle cx="{_n(m.x)}" cy="{_n(m.y)}" r="{_n(m.size)}" {paint}>'
            f"{_title(m.title)}</circle>"
        )
    points = " ".join(f"{_n(x)},{_n(y)}" for x, y in shape_points(m.shape, m.x, m.y, m.size))
    return f'<polygon points="{points}" fill="{fill}">{_title(m.title)}</polygon>'


def _item(item: Item) -> str:
    if isinstance(item, Segment):
        dash = f' stroke-dasharray="{DASH}"' if item.dashed else ""
        return (
            f'<line x1="{_n(item.x1)}" y1="{_n(item.y1)}" x2="{_n(item.x2)}" y2="{_n(item.y2)}" '
            f'stroke="{colour(item.role)}" stroke-width="{_n(item.width)}"{dash}/>'
        )
    if isinstance(item, Polyline):
        dash = f' stroke-dasharray="{DASH}"' if item.dashed else ""
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in item.points)
        return (
            f'<polyline points="{points}" fill="none" stroke="{colour(item.role)}" '
            f'stroke-width="{_n(item.width)}" stroke-linejoin="round"{dash}/>'
        )
    if isinstance(item, Mark):
        return _mark(item)
    if isinstance(item, Bar):
        paint = (
            f'fill="{colour(item.role)}"'
            if item.filled
            else f'fill="none" stroke="{colour(item.role)}" stroke-width="1.2" '
            f'stroke-dasharray="3 2"'
        )
        return (
            f'<rect x="{_n(item.x)}" y="{_n(item.y)}" width="{_n(item.w)}" '
            f'height="{_n(max(0.0, item.h))}" {paint}>{_title(item.title)}</rect>'
        )
    weight = ' font-weight="600"' if item.bold else ""
    return (
        f'<text x="{_n(item.x)}" y="{_n(item.y)}" fill="{colour(item.role)}" '
        f'font-size="{_n(item.size)}" text-anchor="{item.anchor}"{weight}>'
        f"{escape(item.text)}</text>"
    )


def _key(key: Key) -> str:
    """A small sample of the series, 24 × 14 px, for the legend."""
    c = colour(key.role)
    if key.look in ("line", "dashed"):
        dash = f' stroke-dasharray="{DASH}"' if key.look == "dashed" else ""
        shape = f'<line x1="1" y1="7" x2="23" y2="7" stroke="{c}" stroke-width="2.4"{dash}/>'
    elif key.look == "bar":
        shape = f'<rect x="6" y="1" width="12" height="12" fill="{c}"/>'
    elif key.look == "outline":
        shape = (
            f'<rect x="6" y="1" width="12" height="12" fill="none" stroke="{c}" '
            f'stroke-width="1.4" stroke-dasharray="3 2"/>'
        )
    else:
        shape = _mark(Mark(12, 7, cast(Shape, key.look), key.role, 4.5))
    return (
        f'<li><svg width="24" height="14" viewBox="0 0 24 14" aria-hidden="true">{shape}</svg>'
        f"{escape(key.label)}</li>"
    )


def render(fig: Figure, ident: str) -> Markup:
    """One figure: a titled, described SVG plus its legend, ready to drop into a template."""
    body = "".join(_item(item) for item in fig.items)
    if fig.empty:
        body += (
            f'<text x="{_n(fig.width / 2)}" y="{_n(fig.height / 2)}" text-anchor="middle" '
            f'font-size="15" fill="#4A4A4A">{escape(fig.empty)}</text>'
        )
    svg = (
        f'<svg class="chart" viewBox="0 0 {_n(fig.width)} {_n(fig.height)}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif">'
        f'<title id="{ident}-t">{escape(fig.title)}</title>'
        f'<desc id="{ident}-d">{escape(fig.description)}</desc>{body}</svg>'
    )
    keys = "".join(_key(k) for k in fig.keys)
    legend = f'<ul class="legend">{keys}</ul>' if keys else ""
    return Markup(
        f'<figure class="figure" id="{ident}"><figcaption><h3>{escape(fig.title)}</h3>'
        f"<p>{escape(fig.description)}</p></figcaption>{svg}{legend}</figure>"
    )
