"""Shared base of the levels whose repetitions the live analyser counts from head and hands.

The level first gives a few seconds of neutral posture (the analyser calibrates on them, as the
offline analyser does on a recording), then counts what the body does. It finishes at the
quota, good day or not: repetitions for movements, seconds for marching and breathing.
"""

from __future__ import annotations

import math
from typing import ClassVar

from pacewise.domain.session import Repetition
from pacewise.levels.api import Behaviour, LevelPlan
from pacewise.motion.analyzer import Rep
from pacewise.motion.live import LiveAnalyzer
from pacewise.motion.signals import DEFAULT_MIN_DEG, Exercise
from pacewise.motion.tracking_frame import TrackingFrame

NEUTRAL_S = 3.0
GAUGE_SCENE = "res://addons/pacewise/props/pw_gauge.tscn"


def _finite(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else value


def as_repetition(rep: Rep) -> Repetition:
    """The analyser's repetition as the session keeps it."""
    quality = rep.quality
    return Repetition(
        t_s=rep.peak_t,
        peak_deg=rep.peak_deg,
        side=rep.side,
        peak_velocity=_finite(quality.get("peak_velocity")),
        smoothness=_finite(quality.get("sparc")),
        time_to_peak_s=_finite(quality.get("time_to_peak_s")),
    )


class MovementLevel(Behaviour):
    """Subclasses set `exercise`, `motion`, `instructions`, and may override the hooks."""

    motion: Exercise = Exercise.FORWARD_FLEXION
    instructions: str = ""
    #: Said once the neutral moment is over, as the cue to start moving.
    go_text: str = "Now, in your own time."
    #: What one counted repetition is called in the progress report.
    counted_as: str = "reps"
    parameters: ClassVar[dict[str, type]] = {}
    keep: ClassVar[tuple[str, ...]] = (
        "count",
        "best_deg",
        "t",
        "moving_since",
        "analyzer",
        "_went",
    )

    def on_ready(self) -> None:
        self.plan: LevelPlan = self.session.plan(self.exercise)
        # The session counts against this quota and ends the level there; the level only shows it.
        self.quota = self.plan.quota
        self.count = 0
        self.best_deg: float | None = None
        self.t = 0.0
        self.moving_since: float | None = None
        self.analyzer: LiveAnalyzer | None = None
        self._went = False
        self.done = False
        self.prepare()

    def prepare(self) -> None:
        """Before moving (questions, props); by default start at once."""
        self.start_moving()

    def min_deg(self) -> float | None:
        default = DEFAULT_MIN_DEG.get(self.motion)
        if default is None or not self.plan.target_deg:
            return default
        return min(default, 0.75 * min(self.plan.target_deg))

    def start_moving(self) -> None:
        cal = self.session.calibration
        self.analyzer = LiveAnalyzer(
            self.motion,
            posture=self.plan.position,
            calibration_s=NEUTRAL_S,
            height_m=cal.stature_m,
            min_deg=self.min_deg(),
        )
        self.node.say(f"Stand still for a moment.\n{self.instructions}")
        self.session.begin_movement()

    def on_frame(self, frame: TrackingFrame) -> None:
        self.t = frame.t
        if self.analyzer is None or self.done:
            return
        if self.moving_since is None:
            self.moving_since = frame.t
        for rep in self.analyzer.update_frame(frame):
            self.on_rep(rep)
        if self.analyzer.calibration is not None and not self._went:
            self._went = True
            self.node.say(self.go_text)
            self.node.cue("chime")
        value = self.analyzer.value if self.analyzer.calibration is not None else None
        if value is not None:
            self.on_signal_value(value)
        if self.plan.unit == "seconds" and not self.done:
            active = frame.t - self.moving_since - NEUTRAL_S
            self.session.report(seconds=round(max(active, 0.0), 1))
            if active >= self.quota:
                self.complete()

    def on_signal_value(self, value: float) -> None:
        """The watched signal (degrees for angles) after each frame; for live feedback."""

    def on_rep(self, rep: Rep) -> None:
        self.count += 1
        if rep.peak_deg is not None:
            self.best_deg = max(self.best_deg or 0.0, rep.peak_deg)
        progress: dict[str, int | float] = {self.counted_as: self.count}
        if self.best_deg is not None and self.motion in DEFAULT_MIN_DEG:
            progress["best_deg"] = round(self.best_deg, 1)
        self.session.report(**progress)
        if self.plan.unit == "reps":
            self.session.report_rep(as_repetition(rep))
        self.feedback(rep)
        if self.plan.unit == "reps" and self.count >= self.quota:
            self.complete()

    def feedback(self, rep: Rep) -> None:
        left = self.quota - self.count
        if self.plan.unit == "reps" and left > 0:
            self.node.say(f"{left} to go." if left > 1 else "One more.")

    def complete(self) -> None:
        """The quota is reached: stop here, even on a good day."""
        self.done = True
        self.node.say("Well done. That is today's amount.")
        self.session.finish()
