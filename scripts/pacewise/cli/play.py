"""`pacewise play` and `pacewise demo`: start a session (filled in by the walking skeleton)."""

from __future__ import annotations

from pacewise.cli import app


@app.command()
def play() -> None:
    """Play Pacewise."""
    raise SystemExit("not yet")
