"""Imports every sub-command module so each registers itself on `app`."""

from pacewise.cli import play  # noqa: F401
