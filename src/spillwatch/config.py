"""Settings read from the environment: where the store lives and where shared data is found.

Environment variables
---------------------
``SPILLWATCH_DB``
    Path of the DuckDB store (default: ``spillwatch.duckdb`` in the user's data directory, from
    :func:`platformdirs.user_data_dir`).
``SPILLWATCH_SHARED_DATA``
    Folder of the shared real data set (tests and benchmarks look for ``../shared/data`` too).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "spillwatch"
DB_ENV = "SPILLWATCH_DB"
SHARED_DATA_ENV = "SPILLWATCH_SHARED_DATA"


def default_db_path() -> Path:
    """Return the store path: ``$SPILLWATCH_DB`` or the user's data directory."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME)) / "spillwatch.duckdb"


def find_shared_data(start: Path | None = None) -> Path | None:
    """Locate the shared real-data folder, or return ``None`` when it is absent.

    Looks at ``$SPILLWATCH_SHARED_DATA`` first, then for ``../shared/data`` next to the project root
    and the current directory and their parents.
    """
    env = os.environ.get(SHARED_DATA_ENV)
    if env:
        p = Path(env).expanduser()
        return p if (p / "README.md").exists() else None
    roots = [start or Path.cwd(), Path(__file__).resolve().parents[2]]
    for root in roots:
        for parent in [root, *root.parents]:
            cand = parent.parent / "shared" / "data"
            if (cand / "README.md").exists():
                return cand
    return None
