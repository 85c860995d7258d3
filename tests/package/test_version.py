"""`pacewise --version` says the one version the package, the .deb and the tarball carry."""

from __future__ import annotations

from importlib.metadata import version

from typer.testing import CliRunner

import pacewise
from pacewise.cli import app


def test_version_flag_prints_the_package_version_and_exits() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"pacewise {pacewise.__version__}"
    # pyproject.toml reads the version from pacewise/__init__.py: the two cannot drift apart.
    assert version("pacewise") == pacewise.__version__


def test_without_the_flag_the_commands_still_run() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "--version" in result.output
