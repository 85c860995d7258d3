"""Recording format v1: round trip, and one clear error for each kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from pacewise.cli import (
    app,
    commands,  # noqa: F401  (registers analyze)
)
from pacewise.motion.recording import RecordingError, parse_lines, read_recording, write_recording
from pacewise.motion.signals import Exercise
from pacewise.motion.synthetic import Spec, generate

HEADER = {
    "format": "pacewise.tracking",
    "version": 1,
    "hz": 90.0,
    "units": "m",
    "up": "+y",
    "forward": "-z",
    "calibration_s": 1.0,
    "posture": "standing",
}


def frame(t: float, x: float = 0.0) -> dict[str, object]:
    dev = {"p": [x, 1.6, 0.0], "q": None, "ok": True}
    return {"t": t, "head": dev, "left": dev, "right": dev}


def lines(header: dict[str, object], frames: list[dict[str, object]]) -> list[str]:
    return [json.dumps(header)] + [json.dumps(f) for f in frames]


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    syn = generate(Spec(Exercise.TRUNK_ROTATION, seed=3, reps=2, dropouts=2))
    path = tmp_path / "r.jsonl"
    write_recording(syn.recording, path)
    back = read_recording(path)
    a = syn.recording
    assert back.header == a.header
    np.testing.assert_allclose(back.t, a.t, atol=1e-6)
    np.testing.assert_allclose(back.head.p, a.head.p, atol=1e-5)
    np.testing.assert_allclose(back.head.q, a.head.q, atol=1e-6)
    assert np.isnan(back.left.q).all()
    np.testing.assert_array_equal(back.right.ok, a.right.ok)


def test_unknown_keys_and_optional_fields_are_fine() -> None:
    header = dict(HEADER, extra="x", subject={"height_m": 1.8, "age": 40}, exercise="march")
    f = frame(0.0) | {"buttons": {"a": True}}
    rec = parse_lines(lines(header, [f, frame(0.1)]))
    assert rec.header.subject is not None and rec.header.subject.height_m == 1.8
    assert len(rec) == 2


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "empty"),
        ('{"format": "other", "version": 1}\n', "not a tracking recording"),
        (json.dumps(HEADER | {"version": 2}) + "\n", "version"),
        (json.dumps(HEADER) + "\n", "no frames"),
        ("\n".join(lines(HEADER, [frame(0.0), {"t": 0.1}])), "line 3"),
        ("\n".join(lines(HEADER, [frame(0.0), frame(0.0)])), "increase"),
        ("\n".join(lines(HEADER, [frame(0.0), frame(0.1, float("nan"))])), "NaN"),
        ("\n".join(lines(HEADER | {"hz": -5}, [frame(0.0)])), "hz"),
        ("\n".join(lines(HEADER | {"posture": "lying"}, [frame(0.0)])), "posture"),
        ("not json\n", "not JSON"),
    ],
)
def test_bad_input_is_one_clear_error(text: str, says: str) -> None:
    with pytest.raises(RecordingError, match=says):
        parse_lines(text.splitlines())


def test_cli_exit_2_with_one_line_on_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(HEADER | {"version": 7}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", str(bad), "--exercise", "march", "--json"])
    assert result.exit_code == 2
    out = result.output.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("error:") and "version" in out[0]
    unknown = CliRunner().invoke(app, ["analyze", str(bad), "--exercise", "yoga"])
    assert unknown.exit_code == 2 and "unknown exercise" in unknown.output


def test_cli_json_matches_the_analyser(tmp_path: Path) -> None:
    syn = generate(Spec(Exercise.LATERAL_FLEXION, seed=5, reps=3, partials=1))
    path = tmp_path / "lat.jsonl"
    write_recording(syn.recording, path)
    result = CliRunner().invoke(
        app, ["analyze", str(path), "--exercise", "lateral_flexion", "--json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert set(doc) == {"exercise", "reps", "quality", "calibration", "warnings"}
    assert [r["side"] for r in doc["reps"]] == [r.side for r in syn.reps]
    for rep in doc["reps"]:
        assert set(rep) >= {"start_t", "peak_t", "end_t", "peak_deg", "side"}
        assert rep["peak_deg"] > 0
    higher = CliRunner().invoke(
        app, ["analyze", str(path), "-e", "lateral_flexion", "--min-deg", "80", "--json"]
    )
    assert json.loads(higher.output)["reps"] == []


@pytest.mark.parametrize("ex", list(Exercise))
def test_cli_text_summary_for_every_exercise(tmp_path: Path, ex: Exercise) -> None:
    syn = generate(Spec(ex, seed=21, reps=3))
    path = tmp_path / f"{ex.value}.jsonl"
    write_recording(syn.recording, path)
    result = CliRunner().invoke(app, ["analyze", str(path), "-e", ex.value])
    assert result.exit_code == 0, result.output
    count = "" if ex is Exercise.BREATHING else f" {len(syn.reps)}"  # warm-up may add one
    assert result.output.startswith(f"{ex.value}:{count}")
    assert "repetition(s)" in result.output.splitlines()[0]
