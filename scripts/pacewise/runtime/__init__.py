"""runtime layer (see docs/architecture in DESIGN)."""
