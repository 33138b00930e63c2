"""A series of the user's, imported from a CSV with a mapping, is an asset like any other."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import spillwatch as sw
from _own_series import import_as_daily, import_as_weekly, weekly_csv
from spillwatch.cli import app
from spillwatch.data.providers.demo import write_demo
from spillwatch.store import Store

runner = CliRunner()


def _fund_csv(path, rng):
    dates = pd.bdate_range("2019-03-01", "2026-10-30")
    nav = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, len(dates))))
    pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "nav": nav}).to_csv(path, index=False)


@pytest.mark.slow
def test_own_series_in_spillover(tmp_path, rng):
    db = tmp_path / "s.duckdb"
    csv = tmp_path / "fund.csv"
    _fund_csv(csv, rng)
    with Store(db) as store:
        write_demo(store)
    res = runner.invoke(app, ["import", str(csv), "--db", str(db), "--map", "nav=csv:MYFUND",
                              "--positive", "--json"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["spillover", "--db", str(db), "--json", "--assets",
                              "ust10y,usd_broad,btc,csv:MYFUND"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert "csv_myfund_pct" in doc["summary"]["assets"]
    table = doc["spillover"]["latest"]["table"]
    assert "csv_myfund_pct" in table["columns"]
    # an unknown id is a clear error naming it
    res = runner.invoke(app, ["spillover", "--db", str(db), "--assets", "ust10y,csv:NOPE"])
    assert res.exit_code == 2 and "no series 'csv:NOPE'" in res.stderr
    # the same series in a book: it answers the identified sell-off shock with its own response
    book = tmp_path / "book.toml"
    book.write_text('[positions]\n"csv:MYFUND" = 0.6\nbtc = 0.4\n')
    res = runner.invoke(app, ["scenario", "japan-10pct", "--db", str(db), "--json",
                              "--portfolio", str(book), "--paths", "2000", "--no-alone"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert "csv:MYFUND" in json.dumps(doc["portfolio"])
    assert doc["portfolio"]["var"]["0.99"] > 0
    # --as-of before a fund's first point: the position is named (it said "nothing of the
    # watch list was published by", then "unknown asset")
    late = tmp_path / "late.csv"
    days = pd.bdate_range("2023-01-02", "2026-10-30")
    pd.DataFrame({"date": days.strftime("%Y-%m-%d"),
                  "nav": 100 * np.exp(np.cumsum(rng.normal(0, 0.01, len(days))))}
                 ).to_csv(late, index=False)
    assert runner.invoke(app, ["import", str(late), "--db", str(db), "--map", "nav=csv:LATE",
                               "--positive"]).exit_code == 0
    later = tmp_path / "later.toml"
    later.write_text('[positions]\n"csv:LATE" = 0.6\nbtc = 0.4\n')
    res = runner.invoke(app, ["scenario", "japan-10pct", "--db", str(db), "--as-of",
                              "2022-06-01", "--portfolio", str(later), "--paths", "1000",
                              "--no-alone"])
    assert res.exit_code == 2
    assert f"error: {later} line 2: the book holds csv:LATE, but " in res.stderr
    assert "as published by 2022-06-01 has no data of it" in res.stderr
    # a zero line holds nothing: its series stays out of the fit (a fund starting in 2023
    # moved the dependence sample to its first day and every other position's risk with it)
    zero, alone = tmp_path / "zero.toml", tmp_path / "alone.toml"
    zero.write_text('[positions]\n"csv:LATE" = 0.0\nbtc = 0.4\n')
    alone.write_text("[positions]\nbtc = 0.4\n")
    docs = []
    for b in (zero, alone):
        res = runner.invoke(app, ["scenario", "japan-10pct", "--db", str(db), "--portfolio",
                                  str(b), "--paths", "1000", "--no-alone", "--json"])
        assert res.exit_code == 0, res.output
        docs.append(json.loads(res.stdout))
    assert docs[0]["fit"]["sample"] == docs[1]["fit"]["sample"]
    assert docs[0]["fit"]["sample"][0] < "2023-01-02"
    assert docs[0]["portfolio"]["var"] == docs[1]["portfolio"]["var"]
    assert docs[0]["portfolio"]["es"] == docs[1]["portfolio"]["es"]
    assert docs[1]["sample_note"] is None
    # held, it stays out of the others' dependence sample (mapped on them, it does not need
    # it): it cut that sample to its first change, 2023-01-03, and moved BTC's percentiles
    zero.write_text('[positions]\n"csv:LATE" = 0.1\nbtc = 0.4\n')
    res = runner.invoke(app, ["scenario", "japan-10pct", "--db", str(db), "--portfolio",
                              str(zero), "--paths", "1000", "--no-alone", "--json"])
    assert res.exit_code == 0, res.output
    held = json.loads(res.stdout)
    assert held["fit"]["sample"] == docs[1]["fit"]["sample"]
    assert held["fit"]["mapped"]["csv:LATE"]["start"] == "2023-01-03"     # its first change
    assert held["sample_note"] is None
    row = held["table"]["index"].index("btc")
    assert held["table"]["data"][row] == docs[1]["table"]["data"][
        docs[1]["table"]["index"].index("btc")]
    # imported without --positive, the same prices change by differences in their own unit
    # (dollars): they were simulated as % log returns and priced as such (a $1m book's VaR on a
    # NAV of ~100 read from dollar moves as percent); the book now refuses them, naming the fix
    res = runner.invoke(app, ["import", str(csv), "--db", str(db), "--map", "nav=csv:RAWNAV",
                              "--json"])
    assert res.exit_code == 0, res.output
    book.write_text('[positions]\n"csv:RAWNAV" = 0.6\nbtc = 0.4\n')
    res = runner.invoke(app, ["scenario", "japan-10pct", "--db", str(db), "--portfolio",
                              str(book), "--paths", "1000", "--no-alone"])
    assert res.exit_code == 2
    assert "'csv:RAWNAV' cannot be priced" in res.stderr
    # ... with a command that names the file's column as a placeholder (it wrote the id's
    # symbol, "--map RAWNAV=csv:RAWNAV", for a file whose column is "nav")
    assert "spillwatch import FILE --map COLUMN=csv:RAWNAV --positive (COLUMN: the file's " \
           "column of its prices)" in " ".join(res.stderr.split())
    assert f"error: {book} line 2: the book's position in 'csv:RAWNAV'" in res.stderr
    # a book on an id the store lacks is named with its line too, in both commands
    book.write_text('btc = 0.4\n"csv:NOPE" = 0.6\n')
    for cmd in (["scenario", "japan-10pct", "--paths", "1000", "--no-alone"],
                ["risk", "--no-backtest"]):
        res = runner.invoke(app, [*cmd, "--db", str(db), "--portfolio", str(book)])
        assert res.exit_code == 2 and f"error: {book} line 2: " in res.stderr, res.stderr


@pytest.mark.slow
def test_a_fund_too_short_for_the_model_is_named_with_its_book_line(tmp_path, rng):
    """A fund with 40 business days of history (the demo's last 40): the scenario stopped on
    the auxiliary regression's "'csv_young_pct' overlaps the SVAR sample on 38 days; the
    auxiliary regression needs at least 120", with no book line and no way out; it is told as
    a standard asset too short by then (TRUMP in early 2025) is (h_num1)."""
    from spillwatch.scenarios.identification import AUXILIARY_MIN_DAYS
    from spillwatch.scenarios.propagation import SVAR_MAX_LAGS

    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        write_demo(store)
    young = tmp_path / "young.csv"
    days = pd.bdate_range(end="2026-10-30", periods=40)      # the demo's last 40 weekdays
    pd.DataFrame({"date": days.strftime("%Y-%m-%d"),
                  "nav": 100 * np.exp(np.cumsum(rng.normal(0, 0.01, len(days))))}
                 ).to_csv(young, index=False)
    assert runner.invoke(app, ["import", str(young), "--db", str(db), "--map",
                               "nav=csv:YOUNG", "--positive"]).exit_code == 0
    book = tmp_path / "book.toml"
    book.write_text('[positions]\nbtc = 0.4\n"csv:YOUNG" = 0.6\n')
    res = runner.invoke(app, ["scenario", "japan-10pct", "--db", str(db), "--portfolio",
                              str(book), "--paths", "500", "--no-alone"])
    assert res.exit_code == 2, res.output
    said = " ".join(res.stderr.split())
    # 39 changes from its second day; the demo's dollar (H.10, a week late) ends the sample
    # on the Friday before, so the model's sample holds fewer of them
    m = re.search(r"has (\d+) days of its changes in the model's sample", said)
    assert m, said
    got = int(m.group(1))
    assert 30 <= got <= 39, said
    assert (f"error: {book} line 3: the book holds csv:YOUNG, but store {db} (the simulated "
            f"demo market) has {got} days of its changes in the model's sample, and measuring "
            f"its response to the sell-off needs {AUXILIARY_MIN_DAYS + SVAR_MAX_LAGS}; leave "
            "it out of the book or run on later data") in said
    assert "auxiliary regression" not in said


def test_a_long_bond_repriced_in_full_cannot_lose_more_than_its_size():
    from spillwatch.scenarios.portfolio import DURATIONS, bond_return

    # +1,000 bp on a 30-year par bond: the duration line lost 169% of it, the price loses 69%
    move = np.array([1000.0, 100.0, -100.0, 1.0])
    full = bond_return(move, np.full(4, 30.0))
    assert -DURATIONS["ust30y"] * 1000 / 1e4 < -1.0 < full[0] < -0.6
    # convexity: a rise loses less, a fall gains more, than the duration line; tiny moves agree
    lin = -DURATIONS["ust30y"] * move / 1e4
    assert full[1] > lin[1] and full[2] > lin[2]
    assert full[3] == pytest.approx(lin[3], rel=5e-3)
    # a par bond is at par when its yield does not move; no tenor, no bond return
    assert bond_return(np.zeros(1), np.full(1, 10.0))[0] == pytest.approx(0.0, abs=1e-12)
    assert bond_return(np.array([50.0]), np.zeros(1))[0] == 0.0


def test_a_weekly_own_series_is_not_read_as_daily(tmp_path, rng):
    # a weekly NAV mapped with frequency = "weekly": its weekly changes were reported as the
    # "next business day" VaR and as volatility "% per day"
    db, csv = tmp_path / "w.duckdb", weekly_csv(tmp_path / "weekly.csv", rng)
    mapping = tmp_path / "m.toml"
    mapping.write_text('[columns.nav]\nseries_id = "fund:NAVW"\nfrequency = "weekly"\n'
                       'positive = true\n')
    res = runner.invoke(app, ["import", str(csv), "--db", str(db), "--mapping", str(mapping)])
    assert res.exit_code == 0, res.output
    for cmd in (["risk", "--assets", "fund:NAVW", "--no-backtest"],
                ["volatility", "--assets", "fund:NAVW", "--correlation", "none"],
                ["spillover", "--assets", "ust10y,fund:NAVW"]):
        res = runner.invoke(app, [*cmd, "--db", str(db)])
        assert res.exit_code == 2, res.output
        assert "fund:NAVW is a weekly series" in res.stderr
    # its weekly changes are still there to look at
    res = runner.invoke(app, ["data", "panel", "--db", str(db), "--asset", "fund:NAVW",
                              "--json"])
    assert res.exit_code == 0, res.output


def test_risk_on_an_own_file_alone(tmp_path, rng):
    # `risk --data fund.csv --assets csv:MYFUND` stopped on "no data for asset(s) ust10y ...
    # drop them from --assets": the 10-year is CoVaR's conditioning series, used when held
    csv = tmp_path / "fund.csv"
    _fund_csv(csv, rng)
    db = tmp_path / "own.duckdb"
    res = runner.invoke(app, ["risk", "--data", str(csv), "--db", str(db), "--assets",
                              "csv:nav", "--no-backtest", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert "csv_nav_chg" in json.dumps(doc["summary"]["var"])
    assert any("CoVaR not computed" in n and "ust10y" in n for n in doc["notes"])


def _stopping_own_series(tmp_path, db, rng, name, dates, vol):
    """Import a price of the user's on ``dates`` and return spillover's notes with it."""
    csv = tmp_path / f"{name.lower()}.csv"
    px = 100 * np.exp(np.cumsum(rng.normal(0, vol, len(dates))))
    pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "px": px}).to_csv(csv, index=False)
    res = runner.invoke(app, ["import", str(csv), "--db", str(db), "--map", f"px=csv:{name}",
                              "--positive"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["spillover", "--db", str(db), "--json", "--assets",
                              f"ust10y,usd_broad,btc,csv:{name}"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)["notes"]


def test_a_series_that_stops_early_is_named_where_it_ends_the_windows(tmp_path, rng):
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        write_demo(store)
        last = store.wide(["demo:btc"]).index[-1]
    dates = pd.bdate_range(last - pd.DateOffset(years=3), last - pd.DateOffset(months=6))
    notes = _stopping_own_series(tmp_path, db, rng, "DEAD", dates, 0.03)
    assert any(n.startswith(f"every window ends by {dates[-1]:%Y-%m-%d}, where csv_dead_pct "
                            "stops") for n in notes), notes
    # and what leaving it out would buy: the next series to stop (it said "the other series
    # run to" the newest date, seven months past the next one on the shared data)
    panel = sw.load(str(db), assets=["ust10y", "usd_broad", "btc"])
    ends = {c: panel[c].last_valid_index() for c in panel.columns}
    nxt = min(ends.values())
    names = ", ".join(c for c in panel.columns if ends[c] == nxt)
    assert any(f"(the next to stop, {names}, run" in n and f" to {nxt:%Y-%m-%d}" in n
               for n in notes), (notes, ends)
    # a series is judged by its own limit (a fund's 6 days), not the broad dollar's 13: a fund
    # stopped 9 days before the others ended every window without a name
    dates = pd.bdate_range(nxt - pd.DateOffset(years=3), nxt - pd.Timedelta(days=9))
    notes = _stopping_own_series(tmp_path, db, rng, "LAG", dates, 0.01)
    assert any(n.startswith(f"every window ends by {dates[-1]:%Y-%m-%d}, where csv_lag_pct "
                            "stops") for n in notes), notes


@pytest.mark.parametrize("unit", ["pct", "%", "Percent", "PCT"])
def test_an_own_yield_loses_on_its_rises_and_the_library_loads_it(tmp_path, rng, unit):
    """A JGB yield imported in percent: `risk` read its VaR on the falls (8.0 bp where the
    rises give 9.4); sw.load(db, assets=['csv:JGB10']) said "unknown asset"; a fund last priced
    a year before read as fresh in `risk`; Bloomberg's '#N/A N/A' was quarantined. The
    importer reads "%", "Percent" and "PCT" as percent too, where `risk` read such a yield as a
    plain level (the 10-year of ../shared/data with unit = "%": a 99% ES of 0.168 on the falls,
    in percentage points, where "pct" gives 16.2 bp on the rises)."""
    db = tmp_path / "y.duckdb"
    with Store(db) as store:
        write_demo(store)
    dates = pd.bdate_range("2019-03-01", "2026-10-30")
    # a yield that drifts up in small steps and falls in rare large ones: its two tails differ
    steps = np.where(rng.random(len(dates)) < 0.03, -rng.exponential(0.15, len(dates)),
                     rng.exponential(0.01, len(dates)))
    level = 1.0 + np.cumsum(steps) - np.linspace(0, np.cumsum(steps)[-1] - 0.5, len(dates))
    cells = [f"{v:.4f}" for v in level]
    cells[10] = "#N/A N/A"
    csv = tmp_path / "jgb.csv"
    pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "y": cells}).to_csv(csv, index=False)
    mapping = tmp_path / "m.toml"
    mapping.write_text(f'[columns.y]\nseries_id = "csv:JGB10"\nunit = "{unit}"\n')
    res = runner.invoke(app, ["import", str(csv), "--db", str(db), "--mapping", str(mapping),
                              "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["totals"]["quarantined"] == 0   # "#N/A N/A" is a gap
    res = runner.invoke(app, ["risk", "--db", str(db), "--assets", "csv:JGB10", "--json",
                              "--no-backtest"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    t = doc["var_es"]["table"]
    rows = [dict(zip(t["columns"], r, strict=True)) for r in t["data"]]
    row = next(r for r in rows if (r["series"], r["method"]) == ("csv_jgb10_bp", "historical"))
    assert row["loss_when"] == "rise"
    panel = sw.load(db, assets=["csv:JGB10"])
    x = panel["csv_jgb10_bp"].dropna().iloc[-500:]
    assert row["var"] == pytest.approx(-np.sort(-x.to_numpy())[4], rel=1e-9)   # 5th largest rise
    assert list(panel.columns) == ["csv_jgb10_bp"]


def test_an_own_series_past_its_staleness_limit_is_named(tmp_path, rng):
    # `risk` named the 10-year stale after 133 days and said nothing of a fund last priced
    # 432 days before (the scenario marked it stale)
    csv = tmp_path / "fund.csv"
    dates = pd.bdate_range("2019-03-01", "2024-06-28")
    nav = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, len(dates))))
    pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "nav": nav}).to_csv(csv, index=False)
    res = runner.invoke(app, ["risk", "--data", str(csv), "--db", str(tmp_path / "o.duckdb"),
                              "--assets", "csv:nav", "--no-backtest", "--json"])
    assert res.exit_code == 0, res.output
    notes = " ".join(json.loads(res.stdout)["notes"])
    assert "csv_nav_chg (as of 2024-06-28" in notes and "staleness limit" in notes


def test_a_weekly_file_re_imported_with_its_frequency_becomes_weekly(tmp_path, rng):
    # the import warned "a weekly series? ... give it its frequency in a mapping file"; doing
    # so on the same id left the catalog daily: the series had no change at all (empty panel
    # column, "has no observations" in risk)
    db, csv = tmp_path / "w.duckdb", weekly_csv(tmp_path / "weekly.csv", rng)
    import_as_daily(csv, db)
    _, said = import_as_weekly(csv, db, tmp_path)
    assert "csv:WNAV: frequency set to 'weekly' (was 'daily')" in said
    with Store(db, read_only=True) as store:
        cat = store.series().set_index("series_id")
    assert cat.loc["csv:WNAV", "frequency"] == "weekly"
    res = runner.invoke(app, ["risk", "--db", str(db), "--assets", "csv:WNAV", "--no-backtest"])
    assert res.exit_code == 2 and "csv:WNAV is a weekly series" in res.stderr
    res = runner.invoke(app, ["data", "panel", "--db", str(db), "--asset", "csv:WNAV",
                              "--json"])
    assert res.exit_code == 0, res.output


def test_the_api_serves_an_own_series_as_the_cli_does(tmp_path, rng, live_server_cls):
    """`/api/series/csv:MYFUND` was refused by the path's pattern (watch-list keys only) where
    `data panel --asset csv:MYFUND` reads it: the same changes, and a clear 404 for an id the
    store does not hold."""
    import httpx

    from spillwatch.api.app import create_app
    from spillwatch.api.limits import RateLimit

    db = tmp_path / "s.duckdb"
    csv = tmp_path / "fund.csv"
    _fund_csv(csv, rng)
    with Store(db) as store:
        write_demo(store)
    assert runner.invoke(app, ["import", str(csv), "--db", str(db), "--map", "nav=csv:MYFUND",
                               "--positive"]).exit_code == 0
    res = runner.invoke(app, ["data", "panel", "--db", str(db), "--asset", "csv:MYFUND",
                              "--start", "2026-10-01", "--json"])
    assert res.exit_code == 0, res.output
    cli = {r["date"]: r["csv_myfund_pct"] for r in json.loads(res.stdout)["rows"]}
    high = RateLimit(per_second=10_000.0, burst=100_000)
    api = create_app(db, token="t" * 24, read_limit=high, write_limit=high, warm=False)
    with live_server_cls(api) as server, httpx.Client(base_url=server.url, timeout=120) as c:
        r = c.get("/api/series/csv:MYFUND", params={"start": "2026-10-01"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["change_column"] == "csv_myfund_pct"
        assert body["last_observation"] == "2026-10-30"
        got = dict(zip(body["dates"], body["change"], strict=True))
        assert got.keys() == cli.keys()
        assert got == pytest.approx(cli, rel=1e-12)
        nope = c.get("/api/series/csv:NOPE")
        assert nope.status_code == 404 and "csv:NOPE" in nope.json()["detail"]
        assert c.get("/api/series/nosuch").status_code == 404
        # any id the import may store is a path, not a pattern's 422
        odd = c.get("/api/series/csv:My Fund (EUR)")
        assert odd.status_code == 404 and "csv:My Fund (EUR)" in odd.json()["detail"]


def test_a_change_across_a_holiday_week_is_said_at_the_import(tmp_path, rng):
    """A JGB yield closed for Golden Week: the change across the week is not a daily change,
    and the panel leaves it out; the import now says so, with the dates (it lost 14 changes
    of a 14-year file without a word)."""
    days = pd.bdate_range("2024-03-01", "2025-06-30")
    closed = (days >= "2024-04-29") & (days <= "2024-05-06") | \
        (days >= "2025-04-29") & (days <= "2025-05-06")
    days = days[~closed]
    path = tmp_path / "jgb.csv"
    pd.DataFrame({"date": days.strftime("%Y-%m-%d"),
                  "jgb": np.round(1.0 + np.cumsum(rng.normal(0, 0.01, len(days))), 3)}
                 ).to_csv(path, index=False)
    db = tmp_path / "s.duckdb"
    res = runner.invoke(app, ["import", str(path), "--db", str(db), "--map", "jgb=csv:JGB"])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert ("csv:JGB: 2 of its dates follow a gap of more than 5 calendar days (2024-05-07 "
            "after 2024-04-26, 2025-05-07 after 2025-04-28); the change across such a gap is "
            "not a daily change and is left out of its daily changes") in said
    res = runner.invoke(app, ["data", "panel", "--db", str(db), "--asset", "csv:JGB", "--json",
                              "--start", "2024-04-20", "--end", "2024-05-10"])
    assert res.exit_code == 0, res.output
    rows = {r["date"]: r["csv_jgb_chg"] for r in json.loads(res.stdout)["rows"]}
    assert rows["2024-05-07"] is None and rows["2024-05-08"] is not None


def test_a_file_appended_after_a_gap_says_so(tmp_path, rng):
    """A month's file appended after a missing month: the import read only the file's own
    dates, so the gap to the stored ones (and the change the panel leaves out across it) went
    unsaid."""
    db = tmp_path / "s.duckdb"
    jan, mar = tmp_path / "jan.csv", tmp_path / "mar.csv"
    for path, days in ((jan, pd.bdate_range("2026-01-02", "2026-01-30")),
                       (mar, pd.bdate_range("2026-03-02", "2026-03-31"))):
        pd.DataFrame({"date": days.strftime("%Y-%m-%d"),
                      "nav": np.round(100 * np.exp(np.cumsum(rng.normal(0, 0.01, len(days)))),
                                      4)}).to_csv(path, index=False)
    res = runner.invoke(app, ["import", str(jan), "--db", str(db), "--map", "nav=csv:F",
                              "--positive"])
    assert res.exit_code == 0, res.output
    assert "gap" not in res.output
    res = runner.invoke(app, ["import", str(mar), "--db", str(db), "--map", "nav=csv:F",
                              "--positive"])
    assert res.exit_code == 0, res.output
    assert ("csv:F: its first date 2026-03-02 follows the stored 2026-01-30 after a gap of 31 "
            "calendar days (more than 5); the change across it is not a daily change and is "
            "left out of its daily changes") in " ".join(res.output.split())
    res = runner.invoke(app, ["data", "panel", "--db", str(db), "--asset", "csv:F", "--json",
                              "--start", "2026-01-28", "--end", "2026-03-04"])
    assert res.exit_code == 0, res.output
    rows = {r["date"]: r["csv_f_pct"] for r in json.loads(res.stdout)["rows"]}
    assert rows["2026-03-02"] is None and rows["2026-03-03"] is not None
    # a file filling the gap closes it on both sides
    feb = tmp_path / "feb.csv"
    days = pd.bdate_range("2026-02-02", "2026-02-27")
    pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "nav": 100.0 + np.arange(len(days))}
                 ).to_csv(feb, index=False)
    res = runner.invoke(app, ["import", str(feb), "--db", str(db), "--map", "nav=csv:F",
                              "--positive"])
    assert res.exit_code == 0, res.output
    assert "gap" not in res.output


def test_too_few_common_days_names_the_short_series(tmp_path, rng):
    """An own series of 150 days beside BTC: "there are 107 (btc_pct starts on 2025-08-07)",
    the panel's common start read as BTC's (it starts years before)."""
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        write_demo(store)
    days = pd.bdate_range(end="2026-10-30", periods=150)
    path = tmp_path / "short.csv"
    pd.DataFrame({"date": days.strftime("%Y-%m-%d"),
                  "nav": 100 * np.exp(np.cumsum(rng.normal(0, 0.01, len(days))))}
                 ).to_csv(path, index=False)
    assert runner.invoke(app, ["import", str(path), "--db", str(db), "--map",
                               "nav=csv:SHORTX", "--positive"]).exit_code == 0
    res = runner.invoke(app, ["spillover", "--db", str(db), "--assets", "csv:SHORTX,btc"])
    assert res.exit_code == 2
    said = " ".join(res.stderr.split())
    assert f"(csv_shortx_pct starts on {days[1]:%Y-%m-%d})" in said, said   # its first change


def test_a_coin_of_one_s_own_is_on_the_coins_calendar(tmp_path):
    """A coin imported from one's own file was on the business-day calendar: its Friday VaR had
    no weekend note (bitcoin's, with the same closes, had one), and its weekday US holidays
    became rows of a spillover panel where bitcoin's joined the next day. Its calendar is read
    from its dates: the same closes give the same numbers and notes as bitcoin's."""
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        write_demo(store)
        btc = store.observations(["demo:btc"])
    assert (pd.DatetimeIndex(btc["ts"]).day_of_week >= 5).any()   # the demo's coins: weekends
    pd.DataFrame({"date": pd.DatetimeIndex(btc["ts"]).strftime("%Y-%m-%d"),
                  "close": btc["value"].to_numpy()}).to_csv(tmp_path / "coin.csv", index=False)
    res = runner.invoke(app, ["import", str(tmp_path / "coin.csv"), "--db", str(db), "--map",
                              "close=csv:MYCOIN", "--positive"])
    assert res.exit_code == 0, res.output
    friday = pd.Timestamp("2026-06-26")

    def doc(*args):
        res = runner.invoke(app, [*args, "--db", str(db), "--json"])
        assert res.exit_code == 0, res.output
        return json.loads(res.stdout)

    risk = doc("risk", "--assets", "btc,csv:MYCOIN", "--no-backtest", "--end", str(friday.date()))
    notes = {n.split(":", 1)[0]: n.split(":", 1)[1] for n in risk["notes"]
             if "spans" in n}
    assert set(notes) == {"btc_pct", "csv_mycoin_pct"}, risk["notes"]
    assert notes["btc_pct"] == notes["csv_mycoin_pct"]
    var = risk["summary"]["var"]
    assert var["csv_mycoin_pct/historical"] == pytest.approx(var["btc_pct/historical"],
                                                              rel=1e-12)
    spill = {k: doc("spillover", "--assets", f"ust10y,usd_broad,spx,{k}", "--end",
                    str(friday.date()))["summary"] for k in ("btc", "csv:MYCOIN")}
    assert spill["csv:MYCOIN"]["tci_mean"] == pytest.approx(spill["btc"]["tci_mean"],
                                                             rel=1e-9)


def test_a_coin_of_one_s_own_is_stale_after_a_coin_s_three_days(tmp_path, rng):
    """A CSV coin's series id names no timing: it was judged as a New York market close,
    stale after 6 days, so four days without a close read as a fresh VaR where bitcoin's read
    stale after 3."""
    from spillwatch.data.source import open_source
    from spillwatch.service.workspace import Workspace
    from spillwatch.timing import timing_of

    days = pd.date_range("2021-01-01", "2025-03-31", freq="D")
    close = 30_000 * np.exp(np.cumsum(rng.normal(0, 0.03, len(days))))
    pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "close": close}).to_csv(
        tmp_path / "coin.csv", index=False)
    db = tmp_path / "c.duckdb"
    res = runner.invoke(app, ["import", str(tmp_path / "coin.csv"), "--db", str(db), "--map",
                              "close=csv:MYCOIN", "--positive"])
    assert res.exit_code == 0, res.output
    with Workspace(open_source(db, read_only=True)) as ws:
        t = ws.user_asset("csv:MYCOIN").timing
    coin = timing_of("binance:BTCUSDT")
    assert (t.stale_after_days, t.sampled_utc) == (coin.stale_after_days, coin.sampled_utc)
    risk = {}
    for end in ("2025-04-03", "2025-04-04"):          # 3 and 4 days after its last close
        res = runner.invoke(app, ["risk", "--db", str(db), "--assets", "csv:MYCOIN",
                                  "--no-backtest", "--end", end, "--json"])
        assert res.exit_code == 0, res.output
        risk[end] = [n for n in json.loads(res.stdout)["notes"] if "staleness" in n]
    assert risk["2025-04-03"] == []
    assert risk["2025-04-04"] and "csv_mycoin_pct (as of 2025-03-31, 4 days before, limit 3)" \
        in risk["2025-04-04"][0]


def test_a_weekly_nav_imported_as_daily_is_refused_with_the_import_s_reason(tmp_path, rng):
    """A weekly NAV imported with --map (daily by default) has no daily change: the import
    said so, but then `risk` said "'csv_myfund_pct' has no observations in the window" of its
    weekly points and `scenario` "asset 'csv:MYFUND' has no change after 2018-01-01
    00:00:00; drop it from the book"."""
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        write_demo(store)
    res = runner.invoke(app, ["import", str(weekly_csv(tmp_path / "nav.csv", rng)), "--db",
                              str(db), "--map", "nav=csv:MYFUND", "--positive"])
    assert res.exit_code == 0 and "a median of 7 days apart" in res.output, res.output
    book = tmp_path / "book.toml"
    book.write_text('[positions]\n"csv:MYFUND" = 0.6\nbtc = 0.4\n')
    for args in (["risk", "--assets", "ust10y,csv:MYFUND"],
                 ["volatility", "--assets", "csv:MYFUND"],
                 ["spillover", "--assets", "ust10y,btc,csv:MYFUND"],
                 ["scenario", "japan-10pct", "--portfolio", str(book), "--paths", "500"]):
        res = runner.invoke(app, [*args, "--db", str(db)])
        assert res.exit_code == 2, (args, res.output)
        assert ("error: csv:MYFUND: its 409 dates are a median of 7 days apart (a weekly "
                "series?) but it is catalogued as daily, so it has no daily changes; give it its "
                'frequency in a mapping file (--mapping, frequency = "weekly") and import it '
                "again;") in " ".join(res.stderr.split()), (args, res.stderr)


@pytest.mark.slow
def test_a_nav_weekly_before_and_daily_in_the_window_is_not_refused(tmp_path, rng):
    """A fund's NAV published weekly from 2005 to 2022 and daily since 2024, asked for from
    2024 on (every date of the window daily): `risk --start 2024-01-01` refused it as "a
    median of 7 days apart (a weekly series?)", judging by the whole stored history (908
    weeks against 436 days), where the code before the check gave its VaR from its daily
    changes. The window's dates decide; a weekly NAV is still refused in any window."""
    db = tmp_path / "m.duckdb"
    with Store(db) as store:
        write_demo(store)
    weeks = pd.date_range("2005-01-07", "2022-12-30", freq="W-FRI")
    days = pd.bdate_range("2024-01-02", "2026-10-30")
    nav = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, len(weeks) + len(days))))
    dates = weeks.append(days)
    pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "nav": nav}).to_csv(
        tmp_path / "mixed.csv", index=False)
    pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "nav": nav[len(weeks):]}).to_csv(
        tmp_path / "daily.csv", index=False)
    for f, sid in (("mixed.csv", "csv:MIXED"), ("daily.csv", "csv:DAILY")):
        res = runner.invoke(app, ["import", str(tmp_path / f), "--db", str(db), "--map",
                                  f"nav={sid}", "--positive"])
        assert res.exit_code == 0, res.output
    var = {}
    for sid in ("csv:MIXED", "csv:DAILY"):
        res = runner.invoke(app, ["risk", "--db", str(db), "--assets", sid, "--no-backtest",
                                  "--start", "2024-01-01", "--json"])
        assert res.exit_code == 0, (sid, res.output)
        out = json.loads(res.stdout)
        var[sid] = json.dumps(out["var_es"]["table"])
    # the same daily changes, the same numbers (only the column's name differs)
    assert var["csv:MIXED"].replace("mixed", "x") == var["csv:DAILY"].replace("daily", "x")
    # a book of it too: its P&L and CoVaR built on the history before --start (for a first day
    # spanning the same time) judge the fund daily on the window's dates, as the window does
    books = {}
    for sid in ("csv:MIXED", "csv:DAILY"):
        book = tmp_path / f"{sid[4:]}.toml"
        book.write_text(f'kind = "notional"\n[positions]\n"{sid}" = 1000000\n')
        res = runner.invoke(app, ["risk", "--db", str(db), "--portfolio", str(book),
                                  "--no-backtest", "--start", "2024-01-01", "--json"])
        assert res.exit_code == 0, (sid, res.output)
        doc = json.loads(res.stdout)
        books[sid] = (doc["var_es"]["table"], doc["covar"], doc["notes"])
    assert books["csv:MIXED"] == books["csv:DAILY"]
    assert books["csv:MIXED"][1] is not None      # the book's CoVaR given a Treasury sell-off
    # a weekly NAV is refused in a window too
    res = runner.invoke(app, ["import", str(weekly_csv(tmp_path / "nav.csv", rng)), "--db",
                              str(db), "--map", "nav=csv:MYFUND", "--positive"])
    res = runner.invoke(app, ["risk", "--db", str(db), "--assets", "csv:MYFUND",
                              "--start", "2024-01-01"])
    assert res.exit_code == 2 and "a median of 7 days apart (a weekly series?)" in " ".join(
        res.stderr.split()), res.output


@pytest.mark.slow
def test_a_week_missing_from_one_s_own_file_is_said_where_its_numbers_are_read(tmp_path, rng):
    """A fund's file without the week of 2024-08-05: its change across the gap is none (more
    than 5 days), so its historical VaR read 20% lower than the whole file's, and only the
    import said the file had a gap; `risk`, `volatility` and `spillover` said nothing."""
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        write_demo(store)
    days = pd.bdate_range("2019-03-01", "2026-10-30")
    nav = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, len(days))))
    keep = (days < "2024-08-05") | (days > "2024-08-09")
    pd.DataFrame({"date": days[keep].strftime("%Y-%m-%d"), "nav": nav[keep]}).to_csv(
        tmp_path / "fund.csv", index=False)
    res = runner.invoke(app, ["import", str(tmp_path / "fund.csv"), "--db", str(db), "--map",
                              "nav=csv:MYFUND", "--positive"])
    assert res.exit_code == 0, res.output
    said = ("csv:MYFUND: 1 of its changes span more than 5 days between two of its dates and "
            "are not measured (the longest, 2024-08-02 to 2024-08-12, 10 days); ")
    for args, what in ((["risk", "--assets", "csv:MYFUND", "--no-backtest"], "the VaR"),
                       (["volatility", "--assets", "csv:MYFUND"], "the model"),
                       (["spillover", "--assets", "ust10y,btc,csv:MYFUND"], "the VAR")):
        res = runner.invoke(app, [*args, "--db", str(db), "--json"])
        assert res.exit_code == 0, (args, res.output)
        doc = json.loads(res.stdout)
        notes = doc["volatility"]["notes"] if "volatility" in doc else doc["notes"]
        assert said + f"{what} reads its other changes" in notes, (args, notes)
    # a window after the gap: no note
    res = runner.invoke(app, ["risk", "--assets", "csv:MYFUND", "--no-backtest", "--start",
                              "2025-01-01", "--db", str(db), "--json"])
    assert not [n for n in json.loads(res.stdout)["notes"] if "not measured" in n]


@pytest.mark.slow
def test_a_fund_frozen_longer_than_a_window_is_named_where_the_windows_go_blank(tmp_path, rng):
    """A fund whose last 218 closes repeat: every 200-day window inside them is singular and
    left blank, so the latest reading is months old; the note said only "N window(s) had a
    singular design", beside "import or fetch newer data" (h_num1)."""
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        write_demo(store)
    days = pd.bdate_range("2019-03-01", "2026-10-30")          # the demo's last weekday
    nav = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, len(days))))
    frozen = days > pd.Timestamp("2025-12-31")
    nav[frozen] = nav[~frozen][-1]
    csv = tmp_path / "froz.csv"
    pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "nav": nav}).to_csv(csv, index=False)
    assert runner.invoke(app, ["import", str(csv), "--db", str(db), "--map", "nav=csv:FROZ",
                               "--positive"]).exit_code == 0
    res = runner.invoke(app, ["spillover", "--db", str(db), "--json", "--assets",
                              "ust10y,usd_broad,btc,csv:FROZ"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    note = next(n for n in doc["notes"] if "had a singular design" in n)
    assert note.endswith(": csv_froz_pct has not moved since 2025-12-31 (a frozen feed?), so no "
                         "window ending after 200 of its still days has a reading; leave it "
                         "out for a later reading"), note
    # the latest reading is the last window with 199 still days or fewer
    last = pd.Timestamp(doc["summary"]["as_of"])
    assert last < pd.Timestamp("2026-10-30")
    assert len(pd.bdate_range("2026-01-01", last)) < 200


@pytest.mark.slow
def test_a_frozen_fund_s_stale_reading_asks_to_leave_it_out_not_for_newer_data(tmp_path, rng):
    """Two funds and a third frozen for its last 90 days, all priced to 2026-10-30, read that
    evening: every 60-day window in the still run is singular, so the latest reading is two
    months old. Beside the note naming the frozen fund, the freshness note said "not today's
    reading; import or fetch newer data", which no data could mend: the fund holds it back."""
    import datetime as dt

    from spillwatch.data.source import open_source
    from spillwatch.service import spillover as service
    from spillwatch.service._today import replay_day
    from spillwatch.service.workspace import Workspace

    days = pd.bdate_range("2024-01-02", "2026-10-30")
    px = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, (len(days), 3)), axis=0))
    px[-90:, 2] = px[-91, 2]
    csv = tmp_path / "funds.csv"
    pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "a": px[:, 0], "b": px[:, 1],
                  "c": px[:, 2]}).to_csv(csv, index=False)
    db = tmp_path / "own.duckdb"
    res = runner.invoke(app, ["import", str(csv), "--db", str(db), "--map", "a=csv:FA",
                              "--map", "b=csv:FB", "--map", "c=csv:FROZ", "--positive"])
    assert res.exit_code == 0, res.output
    with Workspace(open_source(db, read_only=True)) as ws, replay_day(dt.date(2026, 10, 30)):
        rep = service.spillover(ws, assets=("csv:FA", "csv:FB", "csv:FROZ"), window=60)
        card = service.stale_note(rep, simulated=False)
    # the last window that holds a move of the fund (its first still change is of 2026-06-29)
    assert rep.rolling.tci.dropna().index[-1] == pd.Timestamp("2026-09-16")
    said = ("the latest spillover window is as of 2026-09-16, 44 days before today "
            "(2026-10-30): not today's reading; csv_froz_pct has not moved over a whole window "
            "(a frozen feed?): leave it out for a later reading")
    assert said in rep.notes, rep.notes
    assert not [n for n in rep.notes if "newer data" in n], rep.notes
    assert card is not None and card.startswith(said), card   # the dashboard's and headline's
