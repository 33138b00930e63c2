"""A weekly fund of the user's, imported as the importer first reads it (daily), then again with
its frequency in a mapping file, as the first import's note asks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from spillwatch.cli import app

#: The mapping that gives ``csv:WNAV`` its weekly frequency.
WEEKLY_MAPPING = ('[columns.nav]\nseries_id = "csv:WNAV"\nfrequency = "weekly"\n'
                  'positive = true\n')


def weekly_csv(path: Path, rng: np.random.Generator) -> Path:
    """A Friday NAV from 2019 to October 2026 (a log random walk) written to ``path``."""
    dates = pd.date_range("2019-01-04", "2026-10-30", freq="W-FRI")
    nav = 100 * np.exp(np.cumsum(rng.normal(0, 0.02, len(dates))))
    pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "nav": nav}).to_csv(path, index=False)
    return path


def import_as_daily(csv: Path, db: Path) -> None:
    """The first import: ``nav`` as ``csv:WNAV``, a price, its frequency left to the importer."""
    res = CliRunner().invoke(app, ["import", str(csv), "--db", str(db), "--map",
                                   "nav=csv:WNAV", "--positive"])
    assert res.exit_code == 0, res.output


def import_as_weekly(csv: Path, db: Path, folder: Path) -> tuple[Path, str]:
    """The import again with :data:`WEEKLY_MAPPING` (written in ``folder``): its path, output."""
    mapping = folder / "m.toml"
    mapping.write_text(WEEKLY_MAPPING)
    res = CliRunner().invoke(app, ["import", str(csv), "--db", str(db), "--mapping",
                                   str(mapping)])
    assert res.exit_code == 0, res.output
    return mapping, res.output
