"""Data layer: providers (CSV, shared data set, demo, live), quality checks, ingest and the panel."""
