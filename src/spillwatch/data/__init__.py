"""Data layer: providers (CSV, shared data, demo, live), quality checks, ingest and the panel."""
