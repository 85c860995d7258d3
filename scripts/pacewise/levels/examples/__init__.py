"""Worked examples from docs/levels.md: real, checked levels a designer can copy."""
