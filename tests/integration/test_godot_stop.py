"""STOP works on every screen, from Godot alone: the pause is shown before Python answers.

Headless lock-step Godot over the real bridge (see panel_driver): STOP on a question, on the
pause question Python asks after a stop, and on the summary; Godot withdraws the question,
shows its own calm pause, plays the soft cue and tells Python. Panel ops that Python sent
before it knew of the stop do not cover the pause. The real-time cases (Python frozen with
SIGSTOP, or gone) are in test_godot_stop_realtime.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from panel_driver import BRIDGE, DESCRIBE, PANEL, STOP_TEXT, Driver, listen, run_headless

from pacewise.levels.ops import AskChoice, AskPain, CallMethod, Cue, Op, SetProperty, ShowText
from pacewise.runtime.protocol import StopPressed

RIG = "/root/Main/ScriptedRig"
PANEL_STOP = CallMethod(node=f"{PANEL}/Stop", method="press")
WRIST_STOP = CallMethod(node=f"{RIG}/LeftHand/WristStop", method="press")
CODE_STOP = CallMethod(node=BRIDGE, method="press_stop", args=["autopilot"])
SUMMARY = "Well done. Pain before 4, after 3.\nReaching: 10 of 10. Breathing: 2 min."
QUESTIONS: dict[str, Op] = {
    "pain": AskPain(prompt="How much pain do you feel now?"),
    "choice": AskChoice(prompt="Would you like to carry on?", choices=["Carry on", "Finish"]),
}


def what_happened(_stop: StopPressed) -> list[Op]:
    """What the session answers a stop with: its soft cue and its question."""
    return [
        Cue(name="soft_alert"),
        CallMethod(node=PANEL, method="cancel_question"),
        AskChoice(prompt="You pressed stop. What happened?", choices=["Pain", "Tired"]),
    ]


@pytest.mark.godot
@pytest.mark.parametrize("question", sorted(QUESTIONS))
def test_stop_on_a_question_withdraws_it_and_pauses(
    godot: str, tmp_path: Path, question: str
) -> None:
    driver = Driver(
        {
            1: listen(),
            2: [QUESTIONS[question]],
            4: [PANEL_STOP],
            5: [DESCRIBE],
            # The patient's earlier answer arrives late: the question is gone, nothing is given.
            6: [
                CallMethod(node=PANEL, method="answer", args=[3]),
                CallMethod(node=PANEL, method="choose", args=[0]),
            ],
        },
        last=10,
    )
    log = run_headless(driver, tmp_path)
    assert [s.what for s in driver.stops] == ["panel"]
    state = driver.state(0)
    assert state["screen"] == "pause" and state["text"] == STOP_TEXT
    assert state["hint"] == "" and state["choices"] == [] and state["value"] == -1
    assert state["stop_visible"] is True
    assert driver.cues == ["soft_alert"]
    assert driver.answers == [] and driver.choices == []
    assert "stop pressed (panel); the pause is shown" in log


@pytest.mark.godot
def test_stop_on_the_pause_question_and_on_the_summary(godot: str, tmp_path: Path) -> None:
    driver = Driver(
        {
            1: [*listen(), SetProperty(node=f"{RIG}/LeftHand/WristStop", prop="armed", value=True)],
            2: [CODE_STOP],  # the session's pause question follows (what_happened)
            6: [DESCRIBE],
            # Stop again, on the pause question; described before Python has answered.
            8: [PANEL_STOP, DESCRIBE],
            11: [DESCRIBE],  # Python's answer then replaces the local pause
            14: [CallMethod(node=PANEL, method="cancel_question"), ShowText(text=SUMMARY)],
            15: [DESCRIBE],
            16: [WRIST_STOP, DESCRIBE],  # and on the summary
        },
        last=24,
        on_stop=what_happened,
    )
    run_headless(driver, tmp_path)
    assert [s.what for s in driver.stops] == ["autopilot", "panel", "wrist"]
    asked, paused, asked_again, summary, paused_again = (driver.state(i) for i in range(5))
    for state in (asked, asked_again):
        assert state["screen"] == "choice" and state["text"] == "You pressed stop. What happened?"
    assert paused["screen"] == "pause" and paused["text"] == STOP_TEXT
    assert summary["screen"] == "text" and summary["text"] == SUMMARY
    assert paused_again["screen"] == "pause" and paused_again["text"] == STOP_TEXT
    # Godot's own cue for each stop; the session's cue right after it is not played twice.
    assert driver.cues == ["soft_alert"] * 3


@pytest.mark.godot
def test_panel_ops_sent_before_python_saw_the_stop_do_not_cover_the_pause(
    godot: str, tmp_path: Path
) -> None:
    driver = Driver(
        {
            1: listen(),
            # One batch: STOP, then what Python meant to show before it knew of the stop.
            3: [
                CODE_STOP,
                ShowText(text="Reach for the light on your left."),
                AskPain(prompt="How much pain do you feel now?"),
            ],
            4: [DESCRIBE],
            8: [ShowText(text="Take a rest.")],  # after Python has seen the stop: shown
            9: [DESCRIBE],
        },
        last=12,
    )
    run_headless(driver, tmp_path)
    assert [s.what for s in driver.stops] == ["autopilot"]
    held, later = driver.state(0), driver.state(1)
    assert held["screen"] == "pause" and held["text"] == STOP_TEXT
    assert later["screen"] == "text" and later["text"] == "Take a rest."
