"""clinic layer (see docs/architecture in DESIGN)."""
