"""The `pacewise` command. Each sub-command lives in its own module of this package."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="pacewise",
    help="Pacewise: a calm VR exercise game for chronic low back pain.",
    no_args_is_help=True,
    add_completion=False,
)


def _print_version(wanted: bool) -> None:
    if wanted:
        from pacewise import __version__

        typer.echo(f"pacewise {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """Pacewise: a calm VR exercise game for chronic low back pain."""


def main() -> None:
    from pacewise.cli import commands  # noqa: F401  (registers the sub-commands)

    app()
