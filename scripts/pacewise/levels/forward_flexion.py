"""Graded forward flexion: a feared movement, met in small, safe doses.

Before the repetitions the patient says how much pain and harm they expect; after them, how
much they felt. Seeing the difference is the point of graded exposure. The gauge shows the bend
times the prescription's visual-feedback gain.
"""

from __future__ import annotations

from pacewise.levels.gauged import GaugedLevel
from pacewise.motion.signals import Exercise

PAIN = ("no pain", "worst pain imaginable")
HARM = ("no harm at all", "serious harm")
EXPECT = (
    ("expected_pain", "Bending forward in a moment: how much pain do you expect?", PAIN),
    ("expected_harm", "How much harm do you expect it to do to your back?", HARM),
)
FELT = (
    ("felt_pain", "How much pain did bending forward cause?", PAIN),
    ("felt_harm", "How much harm do you think it did to your back?", HARM),
)


class ForwardFlexion(GaugedLevel):
    exercise = "forward_flexion"
    motion = Exercise.FORWARD_FLEXION
    gauge_label = "forward bend"
    go_text = "Now bend forward gently, only as far as feels fine."
    instructions = "Then let your arms hang and bend forward gently, as far as feels fine."

    def prepare(self) -> None:
        self.answers: dict[str, int] = {}
        self._questions = list(EXPECT)
        self._after = False
        self._ask_next()

    def _ask_next(self) -> None:
        key, prompt, (low, high) = self._questions.pop(0)
        self.session.ask_scale(key, prompt, low, high)

    def on_answer(self, key: str, value: int) -> None:
        self.answers[key] = value
        if self._questions:
            self._ask_next()
        elif self._after:
            expected, felt = self.answers.get("expected_pain"), self.answers.get("felt_pain")
            if expected is not None and felt is not None and felt < expected:
                self.node.say("It hurt less than you expected. Well done for trying.")
            else:
                self.node.say("Thank you. Well done for trying.")
            self.session.finish()
        else:
            self.start_moving()

    def complete(self) -> None:
        self.done = True
        self._after = True
        self._questions = list(FELT)
        self._ask_next()
