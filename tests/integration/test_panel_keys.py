"""The panel's questions with a real keyboard: Enter alone answers nothing; a number, then Enter.

Real Godot in a window under Xvfb (CPU Vulkan) with the desktop rig, in real time; keys typed
with xdotool. Nothing is preselected, so Enter before a choice must not answer for the patient.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from panel_driver import DESCRIBE, Driver, listen

from pacewise.levels.ops import AskChoice, AskPain, Quit
from pacewise.runtime.launcher import Mode, engine_problems, play_session


async def _xdotool(*args: str) -> str:
    proc = await asyncio.create_subprocess_exec(
        "xdotool", *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    out, _ = await proc.communicate()
    return out.decode()


async def _until(what: str, ready: Callable[[], bool], timeout_s: float = 60.0) -> None:
    for _ in range(int(timeout_s / 0.05)):
        if ready():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


async def _scenario(driver: Driver, log: Path) -> tuple[int, list[list[int]], list[list[object]]]:
    game = asyncio.create_task(play_session(driver, Mode.KEYBOARD, log_path=log))
    await _until("frames", lambda: driver.frames >= 20 or game.done(), 120)
    windows = (await _xdotool("search", "--sync", "--name", "Pacewise")).split()
    assert windows, "no Pacewise window"

    async def settle() -> None:  # a few frames, so keys and ops have landed
        start = driver.frames
        await _until("frames", lambda: driver.frames >= start + 4)

    async def key(name: str) -> None:
        await _xdotool("windowfocus", "--sync", windows[0])
        await _xdotool("key", "--window", windows[0], name)
        await settle()

    async def shown() -> dict[str, object]:  # what the panel shows, once Godot has said it
        count = len(driver.states)
        driver.later([DESCRIBE])
        await _until("the panel's state", lambda: len(driver.states) > count)
        return driver.state(count)

    answers_seen: list[list[int]] = []
    choices_seen: list[list[object]] = []
    driver.later([*listen(), AskPain(prompt="How much pain do you feel right now?")])
    assert (await shown())["screen"] == "pain"
    await key("Return")  # nothing chosen yet: no answer
    answers_seen.append(list(driver.answers))
    await key("4")
    picked = await shown()
    assert picked["value"] == 4 and picked["confirm_text"] == "Confirm 4"
    await key("Return")
    answers_seen.append(list(driver.answers))
    driver.later([AskChoice(prompt="Would you like to carry on?", choices=["Carry on", "Finish"])])
    await _until("the answer", lambda: bool(driver.answers))
    asked = await shown()
    assert asked["screen"] == "choice" and asked["focus"] == -1
    await key("Return")  # nothing focused: no choice
    choices_seen.append(list(driver.choices))
    await key("Right")  # the first arrow marks the first choice
    await key("Return")
    choices_seen.append(list(driver.choices))
    driver.finished = True
    driver.later([Quit(code=0)])
    result = await asyncio.wait_for(game, 120)
    return result.returncode, answers_seen, choices_seen


def test_enter_alone_answers_nothing_a_number_then_enter_does(
    virtual_display: str, xdotool: str, tmp_path: Path
) -> None:
    driver = Driver({}, last=10**9)
    log = tmp_path / "godot.log"
    code, answers, choices = asyncio.run(_scenario(driver, log))
    text = log.read_text()
    assert code == 0, text[-3000:]
    assert engine_problems(text) == [], text[-3000:]
    assert answers == [[], [4]]
    assert choices == [[], [[0, "Carry on"]]]
