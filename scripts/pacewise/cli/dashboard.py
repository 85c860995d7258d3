"""`pacewise dashboard`: the physiotherapist's local web dashboard, on loopback only."""

from __future__ import annotations

import typer

from pacewise.cli import app
from pacewise.cli.pain import fail
from pacewise.clinic.server import PortError, serve
from pacewise.store import default_home


@app.command("dashboard")
def dashboard(
    port: int = typer.Option(0, help="port on 127.0.0.1 (default: a free one)"),
    no_browser: bool = typer.Option(False, "--no-browser", help="only print the link"),
) -> None:
    """Serve the dashboard on 127.0.0.1 and print the one-time link that signs you in."""
    if not 0 <= port <= 65535:
        fail(f"--port must be from 0 to 65535, got {port}")
    try:
        serve(default_home(), port, open_browser=not no_browser, say=typer.echo)
    except PortError as error:
        fail(str(error))
    except KeyboardInterrupt:
        pass
