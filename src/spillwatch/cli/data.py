"""Data commands: placeholder module replaced below."""
from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Register the data commands."""
