"""The exercises motion analysis knows, with nothing heavy imported.

Kept apart from `signals` (numpy, the kernels) so that the command line can name the exercises
in its help without loading the analysis; `signals.Exercise` is this same class.
"""

from __future__ import annotations

import enum


class Exercise(enum.StrEnum):
    FORWARD_FLEXION = "forward_flexion"
    LATERAL_FLEXION = "lateral_flexion"
    TRUNK_ROTATION = "trunk_rotation"
    SIT_TO_STAND = "sit_to_stand"
    MARCH = "march"
    BREATHING = "breathing"
