"""Scripted synthetic patients: what the demo's patient answers and does, from a JSON file.

`pacewise demo --persona FILE.json` plays a session as this person would: their pain before, at
each graded-exposure probe, at a stop and after; the pain and harm they expect; when they press
stop and what they say then; how far they can reach and bend. docs/personas.md documents every
field; `personas/` ships one for each path the session must handle (a flare-up, a pain rise, a
fearful patient, a patient who stops every level). Values left out come from the seeded
synthetic patient, so a persona only names what matters to it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pacewise.runtime.dialog import Choice

Rating = Annotated[int, Field(ge=0, le=10, strict=True)]
PERSONAS_DIR = Path(__file__).resolve().parents[3] / "personas"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class StopPlan(_Model):
    """When the persona presses stop, and what it says when asked what happened."""

    #: Session time (s) of one press; or use `in_every_level_after_s`.
    at_s: float | None = Field(default=None, ge=0)
    #: Press stop this many seconds into every level.
    in_every_level_after_s: float | None = Field(default=None, ge=0)
    what_happened: Literal["pain", "dizzy", "tired", "other"] = "tired"
    #: The pain given at the stop, when the answer is "pain".
    pain: Rating | None = None
    #: After the stop: carry on, or finish for today.
    then: Literal["carry_on", "finish"] = "finish"


class Persona(_Model):
    name: str = Field(min_length=1, max_length=80)
    description: str = Field(default="", max_length=1000)
    pain_before: Rating | None = None
    pain_after: Rating | None = None
    expected_pain: Rating | None = None
    expected_harm: Rating | None = None
    felt_pain: Rating | None = None
    felt_harm: Rating | None = None
    #: A flare-up reported in today's diary before the session.
    flare_today: bool = False
    #: At the flare-up question: a gentle session, or rest today.
    flare_choice: Literal["gentle", "rest_today"] = "gentle"
    #: When high expected harm is acknowledged: try it gently, or leave it for today.
    harm_choice: Literal["try_gently", "skip"] = "try_gently"
    #: When a safety rule pauses the session: carry on, or finish for today.
    after_pause: Literal["carry_on", "finish"] = "finish"
    stop: StopPlan | None = None
    #: The farthest the persona's hands reach from the chest (m); farther targets stay lit.
    reach_limit_m: float | None = Field(default=None, gt=0, le=1.5)
    #: The fraction of each prescribed angle the persona bends to (1 = the target).
    range_fraction: float = Field(default=1.0, gt=0, le=1.5)

    def choice(self, value: str) -> Choice:
        return Choice(value)


class PersonaError(ValueError):
    """A persona file that cannot be used; the message names the file and the field."""


def load_persona(path: Path) -> Persona:
    """Read a persona file; a shipped name (`flare_up`) is found in personas/."""
    if not path.exists() and not path.suffix and (PERSONAS_DIR / f"{path}.json").is_file():
        path = PERSONAS_DIR / f"{path}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PersonaError(f"no persona file {path}") from None
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PersonaError(f"{path} is not readable JSON: {exc}") from None
    try:
        return Persona.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the file"
        raise PersonaError(f"{path}: {where}: {first['msg']}") from None
