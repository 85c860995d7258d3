"""Text from the data folder made safe to print: no terminal escapes, no control characters.

A pain note or a file name is typed by a person (or an attacker); printed raw, an ESC or OSC
sequence could retitle the terminal, hide lines or plant a link. Tabs and newlines become
spaces; every other control character (C0, DEL, C1) and the bidirectional overrides are
dropped.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SPACE = re.compile("[\t\n]")


def printable(text: str) -> str:
    return _CONTROL.sub("", _SPACE.sub(" ", text))
