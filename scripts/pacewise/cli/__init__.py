"""The `pacewise` command. Each sub-command lives in its own module of this package.

Sub-command modules are imported only when their command runs: importing all of them pulls in
the dashboard server, the report renderer and the runtime, which cost seconds before `--help`
or `analyze` could print anything. `COMMANDS` says which module defines which command and its
one-line help for the command list; a test checks both against the real commands.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
import typer.core
import typer.main
from typer import _click

# name -> (module under pacewise.cli, the short help the command itself gives), in the order
# the modules used to register them
COMMANDS: dict[str, tuple[str, str]] = {
    "analyze": (
        "analyze",
        "Trunk angles, repetitions and movement quality from a head-and-hands recording.",
    ),
    "export": (
        "archive",
        "Write every session, pain score and plan revision to one zip archive (mode 0600).",
    ),
    "import": (
        "archive",
        "Bring an archive in as the data folder; a damaged or foreign archive changes nothing.",
    ),
    "dashboard": (
        "dashboard",
        "Serve the dashboard on 127.0.0.1 and print the one-time link that signs you in.",
    ),
    "demo": ("play", "Play a whole session with the synthetic patient and print its summary."),
    "play": (
        "play",
        "Play yourself: with a headset if OpenXR is there, else in a window with mouse and keys.",
    ),
    "report": ("report", "Write a report for a date range; nothing is sent anywhere."),
    "serve": (
        "serve",
        "Serve one session to the Godot that started this process; the token comes in the env.",
    ),
    "pain": ("pain", "Record and list pain scores (0 = no pain, 10 = worst imaginable)."),
    "plan": ("plan", "Show, check and set the exercise plan (the prescription)."),
    "levels": ("levels", "Check the game's levels."),
    "pacing": ("pacing", "Activity pacing: how much of each exercise today, and why."),
    "check": (
        "store_check",
        "Check every file of the data folder; exit 1 and list each problem if any is found.",
    ),
    "recover": (
        "store_check",
        "Repair what can be repaired (damaged files are kept aside), then check again.",
    ),
    "game-side": ("play", "The game's Python side, started by the supervisor (not for people)."),
}
#: Commands for the supervisor, not for people: left out of the command list.
HIDDEN = frozenset({"game-side"})


class LazyGroup(typer.core.TyperGroup):
    """A command group that imports a sub-command's module the first time it is asked for."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self._listing = False

    def list_commands(self, ctx: _click.Context) -> list[str]:
        listed = [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]
        return [name for name in listed if name not in HIDDEN]

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        found = self.commands.get(cmd_name)
        if found is not None or cmd_name not in COMMANDS:
            return found
        module, short = COMMANDS[cmd_name]
        if self._listing:  # the command list needs only the name and the one-line help
            return typer.core.TyperCommand(cmd_name, help=short)
        importlib.import_module(f"pacewise.cli.{module}")
        found = typer.main.get_group(app).commands.get(cmd_name)
        if found is not None:
            self.commands[cmd_name] = found
        return found

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    name="pacewise",
    help="Pacewise: a calm VR exercise game for chronic low back pain.",
    no_args_is_help=True,
    add_completion=False,
    cls=LazyGroup,
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
    # The callback also makes this a group while no sub-command module is imported yet.


def main() -> None:
    app()
