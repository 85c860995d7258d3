"""The session flow without Godot: every phase, every stop moment, every safety rule.

The session runs against the in-memory Godot (runtime/transport.py), with the synthetic patient
as an observer and scripted personas, into a real store in a temporary folder. Small doses keep
each test well under a second of wall time per simulated minute.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pacewise.domain.safety import SafetyThresholds
from pacewise.domain.session import LevelEnd, SessionPath
from pacewise.levels.api import LevelPlan
from pacewise.levels.ops import AskChoice, AskPain, Quit, ShowText, UnloadLevel
from pacewise.runtime.autopilot import Autopilot
from pacewise.runtime.dialog import Ask
from pacewise.runtime.launcher import PROJECT_ROOT
from pacewise.runtime.persona import Persona, StopPlan
from pacewise.runtime.recorder import Recorder
from pacewise.runtime.session import PANEL, Phase, SessionDirector
from pacewise.runtime.transport import InMemoryGodot
from pacewise.store import synthetic
from pacewise.store.store import Store

REACH = LevelPlan(exercise="reach", quota=2, target_deg=(15.0,), max_deg=60.0)
BEND = LevelPlan(exercise="forward_flexion", quota=2, target_deg=(20.0,), max_deg=60.0)
BREATHE = LevelPlan(
    exercise="breathing", unit="seconds", quota=20, position="seated", cadence_per_min=6.0
)


def director(
    store: Store,
    levels: list[LevelPlan],
    persona: Persona | None = None,
    *,
    scenes: dict[str, str] | None = None,
    safety: SafetyThresholds | None = None,
    flare_today: bool = False,
    budget: float | None = None,
) -> SessionDirector:
    sid = "20261201T100000-test"
    return SessionDirector(
        project_root=PROJECT_ROOT,
        levels=levels,
        recorder=Recorder(store, sid, lambda: datetime.now(UTC)),  # synthetic: set by the session
        observers=[Autopilot(4, PANEL, persona=persona)],
        seed=4,
        safety=safety,
        session_id=sid,
        synthetic=True,
        flare_today=flare_today,
        scenes=scenes,
        hook_budget_s=budget,
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(synthetic.prepare(tmp_path / "demo"))


def play(
    d: SessionDirector, max_s: float = 900.0, until: Callable[[], bool] | None = None
) -> InMemoryGodot:
    godot = InMemoryGodot(d, PROJECT_ROOT)
    godot.hello()
    godot.run(max_s, until=until)
    return godot


def finish(godot: InMemoryGodot, d: SessionDirector, max_s: float = 900.0) -> None:
    godot.run(max_s)
    d.close()


# --- the whole flow ---------------------------------------------------------------------


def test_a_session_runs_every_phase_in_order_and_saves_at_the_end(store: Store) -> None:
    d = director(store, [REACH, BEND, BREATHE])
    seen: list[Phase] = []
    d.observers.append(_PhaseLog(seen))
    godot = play(d)
    d.close()
    assert godot.quit_code == 0
    assert seen[:4] == [Phase.WELCOME, Phase.PAIN_BEFORE, Phase.CALIBRATION, Phase.LEVEL]
    assert Phase.EXPECT in seen and Phase.FELT in seen and seen[-2:] == [Phase.SUMMARY, Phase.DONE]
    [record] = store.sessions()
    assert [lv.name for lv in record.levels] == ["reach", "forward_flexion", "breathing"]
    assert all(lv.ended is LevelEnd.quota for lv in record.levels), record.levels
    assert record.pain_before is not None and record.pain_after is not None
    assert record.stopped is None and record.synthetic
    assert len(list(store.load_recording(record.id))) == record.frames + 1


class _PhaseLog:
    def __init__(self, seen: list[Phase]) -> None:
        self.seen = seen

    def entered(self, phase: Phase, t: float, label: str) -> None:
        self.seen.append(phase)

    def asked(self, question: object, t: float) -> None: ...

    def withdrawn(self) -> None: ...

    def level_started(self, plan: object, t: float) -> None: ...

    def level_ended(self) -> None: ...

    def act(self, t_next: float, targets: object) -> list[object]:
        return []


# --- safety rules, live ----------------------------------------------------------------------


def test_felt_pain_after_the_bend_feeds_the_pain_rise_rule(store: Store) -> None:
    persona = Persona(name="rise", pain_before=3, felt_pain=8, after_pause="finish")
    d = director(store, [BEND, BREATHE], persona)
    finish(play(d), d)
    [record] = store.sessions()
    rules = [p.source for p in record.pauses]
    assert "pain_rise" in rules
    rise = next(p for p in record.pauses if p.source == "pain_rise")
    assert "from 3 to 8" in rise.reason and rise.outcome == "session ended"
    assert [lv.name for lv in record.levels] == ["forward_flexion"]  # breathing never started


def test_pain_given_at_a_stop_feeds_the_pain_rise_rule(store: Store) -> None:
    persona = Persona(
        name="stop-pain", pain_before=2, stop=StopPlan(at_s=12.0, what_happened="pain", pain=7)
    )
    d = director(store, [REACH, BREATHE], persona)
    finish(play(d), d)
    [record] = store.sessions()
    assert [p.source for p in record.pauses] == ["stop", "pain_rise"]
    assert record.pauses[0].answer == "pain 7/10"
    assert record.pain_after == 7 and record.pauses[1].outcome == "session ended"


def test_a_small_pain_at_a_stop_lets_the_patient_carry_on(store: Store) -> None:
    persona = Persona(
        name="twinge",
        pain_before=3,
        stop=StopPlan(at_s=12.0, what_happened="pain", pain=4, then="carry_on"),
    )
    d = director(store, [REACH, BREATHE], persona)
    finish(play(d), d)
    [record] = store.sessions()
    assert [p.source for p in record.pauses] == ["stop"]
    assert record.pauses[0].outcome == "carried on"
    assert record.levels[-1].name == "breathing" and record.levels[-1].ended is LevelEnd.quota


@pytest.mark.parametrize("score", [8, 9, 10])
def test_high_pain_at_the_check_in_never_gets_the_full_dose(store: Store, score: int) -> None:
    d = director(store, [REACH, BEND, BREATHE], Persona(name="flare", pain_before=score))
    godot = play(d)
    d.close()
    flare_question = next(q for q in godot.questions if isinstance(q, AskChoice))
    assert "gentle" in flare_question.prompt
    [record] = store.sessions()
    assert record.path is SessionPath.gentle
    assert [lv.name for lv in record.levels] == ["breathing"]
    assert record.pauses[0].source == "flare_up"
    assert record.pauses[0].outcome == "gentle session"


def test_the_flare_up_path_can_rest_today(store: Store) -> None:
    persona = Persona(name="rest", pain_before=9, flare_choice="rest_today")
    d = director(store, [REACH, BREATHE], persona)
    finish(play(d), d)
    [record] = store.sessions()
    assert record.path is SessionPath.rest and record.levels == []


def test_a_flare_up_reported_today_starts_the_flare_up_path(store: Store) -> None:
    d = director(store, [REACH, BREATHE], Persona(name="ok", pain_before=3), flare_today=True)
    finish(play(d), d)
    [record] = store.sessions()
    assert record.path is SessionPath.gentle


def test_a_gentle_session_can_be_every_level_at_a_fraction(store: Store) -> None:
    safety = SafetyThresholds(gentle_fraction=0.5)
    reach = REACH.model_copy(update={"quota": 4})
    d = director(store, [reach, BREATHE], Persona(name="f", pain_before=9), safety=safety)
    finish(play(d), d)
    [record] = store.sessions()
    assert [(lv.name, lv.quota) for lv in record.levels] == [("reach", 2), ("breathing", 10)]


def test_high_expected_harm_is_acknowledged_and_can_be_left_for_today(store: Store) -> None:
    persona = Persona(name="fear", expected_pain=8, expected_harm=9, harm_choice="skip")
    d = director(store, [BEND, BREATHE], persona)
    godot = play(d)
    d.close()
    ack = next(q for q in godot.questions if isinstance(q, AskChoice))
    assert "safe" in ack.prompt
    [record] = store.sessions()
    bend = record.levels[0]
    assert bend.ended is LevelEnd.skipped and bend.reps == 0
    assert record.exposures[0].expected_harm == 9
    assert [p.source for p in record.pauses] == ["expected_harm"]


def test_high_expected_harm_then_trying_gently_plays_the_level(store: Store) -> None:
    persona = Persona(name="fear", expected_pain=8, expected_harm=9, felt_pain=3, felt_harm=1)
    d = director(store, [BEND], persona)
    godot = play(d)
    d.close()
    [record] = store.sessions()
    assert record.levels[0].ended is LevelEnd.quota
    [check] = record.exposures
    assert (check.expected_pain, check.felt_pain) == (8, 3)
    assert any("You expected 8, you felt 3" in text for text in godot.texts)


def test_expected_answers_are_kept_when_the_patient_stops_before_the_felt_question(
    store: Store,
) -> None:
    persona = Persona(name="stop", expected_pain=6, expected_harm=5, stop=StopPlan(at_s=9.5))
    d = director(store, [BEND], persona)
    godot = play(d, until=lambda: d.phase is Phase.PAUSED)
    assert d.phase is Phase.PAUSED
    record = store.session(d.session_id)
    assert record is not None and record.exposures[0].expected_pain == 6  # on disk already
    finish(godot, d)


# --- stop on every screen -------------------------------------------------------------------

STOP_OUTCOMES = {
    Phase.WELCOME: "session ended before it began",
    Phase.PAIN_BEFORE: "session ended before it began",
    Phase.CALIBRATION: "session ended",
    Phase.EXPECT: "session ended",
    Phase.LEVEL: "session ended",
    Phase.FELT: "session ended",
    Phase.REST: "session ended",
    Phase.PAUSED: "session ended",  # the same pause, asked again
    Phase.PAIN_AFTER: "ended without the last rating",
    Phase.SUMMARY: "closed the summary",
}


@pytest.mark.parametrize("phase", list(STOP_OUTCOMES), ids=lambda p: p.value)
def test_stop_is_honoured_on_every_screen(store: Store, phase: Phase) -> None:
    d = director(store, [BEND, REACH])
    reach = Phase.LEVEL if phase is Phase.PAUSED else phase
    godot = play(d, until=lambda: d.phase is reach and godot_ready(d))
    assert d.phase is reach
    if phase is Phase.PAUSED:
        godot.press_stop("first")  # the pause screen
        assert d.phase is Phase.PAUSED
    godot.press_stop("test")
    if phase in (Phase.WELCOME, Phase.PAIN_BEFORE) or phase is Phase.PAIN_AFTER:
        assert d.phase is Phase.SUMMARY
    elif phase is Phase.SUMMARY:
        assert d.phase is Phase.DONE
    else:
        assert d.phase is Phase.PAUSED
        assert d.dialog.open is not None and d.dialog.open.ask is Ask.what_happened
    finish(godot, d)
    [record] = store.sessions()
    outcomes = [p.outcome for p in record.pauses if p.source == "stop"]
    assert outcomes == [STOP_OUTCOMES[phase]], record.pauses
    assert godot.quit_code == 0


_played: dict[SessionDirector, InMemoryGodot] = {}


def godot_ops(d: SessionDirector) -> list[ShowText]:
    return [op for op in _played[d].ops if isinstance(op, ShowText)]


def godot_ready(d: SessionDirector) -> bool:
    """The moment a patient would look at the screen: a moment into the phase."""
    return d.t - d.phase_t >= 0.5


def test_a_stop_in_a_level_withdraws_nothing_twice_and_ends_the_level(store: Store) -> None:
    d = director(store, [REACH])
    godot = play(d, until=lambda: d.phase is Phase.LEVEL and d.t - d.phase_t > 5)
    godot.press_stop()
    assert isinstance(godot.ops[-1], AskChoice) or any(
        isinstance(o, AskChoice) for o in godot.ops[-5:]
    )
    assert any(isinstance(o, UnloadLevel) for o in godot.ops[-6:])
    finish(godot, d)
    [record] = store.sessions()
    assert record.levels[0].ended is LevelEnd.stopped


# --- the dose belongs to the session ---------------------------------------------------------

GREEDY = """
from pacewise.levels.api import Behaviour

class Greedy(Behaviour):
    exercise = "reach"

    def on_ready(self):
        self.n = 0

    def on_frame(self, frame):
        self.n += 1
        self.session.report(reps=self.n)  # counts every frame, never finishes
"""

RAISES = """
from pacewise.levels.api import Behaviour

class Broken(Behaviour):
    exercise = "reach"

    def on_frame(self, frame):
        if frame.t > 6.5:
            raise ValueError("a designer's bug")
"""

LOOPS = """
from pacewise.levels.api import Behaviour

class Loops(Behaviour):
    exercise = "reach"

    def on_frame(self, frame):
        self.t0 = getattr(self, "t0", frame.t)
        if frame.t - self.t0 > 1.0:
            while True:
                pass
"""

IDLE = """
from pacewise.levels.api import Behaviour

class Idle(Behaviour):
    exercise = "reach"
"""


def level_scene(tmp_path: Path, code: str, params: str = "{}", name: str = "probe") -> str:
    """A level scene with one PwPyBehaviour running `code`, inside the project folder."""
    folder = PROJECT_ROOT / "scenes" / "levels" / "examples" / ".test"
    folder.mkdir(exist_ok=True)
    (folder / ".gdignore").touch()
    script = folder / f"{name}_{tmp_path.name}.py"
    script.write_text(code)
    scene = folder / f"{name}_{tmp_path.name}.tscn"
    rel = script.relative_to(PROJECT_ROOT)
    scene.write_text(
        "[gd_scene load_steps=2 format=3]\n\n"
        '[ext_resource type="Script" '
        'path="res://addons/pacewise/behaviour/pw_py_behaviour.gd" id="1_beh"]\n\n'
        '[node name="Probe" type="Node3D"]\n\n'
        '[node name="Behaviour" type="Node3D" parent="."]\n'
        'script = ExtResource("1_beh")\n'
        f'script_path = "res://{rel}"\n'
        f"parameters = {params}\n"
    )
    return f"res://{scene.relative_to(PROJECT_ROOT)}"


@pytest.fixture
def cleanup_scenes() -> object:
    yield None
    import shutil

    shutil.rmtree(PROJECT_ROOT / "scenes" / "levels" / "examples" / ".test", ignore_errors=True)


def test_a_level_cannot_count_past_its_quota(
    store: Store, tmp_path: Path, cleanup_scenes: object
) -> None:
    scene = level_scene(tmp_path, GREEDY)
    d = director(store, [REACH.model_copy(update={"quota": 10})], scenes={"reach": scene})
    finish(play(d), d)
    [record] = store.sessions()
    [level] = record.levels
    assert level.reps == 10 and level.ended is LevelEnd.quota


def test_an_inspector_quota_is_ignored_with_a_warning(
    store: Store, tmp_path: Path, cleanup_scenes: object
) -> None:
    scene = level_scene(tmp_path, GREEDY, '{\n"reps": 50,\n"quota": 99\n}')
    d = director(store, [REACH.model_copy(update={"quota": 3})], scenes={"reach": scene})
    finish(play(d), d)
    [level] = store.sessions()[0].levels
    assert level.reps == 3
    assert len(d.host.warnings) == 2 and "ignored" in d.host.warnings[0]


@pytest.mark.parametrize(
    ("code", "why"),
    [(RAISES, "ValueError: a designer's bug"), (LOOPS, "budget")],
    ids=["raises", "loops-forever"],
)
def test_a_failing_behaviour_leaves_the_level_not_measured_and_the_session_going(
    store: Store, tmp_path: Path, cleanup_scenes: object, code: str, why: str
) -> None:
    scene = level_scene(tmp_path, code)
    d = director(store, [REACH, BREATHE], scenes={"reach": scene}, budget=0.3)
    _played[d] = play(d)
    finish(_played[d], d)
    [record] = store.sessions()
    reach, breathing = record.levels
    assert reach.ended is LevelEnd.not_measured and why in (reach.not_measured or "")
    assert breathing.ended is LevelEnd.quota
    [error] = record.behaviour_errors
    assert f"probe_{tmp_path.name}.py:" in error  # file and line
    [failure] = d.host.failures
    assert failure.line is not None and "Traceback" in failure.traceback
    shown = [op.text for op in godot_ops(d) if "Level behaviour stopped" in op.text]
    assert shown and f"probe_{tmp_path.name}.py:{failure.line}" in shown[0]  # for the designer


def test_stop_still_pauses_after_a_behaviour_loops_forever(
    store: Store, tmp_path: Path, cleanup_scenes: object
) -> None:
    scene = level_scene(tmp_path, LOOPS)
    d = director(store, [REACH], scenes={"reach": scene}, budget=0.3)
    godot = play(d, until=lambda: bool(d.host.failures))
    godot.press_stop()  # the very next message after the endless loop was cut off
    assert d.phase is Phase.PAUSED
    finish(godot, d)
    assert store.sessions()[0].pauses[0].source == "stop"


def test_a_missing_script_is_not_measured_with_its_name(
    store: Store, tmp_path: Path, cleanup_scenes: object
) -> None:
    scene = level_scene(tmp_path, IDLE)
    script = PROJECT_ROOT / "scenes/levels/examples/.test" / f"probe_{tmp_path.name}.py"
    script.unlink()
    d = director(store, [REACH], scenes={"reach": scene})
    finish(play(d), d)
    [level] = store.sessions()[0].levels
    assert level.ended is LevelEnd.not_measured and "does not exist" in (level.not_measured or "")


def test_a_level_that_measures_nothing_by_its_time_cap_is_not_measured(
    store: Store, tmp_path: Path, cleanup_scenes: object
) -> None:
    scene = level_scene(tmp_path, IDLE)
    d = director(store, [REACH], scenes={"reach": scene})
    finish(play(d), d)
    [level] = store.sessions()[0].levels
    assert level.ended is LevelEnd.not_measured and "nothing was measured" in (
        level.not_measured or ""
    )


def test_a_level_in_the_wrong_exercise_slot_says_so(
    store: Store, tmp_path: Path, cleanup_scenes: object
) -> None:
    asks_its_plan = "\n    def on_ready(self):\n        self.session.plan(self.exercise)\n"
    wrong = IDLE.replace('"reach"', '"lateral_flexion"').replace(
        "class Idle(Behaviour):", "class Idle(Behaviour):" + asks_its_plan
    )
    scene = level_scene(tmp_path, wrong)
    d = director(store, [REACH], scenes={"reach": scene})
    finish(play(d), d)
    [level] = store.sessions()[0].levels
    assert level.ended is LevelEnd.not_measured and "wrong exercise slot" in (
        level.not_measured or ""
    )


# --- the record is durable as it happens, and the session resumes ------------------------


def test_a_restarted_game_side_resumes_the_session_under_the_same_id(store: Store) -> None:
    persona = Persona(name="p", pain_before=4)
    first = director(store, [REACH, BEND, BREATHE], persona)
    godot = play(first, until=lambda: first.phase is Phase.LEVEL and first.level_index == 1
                 and first.t - first.phase_t > 3)  # fmt: skip
    assert first.phase is Phase.LEVEL
    # kill -9: nothing more of `first` runs; a fresh game side starts from what is on disk
    state = store.live(first.session_id).load_state()
    assert state is not None
    second = director(store, [REACH, BEND, BREATHE], persona)
    second.resume_from(state)
    godot.handler = second
    godot.hello(resumed=True)
    finish(godot, second)
    [record] = store.sessions()
    assert record.id == first.session_id and record.restarts == 1
    names = [(lv.name, lv.ended) for lv in record.levels]
    assert names[0] == ("reach", LevelEnd.quota)
    assert names[1][0] == "forward_flexion"
    assert record.pain_before == 4 and record.stopped is None
    assert names[-1] == ("breathing", LevelEnd.quota)


def test_the_summary_on_disk_says_the_session_is_running_until_it_ends(store: Store) -> None:
    d = director(store, [REACH])
    godot = play(d, until=lambda: d.phase is Phase.LEVEL and d.t - d.phase_t > 2)
    running = store.session(d.session_id)
    assert running is not None and "did not finish" in (running.stopped or "")
    finish(godot, d)
    assert store.sessions()[0].stopped is None


def test_a_synthetic_session_is_refused_by_a_patients_folder(tmp_path: Path) -> None:
    patient = Store.open(tmp_path / "patient")
    d = director(patient, [REACH])
    godot = play(d, max_s=60)
    d.close()
    assert d.failure is not None and "synthetic" in d.failure
    assert godot.quit_code == 4
    assert patient.sessions() == [] and patient.pain_entries() == []


def test_quit_is_sent_once_at_the_end(store: Store) -> None:
    d = director(store, [REACH])
    godot = play(d)
    d.close()
    assert sum(isinstance(op, Quit) for op in godot.ops) == 1
    assert all(not isinstance(q, AskPain) or q.prompt for q in godot.questions)


def test_dizziness_at_a_stop_is_evaluated_by_the_symptoms_rule_and_ends_the_session(
    store: Store,
) -> None:
    persona = Persona(name="dizzy", stop=StopPlan(at_s=12.0, what_happened="dizzy"))
    d = director(store, [REACH, BREATHE], persona)
    finish(play(d), d)
    [record] = store.sessions()
    assert [p.source for p in record.pauses] == ["stop", "symptoms"]
    assert "dizziness" in record.pauses[1].reason
    assert record.stopped is not None and "dizzy" in record.stopped
    assert [lv.name for lv in record.levels] == ["reach"]


def test_a_bad_parameter_leaves_the_level_not_measured(
    store: Store, tmp_path: Path, cleanup_scenes: object
) -> None:
    real_reach = (PROJECT_ROOT / "scripts/pacewise/levels/reach.py").read_text()
    scene = level_scene(tmp_path, real_reach, '{\n"pause_s": "slow"\n}')
    d = director(store, [REACH], scenes={"reach": scene})
    finish(play(d), d)
    [level] = store.sessions()[0].levels
    assert level.ended is LevelEnd.not_measured
    assert "ValueError" in (level.not_measured or "") and "slow" in (level.not_measured or "")


@pytest.mark.parametrize(
    ("found", "desktop", "expected"),
    [("xr", False, "xr"), ("xr", True, "keyboard"), ("desktop", False, "keyboard"),
     ("headless", False, "headless"), ("headless", True, None)],
)  # fmt: skip
def test_play_lets_the_person_play_whenever_there_is_a_display(
    found: str, desktop: bool, expected: str | None
) -> None:
    """The defect: with a display and no headset, `make play` let the bot play instead."""
    from pacewise.cli.play import patient_mode
    from pacewise.runtime.launcher import Mode

    mode = patient_mode(Mode(found), desktop)
    assert (mode.value if mode else None) == expected


def test_tracking_lost_for_too_long_pauses_the_level(store: Store) -> None:
    long_breathing = BREATHE.model_copy(update={"quota": 60})
    d = director(store, [long_breathing], Persona(name="p", after_pause="finish"))
    godot = play(d, until=lambda: d.phase is Phase.LEVEL and d.t - d.phase_t > 4)
    assert d.phase is Phase.LEVEL
    godot.tracked = False
    godot.run(until=lambda: d.phase is not Phase.LEVEL)
    lost_for = d.t - d.levels[0].started_t - 4  # type: ignore[operator]
    godot.tracked = True
    finish(godot, d)
    [record] = store.sessions()
    assert record.pauses[0].source == "tracking_lost"
    assert 3.0 < lost_for < 3.5  # the rule's 3 s, looked at every tenth of a second
    assert record.levels[0].ended is LevelEnd.stopped


def test_the_session_cap_ends_the_session_on_time(store: Store) -> None:
    d = director(store, [REACH, BREATHE])
    d.session_cap_s = 20.0
    finish(play(d), d)
    [record] = store.sessions()
    cap = next(p for p in record.pauses if p.source == "session_cap")
    assert 20.0 <= cap.t_s < 20.2 and cap.outcome == "session ended"
    assert record.pain_after is not None  # the last check-in still comes


def test_a_break_comes_after_the_planned_minutes_of_activity(store: Store) -> None:
    long_breathing = BREATHE.model_copy(update={"quota": 300})
    d = director(store, [long_breathing, REACH], safety=SafetyThresholds(break_every_min=5))
    seen: list[Phase] = []
    d.observers.append(_PhaseLog(seen))
    finish(play(d, max_s=1200), d)
    assert Phase.BREAK in seen
    assert seen.index(Phase.BREAK) < len(seen) - 1 - seen[::-1].index(Phase.LEVEL)  # before reach


def test_the_terminal_summary_prints_stored_text_safely(capsys: pytest.CaptureFixture[str]) -> None:
    from pacewise.cli.play import show
    from pacewise.runtime.game import Summary

    summary = Summary(
        session_id="s", godot_version="4.6", rig="scripted", frames=1, levels=[],
        pain_before=3, pain_after=3, duration_s=1.0, stopped="\x1b]0;owned\x07stop [red]x",
        store_path=None, seed=1, godot_problems=["ERROR: [bold]odd[/bold] \x1b[2J"],
    )  # fmt: skip
    show(summary, as_json=False)
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "stop [red]x" in out and "[bold]odd[/bold]" in out  # text, never markup
