"""Marching in place to a paced cadence, for the prescribed time (a time quota)."""

from __future__ import annotations

from pacewise.levels.api import NodeRef
from pacewise.levels.movement import MovementLevel
from pacewise.motion.signals import Exercise
from pacewise.motion.tracking_frame import TrackingFrame

PACER_SCENE = "res://addons/pacewise/props/pw_pacer.tscn"
DEFAULT_CADENCE = 90.0


class March(MovementLevel):
    exercise = "march"
    motion = Exercise.MARCH
    counted_as = "steps"
    go_text = "March with the beat."
    instructions = "Then march on the spot with the beat, lifting your knees gently."

    def start_moving(self) -> None:
        self.cadence = float(self.plan.cadence_per_min or DEFAULT_CADENCE)
        self.pacer: NodeRef = self.node.spawn(
            PACER_SCENE, name="Pacer", position=(-1.3, 0.0, -2.2), cadence_per_min=self.cadence
        )
        self.next_beat: float | None = None
        self.beats = 0
        super().start_moving()

    def on_frame(self, frame: TrackingFrame) -> None:
        super().on_frame(frame)
        if self.moving_since is None or self.done:
            return
        start = self.moving_since + 3.0
        if self.next_beat is None:
            self.next_beat = start
        if frame.t >= self.next_beat:
            self.pacer.call("pulse")
            self.node.cue("tick" if self.beats % 2 == 0 else "tock")
            self.beats += 1
            self.next_beat = start + self.beats * 60.0 / self.cadence

    def feedback(self, rep: object) -> None:
        pass
