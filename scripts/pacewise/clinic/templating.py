"""The Jinja2 environment and the overview's rendered charts, shared by dashboard and report."""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path
from typing import Any

import jinja2

from pacewise.clinic import charts
from pacewise.clinic.overview import Overview
from pacewise.clinic.svg import render as svg

PACKAGE = Path(__file__).parent


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PACKAGE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = lambda at, tz: f"{at.astimezone(tz):%a %-d %b %Y}"
    env.filters["when"] = lambda at, tz: f"{at.astimezone(tz):%-d %b %Y, %H:%M}"
    env.filters["num"] = lambda v, fmt="{:g}": "—" if v is None else fmt.format(v)
    env.filters["pretty"] = lambda name: str(name).replace("_", " ")
    return env


def figures(view: Overview, tz: tzinfo) -> dict[str, Any]:
    """Every overview chart as inline SVG markup, keyed as the templates expect."""
    return {
        "pain": svg(charts.pain_chart(view, tz), "chart-pain"),
        "adherence": svg(charts.adherence_chart(view, tz), "chart-adherence"),
        "ranges": [
            svg(charts.range_chart(view, r, tz), f"chart-rom-{r.exercise.value}")
            for r in view.ranges
        ],
        "quotas": [
            svg(charts.quota_chart(view, q, tz), f"chart-quota-{q.exercise.value}")
            for q in view.quotas
        ],
    }
