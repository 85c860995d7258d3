"""One tracking sample of head and hands, the unit every motion consumer reads.

The per-device shape (`p`, `q`, `ok`) is the recording format's, so frames from the game can be
recorded as they arrive.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Vec3 = Annotated[list[float], Field(min_length=3, max_length=3)]
Quat = Annotated[list[float], Field(min_length=4, max_length=4)]


class DevicePose(BaseModel):
    """Where one tracked device is; `ok` is False when tracking was lost (then `p` is stale)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    p: Vec3
    q: Quat | None = None
    ok: bool = True


class TrackingFrame(BaseModel):
    """Head and both hands at time `t` (seconds of session time, from the engine's frames)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    t: float
    head: DevicePose
    left: DevicePose
    right: DevicePose

    def recording_line(self) -> str:
        """This frame as one line of a format-v1 recording."""
        return self.model_dump_json(exclude_none=False)
