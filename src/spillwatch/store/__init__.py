"""The embedded DuckDB store (schema, upsert with revisions, quarantine, runs)."""

from spillwatch.store.duckdb import MEMORY, Store, UpsertCounts

__all__ = ["MEMORY", "Store", "UpsertCounts"]
