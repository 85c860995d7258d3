"""The panel's questions: typed ids for every question and choice, never display text.

The session asks through a `Dialog`; an answer comes back as the index of a choice (or a 0-10
value), and the dialog turns it into the question's id and the choice's id. Labels are only what
the patient reads, so rewording or translating one can never change what the session does.
Choices are listed in a fixed, neutral order and none is preselected (the panel's job).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pacewise.levels.ops import AskChoice, AskPain, CallMethod, Op

log = logging.getLogger(__name__)


class Ask(StrEnum):
    """Every question the session asks."""

    pain_before = "pain_before"
    pain_after = "pain_after"
    stop_pain = "stop_pain"
    what_happened = "what_happened"
    carry_on = "carry_on"
    flare_path = "flare_path"
    expected_pain = "expected_pain"
    expected_harm = "expected_harm"
    harm_ack = "harm_ack"
    felt_pain = "felt_pain"
    felt_harm = "felt_harm"
    level = "level"  # a question a level's behaviour asks (its own key rides along)


class Choice(StrEnum):
    pain = "pain"
    dizzy = "dizzy"
    tired = "tired"
    other = "other"
    carry_on = "carry_on"
    finish = "finish"
    gentle = "gentle"
    rest_today = "rest_today"
    try_gently = "try_gently"
    skip = "skip"


LABELS: dict[Choice, str] = {
    Choice.pain: "Pain",
    Choice.dizzy: "Dizzy or sick",
    Choice.tired: "Tired",
    Choice.other: "Something else",
    Choice.carry_on: "Carry on",
    Choice.finish: "Finish for today",
    Choice.gentle: "A gentle session",
    Choice.rest_today: "Rest today",
    Choice.try_gently: "Try it gently",
    Choice.skip: "Leave it for today",
}

#: The questions' choices, in the order shown.
CHOICES: dict[Ask, tuple[Choice, ...]] = {
    Ask.what_happened: (Choice.pain, Choice.dizzy, Choice.tired, Choice.other),
    Ask.carry_on: (Choice.carry_on, Choice.finish),
    Ask.flare_path: (Choice.gentle, Choice.rest_today),
    Ask.harm_ack: (Choice.try_gently, Choice.skip),
}

PAIN_ANCHORS = ("no pain", "worst pain imaginable")
HARM_ANCHORS = ("no harm at all", "serious harm")


@dataclass(frozen=True)
class Question:
    """The one question open on the panel, and who asked it (the session or a behaviour)."""

    ask: Ask
    prompt: str
    choices: tuple[Choice, ...] = ()
    #: The behaviour node that asked (Ask.level) and its own key for the answer.
    asker: str | None = None
    key: str | None = None

    @property
    def scale(self) -> bool:
        return not self.choices


@dataclass(frozen=True)
class Answer:
    question: Question
    value: int | None = None  # a 0-10 rating
    choice: Choice | None = None


class Dialog:
    """Holds the open question; turns the panel's signals into typed answers."""

    def __init__(self, panel: str) -> None:
        self.panel = panel
        self.open: Question | None = None

    def scale(
        self,
        ask: Ask,
        prompt: str,
        anchors: tuple[str, str] = PAIN_ANCHORS,
        *,
        asker: str | None = None,
        key: str | None = None,
    ) -> tuple[Question, Op]:
        question = Question(ask, prompt, (), asker, key)
        self.open = question
        return question, AskPain(prompt=prompt, low=anchors[0], high=anchors[1])

    def choose(self, ask: Ask, prompt: str) -> tuple[Question, Op]:
        choices = CHOICES[ask]
        question = Question(ask, prompt, choices)
        self.open = question
        return question, AskChoice(prompt=prompt, choices=[LABELS[c] for c in choices])

    def withdraw(self) -> Op | None:
        """Take the open question off the panel (the session moved on without an answer)."""
        if self.open is None:
            return None
        self.open = None
        return CallMethod(node=self.panel, method="cancel_question")

    def receive(self, signal: str, args: list[Any]) -> Answer | None:
        """The panel's `answered(value)` or `chosen(index)`; None when it answers nothing open."""
        question = self.open
        if question is None or not args:
            log.warning("an answer with no open question: %s %r", signal, args)
            return None
        raw = args[0]
        if isinstance(raw, bool) or not isinstance(raw, int | float) or raw != int(raw):
            log.warning("unreadable answer %r", args)
            return None
        value = int(raw)
        if signal == "chosen" and not question.scale and 0 <= value < len(question.choices):
            self.open = None
            return Answer(question, choice=question.choices[value])
        if signal == "answered" and question.scale and 0 <= value <= 10:
            self.open = None
            return Answer(question, value=value)
        log.warning("answer %s %r does not fit the open question %s", signal, args, question.ask)
        return None
