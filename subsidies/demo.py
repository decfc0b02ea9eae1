"""Demo data for this app; filled in by its capability."""
