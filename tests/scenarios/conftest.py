"""Fixtures of the scenario tests: the real panel of changes, loaded once per session."""

from __future__ import annotations

import pytest

from spillwatch.scenarios import DEFAULT_ASSETS


@pytest.fixture(scope="session")
def panel(real_db):
    import spillwatch as sw

    return sw.load(real_db, assets=list(DEFAULT_ASSETS))


@pytest.fixture(scope="session")
def japan_8w_2020_03_20_stdout(real_db) -> str:
    """What ``scenario --seller japan:100bn:8w --db <store of ../shared/data> --as-of
    2020-03-20 --paths 1000 --json`` prints, run once per test process: two modules read it
    (test_scenario_cli_report.py and test_state_line_stale_end.py each ran it)."""
    from typer.testing import CliRunner

    from spillwatch.cli import app

    res = CliRunner().invoke(app, ["scenario", "--seller", "japan:100bn:8w", "--db",
                                   str(real_db), "--as-of", "2020-03-20", "--paths", "1000",
                                   "--json"])
    assert res.exit_code == 0, res.output
    return res.stdout
