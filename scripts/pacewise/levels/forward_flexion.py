"""Graded forward flexion: a feared movement, met in small, safe doses.

The session asks how much pain and harm the patient expects before the bends and how much they
felt after them (the exercise registry marks it as graded exposure), so the answers are saved the
moment they are given and feed the safety rules. The level itself shows the bend on a gauge,
scaled by the prescription's visual-feedback gain, and counts it.
"""

from __future__ import annotations

from pacewise.levels.gauged import GaugedLevel
from pacewise.motion.signals import Exercise


class ForwardFlexion(GaugedLevel):
    exercise = "forward_flexion"
    motion = Exercise.FORWARD_FLEXION
    gauge_label = "forward bend"
    go_text = "Now bend forward gently, only as far as feels fine."
    instructions = "Then let your arms hang and bend forward gently, as far as feels fine."
