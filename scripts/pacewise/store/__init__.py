"""store layer (see docs/architecture in DESIGN)."""
