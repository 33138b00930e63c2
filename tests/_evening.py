"""A past evening of a store, as `--as-of` reads it: its vintage workspace with that day as
today (the tests of what a headline, a dial or a summary said on a dated evening)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.data.source import open_source
from spillwatch.service._today import replay_day
from spillwatch.service.workspace import Workspace


@contextmanager
def evening(db: Path, day: dt.date) -> Iterator[Any]:
    """The workspace of ``db`` as published by the evening of ``day``, ``day`` being today."""
    w = Workspace(open_source(db, read_only=True))
    try:
        then = vintage_workspace(w, day)
        with replay_day(day):
            yield then
    finally:
        w.close()
