"""Reports that leave the machine only as files: HTML and PDF summaries, tidy CSV, FHIR R4."""
