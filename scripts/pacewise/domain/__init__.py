"""domain layer (see docs/architecture in DESIGN)."""
