"""Data providers: each turns a source into canonical observations ``(series_id, ts, value)``."""
