"""levels layer (see docs/architecture in DESIGN)."""
