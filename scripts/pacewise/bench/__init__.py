"""Benchmarks (`make bench`): each module here has `run() -> str`, a Markdown section.

Numbers go to docs/performance.md with the machine and the method; tests never assert timings.
"""
