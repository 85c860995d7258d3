"""The columnar reader: the same recording as the typed model, and the model's verdict on odd input.

`parse_lines` reads frames through a fast columnar path and hands anything it does not accept to
the pydantic model. These tests hold both to the same answer: equal arrays for what is valid, the
same one-sentence error for what is not, and the fast path really taken for ordinary files.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pacewise.motion import recording as rec_mod
from pacewise.motion.recording import (
    Recording,
    RecordingError,
    dump_lines,
    parse_lines,
    read_recording,
    write_recording,
)
from pacewise.motion.signals import Exercise
from pacewise.motion.synthetic import Spec, generate

HEADER = {
    "format": "pacewise.tracking",
    "version": 1,
    "hz": 90.0,
    "calibration_s": 1.0,
    "posture": "standing",
}


def dev(**over: object) -> dict[str, object]:
    return {"p": [0.1, 1.6, -0.2], "q": [0.0, 0.0, 0.0, 1.0], "ok": True} | over


def frame(t: object, **devices: object) -> dict[str, object]:
    return {"t": t, "head": dev(), "left": dev(q=None), "right": dev(q=None)} | devices


def text(frames: list[dict[str, object]]) -> list[str]:
    return [json.dumps(HEADER)] + [json.dumps(f) for f in frames]


def model_verdict(lines: list[str]) -> Recording | str:
    """What the typed model alone says about these lines (the reader before the fast path)."""
    header = rec_mod._header(lines[0])
    try:
        body = [s.strip() for s in lines[1:] if s.strip()]
        rec = rec_mod._validated_frames(header, "[" + ",".join(body) + "]")
        rec_mod._check(rec)
    except RecordingError as error:
        return str(error)
    return rec


def reader_verdict(lines: list[str]) -> Recording | str:
    try:
        return parse_lines(lines)
    except RecordingError as error:
        return str(error)


def same(a: Recording | str, b: Recording | str) -> None:
    if isinstance(a, str) or isinstance(b, str):
        assert a == b
        return
    assert a.header == b.header
    np.testing.assert_array_equal(a.t, b.t)
    for name in ("head", "left", "right"):
        x, y = getattr(a, name), getattr(b, name)
        np.testing.assert_array_equal(x.p, y.p)
        np.testing.assert_array_equal(x.q, y.q)  # NaN rows compare equal here
        np.testing.assert_array_equal(x.ok, y.ok)


def test_a_written_recording_takes_the_fast_path_and_reads_back_the_same(tmp_path: Path) -> None:
    syn = generate(Spec(Exercise.TRUNK_ROTATION, seed=4, reps=3, dropouts=3, missing=0.05))
    lines = dump_lines(syn.recording)
    header = rec_mod._header(lines[0])
    fast = rec_mod._fast_frames(header, lines[1:])
    assert fast is not None, "an ordinary file must not need the slow path"
    same(fast, model_verdict(lines))
    path = tmp_path / "r.jsonl"
    write_recording(syn.recording, path)
    same(read_recording(path), model_verdict(lines))
    assert not read_recording(path).right.ok.all()  # the dropouts came through


ODD = {
    "number as a string": frame("0.5"),
    "boolean for a number": frame(0.5, head=dev(p=[True, 1.6, 0.0])),
    "integer coordinates": frame(1, head=dev(p=[0, 2, -1])),
    "two coordinates": frame(0.5, left=dev(p=[0.1, 1.0], q=None)),
    "four coordinates": frame(0.5, left=dev(p=[0.1, 1.0, 0.0, 0.0], q=None)),
    "q with three parts": frame(0.5, head=dev(q=[0.0, 0.0, 1.0])),
    "q missing": frame(0.5, head={"p": [0.0, 1.6, 0.0], "ok": True}),
    "ok as a number": frame(0.5, right=dev(ok=1, q=None)),
    "ok as a string": frame(0.5, right=dev(ok="yes", q=None)),
    "ok missing": frame(0.5, right={"p": [0.0, 1.0, 0.0]}),
    "device is a list": frame(0.5, left=[0.0, 1.0, 0.0]),
    "p is an object": frame(0.5, left=dev(p={"x": 0, "y": 1, "z": 2}, q=None)),
    "p is a string of three letters": frame(0.5, left=dev(p="abc", q=None)),
    "nested list in p": frame(0.5, left=dev(p=[[0.1], 1.0, 0.0], q=None)),
    "null position": frame(0.5, left=dev(p=None, q=None)),
    "null coordinate": frame(0.5, left=dev(p=[None, 1.0, 0.0], q=None)),
    "null time": frame(None),
    "null ok": frame(0.5, right=dev(ok=None, q=None)),
    "text elsewhere and a number as text": frame(
        0.5, note="x", left=dev(p=["0.1", 1.0, 0.0], q=None)
    ),
    "true elsewhere and a boolean for a number": frame(
        0.5, flag=True, left=dev(p=[False, 1.0, 0.0], q=None)
    ),
    "null elsewhere and in a quaternion": frame(0.5, spare=None, head=dev(q=[0, 0, None, 1])),
    "extra keys": frame(0.5, buttons={"a": True}, head=dev(battery=0.9)),
    "not a unit quaternion": frame(0.5, head=dev(q=[0.0, 0.0, 0.0, 2.0])),
    "half-known quaternion": frame(0.5, head=dev(q=[0.0, 0.0, 0.0, None])),
    "time goes back": frame(0.0),
}


@pytest.mark.parametrize("case", sorted(ODD))
def test_odd_frames_get_the_models_verdict(case: str) -> None:
    lines = text([frame(0.0), frame(0.2), ODD[case], frame(2.0)])
    same(reader_verdict(lines), model_verdict(lines))


def test_broken_json_gets_the_models_error() -> None:
    lines = [*text([frame(0.0), frame(0.1)]), '{"t": 0.2, "head": ']
    got = reader_verdict(lines)
    assert isinstance(got, str) and got.startswith("bad frame")
    same(got, model_verdict(lines))


def test_the_collector_is_running_again_after_a_read() -> None:
    import gc

    assert gc.isenabled()
    parse_lines(text([frame(0.0), frame(0.1)]))
    assert gc.isenabled()
    with pytest.raises(RecordingError):
        parse_lines(text([frame(0.0), frame(0.0)]))
    assert gc.isenabled()
