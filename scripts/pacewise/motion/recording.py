"""Tracking recording format v1 (docs/recording-format.md): JSON Lines in, numpy arrays out.

Validation happens once at the boundary; everything downstream works on arrays and trusts them.
A bad file raises `RecordingError` with one sentence a user can act on.

Frames are read by a columnar fast path: orjson parses all the lines at once, each column is
gathered in one pass and its types are checked for the whole column at once (numbers where
numbers belong, booleans for `ok`, three or four of them per point), then numpy checks values.
A 30-minute session has 160 000 frames; checking them one by one with pydantic took seconds.
Anything the fast path does not accept exactly as the typed model would (bad JSON, a missing
key, a string for a number) goes to the pydantic model, which accepts or rejects it and names
the line, so the files read and the errors given are the model's.
"""

from __future__ import annotations

import gc
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter, methodcaller
from pathlib import Path
from typing import Any, Literal, NotRequired

import numpy as np
import numpy.typing as npt
import orjson
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator
from typing_extensions import TypedDict

FORMAT = "pacewise.tracking"
VERSION = 1
DEVICES = ("head", "left", "right")

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


class RecordingError(ValueError):
    """The input is not a usable v1 recording; the message is shown to the user as is."""


class Subject(BaseModel):
    model_config = ConfigDict(extra="ignore")
    height_m: float | None = Field(default=None, gt=0.5, lt=2.6)


class Header(BaseModel):
    """First line of a recording. Unknown keys are ignored so later minor additions still load."""

    model_config = ConfigDict(extra="ignore")
    format: Literal["pacewise.tracking"]
    version: int
    hz: float = Field(gt=0.0, le=1000.0)
    units: Literal["m"] = "m"
    up: Literal["+y"] = "+y"
    forward: Literal["-z"] = "-z"
    calibration_s: float = Field(gt=0.0, le=60.0)
    posture: Literal["standing", "seated"]
    subject: Subject | None = None
    exercise: str | None = None

    @field_validator("hz", "calibration_s")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value


class DeviceSample(TypedDict):
    """Frames are validated as typed dicts: same checks as a model, four times faster, and a
    30-minute session has 160 000 of them."""

    p: tuple[float, float, float]
    q: NotRequired[tuple[float, float, float, float] | None]
    ok: bool


class Frame(TypedDict):
    t: float
    head: DeviceSample
    left: DeviceSample
    right: DeviceSample


_FRAMES = TypeAdapter(list[Frame])
_NO_Q = (math.nan, math.nan, math.nan, math.nan)


@dataclass(frozen=True)
class Device:
    """One tracked device over time: positions (N, 3), quaternions (N, 4; NaN rows when unknown)."""

    p: FloatArray
    q: FloatArray
    ok: BoolArray

    @property
    def has_q(self) -> BoolArray:
        return np.asarray(np.isfinite(self.q[:, 3]), dtype=np.bool_)


@dataclass(frozen=True)
class Recording:
    header: Header
    t: FloatArray
    head: Device
    left: Device
    right: Device

    def __len__(self) -> int:
        return int(self.t.shape[0])

    @property
    def duration_s(self) -> float:
        return float(self.t[-1] - self.t[0]) if len(self) else 0.0


def _device(frames: list[Frame], name: str) -> Device:
    samples = [f[name] for f in frames]  # type: ignore[literal-required]
    p = np.array([s["p"] for s in samples], dtype=np.float64).reshape(-1, 3)
    q = np.array([s.get("q") or _NO_Q for s in samples], dtype=np.float64).reshape(-1, 4)
    ok = np.array([s["ok"] for s in samples], dtype=np.bool_)
    return Device(p=p, q=q, ok=ok)


_NUMBER = frozenset((float, int))  # what a JSON number becomes; bool is a type of its own
_BOOL = frozenset((bool,))
_T, _P, _OK = itemgetter("t"), itemgetter("p"), itemgetter("ok")


def _numbers(rows: list[Any], width: int, plain: bool) -> FloatArray | None:
    """Rows of exactly `width` JSON numbers as an (N, width) array, else None."""
    try:
        if set(map(len, rows)) != {width}:
            return None
        # numpy refuses objects, lists and text that is not a number ...
        flat = np.fromiter(chain.from_iterable(rows), np.float64, count=width * len(rows))
    except (TypeError, ValueError):
        return None
    # ... but would take null as NaN and "1.5" or true as a number: unless the chunk is known
    # to hold none of those (`plain`), every element must be an int or a float
    if not plain and not set(map(type, chain.from_iterable(rows))) <= _NUMBER:
        return None
    return flat.reshape(-1, width)


_MISSING = object()
_GET_Q = methodcaller("get", "q", _MISSING)


def _fast_device(samples: list[Any], q_rows: list[Any], plain: bool) -> Device | None:
    try:
        p_rows = list(map(_P, samples))
        ok_list = list(map(_OK, samples))
    except (KeyError, TypeError):
        return None
    p = _numbers(p_rows, 3, plain)
    if p is None or not set(map(type, ok_list)) <= _BOOL:
        return None
    n = len(samples)
    known = n - q_rows.count(None) - q_rows.count(_MISSING)
    if known == 0:
        q: FloatArray | None = np.full((n, 4), math.nan)
    else:
        q = _numbers([_NO_Q if r is None or r is _MISSING else r for r in q_rows], 4, plain)
    if q is None:
        return None
    return Device(p=p, q=q, ok=np.array(ok_list, dtype=np.bool_))


CHUNK_LINES = 4096  # parsed at a time: the objects of one chunk stay in the CPU's caches


def _fast_frames(header: Header, body: list[str]) -> Recording | None:
    """The columnar path: a Recording, or None where the typed model must decide.

    Lines are parsed a chunk at a time into numpy columns, so the Python objects of a whole
    session never exist at once, and the cyclic garbage collector is paused meanwhile: parsed
    JSON holds no cycles, and a pass every few hundred new objects would take most of the time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        parts = []
        for i in range(0, len(body), CHUNK_LINES):
            part = _columns(header, "[" + ",".join(body[i : i + CHUNK_LINES]) + "]")
            if part is None:
                return None
            parts.append(part)
    finally:
        if was_enabled:
            gc.enable()
    if len(parts) == 1:
        return parts[0]

    def joined(name: str) -> Device:
        devs: list[Device] = [getattr(r, name) for r in parts]
        return Device(
            p=np.concatenate([d.p for d in devs]),
            q=np.concatenate([d.q for d in devs]),
            ok=np.concatenate([d.ok for d in devs]),
        )

    t = np.concatenate([r.t for r in parts])
    return Recording(header, t, joined("head"), joined("left"), joined("right"))


def _columns(header: Header, joined: str) -> Recording | None:
    try:
        frames = orjson.loads(joined)
        t_list = list(map(_T, frames))
        columns = [list(map(itemgetter(name), frames)) for name in DEVICES]
        # Three counts prove that no value in this chunk is a string, a stray boolean or a
        # stray null, so numpy's conversion is the whole type check: every quote belongs to a
        # key, every true/false to an `ok`, every null to a `q`. (Anything else, e.g. extra
        # keys holding text, takes the element-by-element check instead.)
        keys = sum(map(len, frames)) + sum(sum(map(len, c)) for c in columns)
        q_rows = [list(map(_GET_Q, c)) for c in columns]
        nulls = sum(r.count(None) for r in q_rows)
    except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError):
        return None
    plain = (
        joined.count('"') == 2 * keys
        and joined.count("true") + joined.count("false") == 3 * len(frames)
        and joined.count("null") == nulls
    )
    try:
        t = np.array(t_list, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if t.shape != (len(frames),) or (not plain and not set(map(type, t_list)) <= _NUMBER):
        return None
    head, left, right = (_fast_device(c, q, plain) for c, q in zip(columns, q_rows, strict=True))
    if head is None or left is None or right is None:
        return None
    return Recording(header, t, head, left, right)


def _header(line: str) -> Header:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RecordingError(f"line 1 is not JSON ({exc.msg})") from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise RecordingError(f"not a tracking recording: line 1 must have format {FORMAT!r}")
    if raw.get("version") != VERSION:
        raise RecordingError(
            f"unsupported recording version {raw.get('version')!r} (this reader knows {VERSION})"
        )
    try:
        return Header.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise RecordingError(f"bad header field {where!r}: {err['msg']}") from exc


def parse_lines(lines: Iterable[str]) -> Recording:
    """Parse a v1 recording from its lines (blank lines are skipped)."""
    it = (ln for ln in (s.strip() for s in lines) if ln)
    first = next(it, None)
    if first is None:
        raise RecordingError("empty recording: no header line")
    header = _header(first)
    body = list(it)
    if not body:
        raise RecordingError("recording has a header but no frames")
    rec = _fast_frames(header, body)
    if rec is None:
        rec = _validated_frames(header, "[" + ",".join(body) + "]")
    _check(rec)
    return rec


def _validated_frames(header: Header, joined: str) -> Recording:
    """Frame by frame through the typed model: slow, and the judge of what is valid."""
    try:
        frames = _FRAMES.validate_json(joined)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = err["loc"]
        line_no = (int(loc[0]) + 2) if loc and isinstance(loc[0], int) else "?"
        where = ".".join(str(p) for p in loc[1:]) or "frame"
        raise RecordingError(f"bad frame on line {line_no}, {where}: {err['msg']}") from exc
    return Recording(
        header=header,
        t=np.array([f["t"] for f in frames], dtype=np.float64),
        head=_device(frames, "head"),
        left=_device(frames, "left"),
        right=_device(frames, "right"),
    )


def _check(rec: Recording) -> None:
    if not np.all(np.isfinite(rec.t)):
        raise RecordingError("frame time is NaN or infinite")
    if np.any(np.diff(rec.t) <= 0.0):
        bad = int(np.argmax(np.diff(rec.t) <= 0.0)) + 3
        raise RecordingError(f"frame times must increase (line {bad})")
    for name in DEVICES:
        dev: Device = getattr(rec, name)
        if not np.all(np.isfinite(dev.p)):
            line = int(np.argmax(~np.all(np.isfinite(dev.p), axis=1))) + 2
            raise RecordingError(f"{name} position is NaN or infinite (line {line})")
        known = dev.has_q
        partial = ~known & np.any(np.isfinite(dev.q), axis=1)
        if np.any(partial):
            raise RecordingError(
                f"{name} quaternion has NaN or infinite parts; use null when unknown"
            )
        norms = np.linalg.norm(dev.q[known], axis=1)
        if norms.size and np.any(np.abs(norms - 1.0) > 0.05):
            raise RecordingError(f"{name} quaternion is not a unit quaternion")


def read_recording(path: str | Path) -> Recording:
    """Read a recording file; any problem becomes a `RecordingError` naming what is wrong."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordingError(f"cannot read {path}: {exc}") from exc
    return parse_lines(text.splitlines())


def _sample(dev: Device, i: int) -> dict[str, object]:
    q = None if not np.isfinite(dev.q[i, 3]) else [round(float(v), 6) for v in dev.q[i]]
    return {"p": [round(float(v), 5) for v in dev.p[i]], "q": q, "ok": bool(dev.ok[i])}


def dump_lines(rec: Recording) -> list[str]:
    header = rec.header.model_dump(exclude_none=True)
    lines = [json.dumps(header)]
    for i in range(len(rec)):
        frame = {"t": round(float(rec.t[i]), 6)}
        lines.append(
            json.dumps(
                frame | {name: _sample(getattr(rec, name), i) for name in DEVICES},
                separators=(",", ":"),
            )
        )
    return lines


def write_recording(rec: Recording, path: str | Path) -> None:
    Path(path).write_text("\n".join(dump_lines(rec)) + "\n", encoding="utf-8")
