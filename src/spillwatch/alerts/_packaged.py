"""The packaged default rule file, read without the rule language.

``spillwatch alerts rules`` prints it: importing :mod:`spillwatch.alerts.rules` for that loaded
the facts, the service layer, pandas and duckdb (about 1 s of CPU to print a text file).
"""

from __future__ import annotations

from importlib import resources


def default_rules_text() -> str:
    """The packaged default rule file."""
    return resources.files("spillwatch.alerts").joinpath("default_rules.toml").read_text("utf-8")
