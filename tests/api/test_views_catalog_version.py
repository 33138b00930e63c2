"""The views' cache follows the catalog and the quarantine, not only the stored points."""

from __future__ import annotations

from typer.testing import CliRunner

from _own_series import import_as_daily, import_as_weekly, weekly_csv
from spillwatch.api.views import Views
from spillwatch.cli import app
from spillwatch.data.source import open_source
from spillwatch.store import Store

runner = CliRunner()


def _series(views: Views) -> dict[str, dict]:
    import json

    entry = views.data("series")
    assert entry.body is not None, entry.reason
    return {s["series_id"]: s for s in json.loads(entry.body)["series"]}


def test_a_series_re_imported_with_its_frequency_is_weekly_in_a_running_server(tmp_path, rng):
    """The data version counted points, the last date and revisions: an import that changed
    only the catalog (a weekly file re-imported with ``frequency = "weekly"``, as the first
    import's note asks) or only the quarantine left it as it was, and a running server served
    the catalog it had read, for the day: /api/series said "daily", and a book of the series
    was refused with the note to give it its frequency (or its weekly changes priced as
    daily), while a server started after it read it weekly."""
    db, csv = tmp_path / "w.duckdb", weekly_csv(tmp_path / "weekly.csv", rng)
    import_as_daily(csv, db)
    store = Store(db)
    views = Views(open_source(store), refresh_s=0.0)
    assert _series(views)["csv:WNAV"]["frequency"] == "daily"
    before = views.data_version()

    mapping, said = import_as_weekly(csv, db, tmp_path)
    assert "frequency set to 'weekly'" in said
    assert views.data_version() != before
    assert _series(views)["csv:WNAV"]["frequency"] == "weekly"
    assert views.context().workspace.user_asset("csv:WNAV").frequency == "weekly"

    # a point the import quarantines changes the health counts the views show
    after = views.data_version()
    bad = tmp_path / "bad.csv"
    bad.write_text("date,nav\n2026-11-06,-5\n")
    res = runner.invoke(app, ["import", str(bad), "--db", str(db), "--mapping", str(mapping)])
    assert res.exit_code == 0, res.output
    assert views.data_version() != after
    assert _series(views)["csv:WNAV"]["quarantined"] == 1

    # an import that changes nothing keeps the version (and the views' cache)
    same = views.data_version()
    res = runner.invoke(app, ["import", str(csv), "--db", str(db), "--mapping", str(mapping)])
    assert res.exit_code == 0, res.output
    assert views.data_version() == same
