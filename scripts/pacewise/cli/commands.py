"""Imports every sub-command module so each registers itself on `app`."""

from pacewise.cli import (
    analyze,  # noqa: F401
    archive,  # noqa: F401
    dashboard,  # noqa: F401
    levels,  # noqa: F401
    pacing,  # noqa: F401
    pain,  # noqa: F401
    plan,  # noqa: F401
    play,  # noqa: F401
    report,  # noqa: F401
    serve,  # noqa: F401
    store_check,  # noqa: F401
)
