"""Neutral questions on the real panel: nothing is chosen for the patient; STOP is never covered.

Real headless Godot driven over the real bridge (see panel_driver). The panel reports what it
shows with `describe()`; answers and choices come back as its real signals.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from panel_driver import BRIDGE, DESCRIBE, PANEL, Driver, listen, run_headless

from pacewise.levels.ops import AskChoice, AskPain, CallMethod, Op, SetProperty, ShowText

CONFIRM = CallMethod(node=f"{PANEL}/Confirm", method="press")
CHOICES = ["Pain", "Dizzy or sick", "Tired", "Something else"]


@pytest.mark.godot
def test_pain_scale_starts_empty_and_confirm_waits_for_a_number(godot: str, tmp_path: Path) -> None:
    driver = Driver(
        {
            1: listen(),
            2: [AskPain(prompt="How much pain do you feel right now?")],
            3: [DESCRIBE],
            4: [CONFIRM],  # pressed with nothing chosen: no answer
            5: [CallMethod(node=f"{PANEL}/Slider", method="step", args=[1])],  # → from the low end
            6: [DESCRIBE],
            7: [SetProperty(node=f"{PANEL}/Slider", prop="value", value=4)],
            8: [DESCRIBE],
            9: [CONFIRM],
            11: [AskPain(prompt="And now?")],  # a new question starts empty again
            12: [DESCRIBE],
            13: [CallMethod(node=PANEL, method="answer", args=[7])],  # the synthetic patient
        },
        last=20,
    )
    run_headless(driver, tmp_path)
    empty, stepped, chosen, again = (driver.state(i) for i in range(4))
    assert empty["screen"] == "pain"
    assert empty["value"] == -1
    assert empty["confirm_enabled"] is False and empty["confirm_text"] == "Confirm"
    assert (stepped["value"], stepped["confirm_text"]) == (0, "Confirm 0")
    assert chosen["value"] == 4 and chosen["confirm_enabled"] is True
    assert chosen["confirm_text"] == "Confirm 4"
    assert again["value"] == -1 and again["confirm_enabled"] is False
    assert driver.answers == [4, 7]


@pytest.mark.godot
def test_no_choice_is_preselected_or_focused(godot: str, tmp_path: Path) -> None:
    driver = Driver(
        {
            1: listen(),
            2: [AskChoice(prompt="Would you like to carry on?", choices=["Carry on", "Finish"])],
            3: [DESCRIBE],
            4: [CallMethod(node=PANEL, method="choose", args=[1])],
            5: [AskChoice(prompt="What happened?", choices=CHOICES)],
            6: [DESCRIBE],
            7: [CallMethod(node=f"{PANEL}/Choices/Choice2", method="press")],
        },
        last=12,
    )
    run_headless(driver, tmp_path)
    for state in (driver.state(0), driver.state(1)):
        assert state["screen"] == "choice"
        assert state["focus"] == -1 and state["selected_choices"] == []
    assert driver.state(1)["choices"] == CHOICES
    assert driver.choices == [[1, "Finish"], [2, "Tired"]]


HINTS = {
    "xr": ("trigger", "B or Y"),
    "desktop": ("Click", "Esc"),
    "scripted": ("computer answers", "Esc"),
}


@pytest.mark.godot
@pytest.mark.parametrize("rig", sorted(HINTS))
def test_the_panel_says_how_to_answer_and_stop_with_each_rig(
    godot: str, tmp_path: Path, rig: str
) -> None:
    driver = Driver(
        {
            1: [*listen(), SetProperty(node=BRIDGE, prop="rig_kind", value=rig)],
            2: [AskPain(prompt="How much pain do you feel right now?")],
            3: [DESCRIBE],
            4: [CallMethod(node=PANEL, method="answer", args=[2])],
            5: [AskChoice(prompt="What happened?", choices=CHOICES)],
            6: [DESCRIBE],
            7: [CallMethod(node=PANEL, method="choose", args=[0]), ShowText(text="Well done.")],
            8: [DESCRIBE],
        },
        last=12,
    )
    run_headless(driver, tmp_path)
    answer_word, stop_word = HINTS[rig]
    pain, choice, text = (driver.state(i) for i in range(3))
    assert answer_word in pain["hint"] and answer_word in choice["hint"]
    if rig == "desktop":
        assert "Enter" in pain["hint"] and "0 to 9" in pain["hint"]
    for state in (pain, choice, text):
        assert stop_word in state["stop_hint"]
    assert text["hint"] == ""  # a message asks nothing
    for hint in {pain["hint"], choice["hint"]}:
        assert len(hint) < 110 and "synthetic" not in hint  # short, plain words


LONG_SUMMARY = "Well done today.\n" + "\n".join(
    f"Level {i}: 10 of 10 reaches, 8 of 8 side bends, 6 of 6 forward bends, breathing 2 min"
    for i in range(12)
)
SCREENS: dict[str, list[Op]] = {
    "pain with long words": [
        AskPain(
            prompt="Before we bend forward: how much pain do you expect this movement to cause "
            "you, from no pain at all to the worst pain you can imagine?",
            low="no pain at all, none whatsoever",
            high="the worst pain I can possibly imagine",
        )
    ],
    "six long choices": [
        AskChoice(
            prompt="You pressed stop. What happened? Take your time and pick what fits best.",
            choices=[
                "Pain in my back",
                "Dizzy or sick",
                "Tired and out of breath",
                "Something else happened",
                "I needed a break",
                "The headset slipped off",
            ],
        )
    ],
    "a long summary": [ShowText(text=LONG_SUMMARY)],
    "the stop pause": [CallMethod(node=f"{PANEL}/Stop", method="press")],
}


@pytest.mark.godot
@pytest.mark.parametrize("rig", sorted(HINTS))
def test_nothing_covers_stop_on_any_screen(godot: str, tmp_path: Path, rig: str) -> None:
    steps: dict[int, list[Op]] = {
        1: [*listen(), SetProperty(node=BRIDGE, prop="rig_kind", value=rig)]
    }
    n = 2
    for ops in SCREENS.values():
        steps[n] = [CallMethod(node=PANEL, method="cancel_question"), *ops]
        steps[n + 2] = [DESCRIBE]
        n += 4
    # The check itself can fail: a choice moved onto STOP is reported.
    steps[n] = [
        AskChoice(prompt="Moved?", choices=["A", "B", "C"]),
        SetProperty(node=f"{PANEL}/Choices/Choice2", prop="position", value=[0.5, -0.3, 0.01]),
    ]
    steps[n + 2] = [DESCRIBE]
    driver = Driver(steps, last=n + 6)
    run_headless(driver, tmp_path)
    states = [seen.what for seen in driver.states]
    assert len(states) == len(SCREENS) + 1
    for name, state in zip(SCREENS, states, strict=False):
        assert state["stop_visible"] is True, name
        assert state["overlaps"] == [], (name, state)
        assert state["off_panel"] == [], (name, state)
    assert [s["screen"] for s in states[: len(SCREENS)]] == ["pain", "choice", "text", "pause"]
    assert "Choices/Choice2/Face" in states[-1]["overlaps"]
