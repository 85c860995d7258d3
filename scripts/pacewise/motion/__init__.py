"""motion layer (see docs/architecture in DESIGN)."""
