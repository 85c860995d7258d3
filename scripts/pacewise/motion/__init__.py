"""Motion analysis on head-and-hands tracking: trunk angles, repetitions, quality, steps, breaths.

Offline: `analyzer.analyze(recording, exercise)`; live in the game: `live.LiveAnalyzer`. Both use
the same kernels (`trunk`, `signals`) and rule (`reps`). See docs/motion.md and
docs/recording-format.md. Depends on nothing above it (no runtime, levels, store or clinic).
"""
