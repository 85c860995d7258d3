"""One tracking sample of head and hands, the unit every motion consumer reads.

The per-device shape (`p`, `q`, `ok`) is the recording format's, so frames from the game can be
recorded as they arrive.
"""

from __future__ import annotations

import json
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
        """This frame as one compact line of a format-v1 recording (0.1 mm, 1e-5 rad)."""
        return json.dumps(
            {
                "t": round(self.t, 5),
                "head": _device(self.head),
                "left": _device(self.left),
                "right": _device(self.right),
            },
            separators=(",", ":"),
        )


def _device(pose: DevicePose) -> dict[str, object]:
    q = None if pose.q is None else [round(v, 5) for v in pose.q]
    return {"p": [round(v, 4) for v in pose.p], "q": q, "ok": pose.ok}
