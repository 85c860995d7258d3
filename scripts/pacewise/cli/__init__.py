"""The `pacewise` command. Each sub-command lives in its own module of this package."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="pacewise",
    help="Pacewise: a calm VR exercise game for chronic low back pain.",
    no_args_is_help=True,
    add_completion=False,
)


def main() -> None:
    from pacewise.cli import commands  # noqa: F401  (registers the sub-commands)

    app()
