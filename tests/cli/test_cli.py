import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

runner = CliRunner()


def test_import_and_data_commands(tmp_path):
    csv = tmp_path / "a.csv"
    csv.write_text("date,A\n2024-01-01,1\n2024-01-02,x\n")
    db = tmp_path / "s.duckdb"
    res = runner.invoke(app, ["import", str(csv), "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["totals"]["stored"] == 1 and doc["totals"]["quarantined"] == 1
    res = runner.invoke(app, ["import", str(csv), "--db", str(db), "--json"])
    assert json.loads(res.stdout)["totals"]["unchanged"] == 1
    res = runner.invoke(app, ["data", "quarantine", "--db", str(db), "--json"])
    rows = json.loads(res.stdout)["rows"]
    assert rows[0]["reason"] == "non-numeric value 'x'" and rows[0]["line"] == 3
    res = runner.invoke(app, ["data", "runs", "--db", str(db), "--json"])
    assert len(json.loads(res.stdout)["rows"]) == 2


def test_clear_error_exit_code(tmp_path):
    res = runner.invoke(app, ["import", str(tmp_path / "missing.csv"), "--db",
                              str(tmp_path / "s.duckdb")])
    assert res.exit_code == 2
    assert "no such file" in res.output
    res = runner.invoke(app, ["run", "--db", str(tmp_path / "none.duckdb"), "--no-fetch"]
                        if False else ["data", "health", "--db", str(tmp_path / "none.duckdb")])
    assert res.exit_code == 2 and "no store at" in res.output


def test_panel_command_demo(tmp_path):
    out = tmp_path / "p.csv"
    res = runner.invoke(app, ["data", "panel", "--demo", "--asset", "ust10y", "--asset", "btc",
                              "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text().splitlines()[0] == "date,ust10y_bp,btc_pct"


def test_panel_takes_assets_as_its_advice_names_it(tmp_path):
    # a store without an asset is told "... or drop them from --assets", which `data panel`
    # (--asset) refused as no such option (h_data1)
    (tmp_path / "fred").mkdir()
    (tmp_path / "fred" / "DGS10.csv").write_text("date,DGS10\n2024-01-02,3.95\n"
                                                 "2024-01-03,3.91\n2024-01-04,3.99\n")
    bad = runner.invoke(app, ["data", "panel", "--data", str(tmp_path), "--assets", "spx"])
    assert bad.exit_code == 2 and "drop them from --assets" in " ".join(bad.output.split())
    res = runner.invoke(app, ["data", "panel", "--data", str(tmp_path), "--assets", "ust10y",
                              "--out", str(tmp_path / "p.csv")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "p.csv").read_text().splitlines() == [
        "date,ust10y_bp", "2024-01-03,-4.0", "2024-01-04,8.0"]


def test_panel_reads_assets_comma_separated_as_the_other_commands(tmp_path):
    # `--assets btc,eth` as spillover and risk read it was refused: "unknown asset 'btc,eth'"
    # (h_verify36); repeated --asset still works, and a key given twice is refused as there
    (tmp_path / "fred").mkdir()
    (tmp_path / "fred" / "DGS10.csv").write_text("date,DGS10\n2024-01-02,3.95\n"
                                                 "2024-01-03,3.91\n2024-01-04,3.99\n")
    (tmp_path / "fred" / "DGS2.csv").write_text("date,DGS2\n2024-01-02,4.33\n"
                                                "2024-01-03,4.33\n2024-01-04,4.38\n")
    for args in (["--assets", "ust10y,ust2y"], ["--asset", "ust10y", "--asset", "ust2y"]):
        res = runner.invoke(app, ["data", "panel", "--data", str(tmp_path), *args,
                                  "--out", str(tmp_path / "p.csv")])
        assert res.exit_code == 0, res.output
        assert (tmp_path / "p.csv").read_text().splitlines() == [
            "date,ust10y_bp,ust2y_bp", "2024-01-03,-4.0,0.0", "2024-01-04,8.0,5.0"]
    twice = runner.invoke(app, ["data", "panel", "--data", str(tmp_path),
                                "--assets", "ust10y,ust10y"])
    assert twice.exit_code == 2 and "more than once" in twice.output


def test_panel_terminal_view_shows_dates_most_series_report(tmp_path):
    # with three series, "half" (3 // 2 = 1) let through the last dates where only the one
    # series running further reported, under the title "dates with most series"
    import pandas as pd

    days = pd.bdate_range("2024-01-01", periods=40)
    for name, n in (("AAA", 40), ("BBB", 30), ("CCC", 30)):
        pd.DataFrame({"date": days[:n].strftime("%Y-%m-%d"), name: range(100, 100 + n)}
                     ).to_csv(tmp_path / f"{name}.csv", index=False)
    res = runner.invoke(app, ["data", "panel", "--data", str(tmp_path), "--asset",
                              "csv:AAA.AAA", "--asset", "csv:BBB.BBB", "--asset", "csv:CCC.CCC"],
                        terminal_width=200)
    assert res.exit_code == 0, res.output
    assert "last 5 dates with most series" in res.output
    assert str(days[29].date()) in res.output and str(days[30].date()) not in res.output


@pytest.mark.slow
def test_python_dash_m_entry_point():
    res = subprocess.run([sys.executable, "-m", "spillwatch", "--help"], capture_output=True,
                         text=True, timeout=60)
    assert res.returncode == 0 and "run" in res.stdout


def test_out_csv_that_cannot_be_written_is_a_clear_error(tmp_path):
    target = tmp_path / "missing" / "stress.csv"
    res = runner.invoke(app, ["stress", "--demo", "--out", str(target)])
    assert res.exit_code == 2
    assert f"error: cannot write {target}" in res.output
    assert not target.parent.exists()


@pytest.mark.parametrize("target", ["", ".", "/"])
def test_out_that_names_no_file_is_a_clear_error(target):
    """``stress --out ''`` (or ``.``, ``/``) crashed with a traceback after the whole
    computation: ``ValueError: PosixPath('.') has an empty name`` from ``Path.with_name``,
    exit code 1. It is an ``error:`` naming --out, exit code 2."""
    res = runner.invoke(app, ["stress", "--demo", "--out", target])
    assert res.exit_code == 2, res.output
    assert f"error: --out {str(Path(target))!r} names no file" in res.output
    assert "Traceback" not in res.output and not isinstance(res.exception, ValueError)


@pytest.mark.parametrize("command", ["spillover", "volatility", "risk", "events"])
def test_assets_given_empty_is_refused_by_every_command(command):
    """``spillover --assets ''`` ran the standard six assets as if the option were left out,
    while ``volatility``, ``risk`` and ``events`` refused it (``names no asset``) and the API
    answers ``/api/spillover?assets=`` with 422."""
    res = runner.invoke(app, [command, "--demo", "--assets", "", "--json"])
    assert res.exit_code == 2, res.output
    assert "error: --assets '' names no asset" in res.output
    # and a key given twice (volatility and events ran on btc once)
    res = runner.invoke(app, [command, "--demo", "--assets", "btc,eth,btc", "--json"])
    assert res.exit_code == 2, res.output
    assert "error: --assets lists btc more than once; give each once" in res.output


def test_each_command_registers_only_its_module():
    import typer

    from spillwatch import cli

    full = typer.main.get_command(cli.app)
    assert set(full.commands) == set(cli.COMMANDS)          # every command is mapped
    for name, module in cli.COMMANDS.items():
        one = typer.main.get_command(cli.build_app((module,)))
        assert name in one.commands, (name, module)
        # the command is the same in the minimal and the whole application
        assert [p.name for p in one.commands[name].params] == \
            [p.name for p in full.commands[name].params]


def loaded_after(args: list[str], *modules: str, then: str = "") -> list[str]:
    """Which of ``modules`` a fresh interpreter holds after registering the CLI for ``args``."""
    code = ("import sys\n"
            "from spillwatch.cli import _app_for\n"
            f"_app_for({args!r})\n"
            f"{then}\n"
            f"print([m for m in {modules!r} if m in sys.modules])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    return ast.literal_eval(out.strip())


def test_a_command_does_not_load_the_other_engines():
    assert loaded_after(["stress", "--demo"], "spillwatch.scenarios", "spillwatch.api",
                        "spillwatch.analytics.volatility",
                        "spillwatch.analytics.connectedness") == []


def test_alert_administration_does_not_load_the_analytics_engines():
    assert loaded_after(["alerts", "list"], "scipy.signal", "spillwatch.scenarios", "arch",
                        then="import spillwatch.alerts.admin") == []


@pytest.mark.parametrize("command", [["data", "panel"], ["stress"], ["spillover"], ["backtest"]])
def test_a_start_after_the_end_is_refused(command):
    from typer.testing import CliRunner

    from spillwatch.cli import app

    res = CliRunner().invoke(app, [*command, "--demo", "--start", "2025-01-10",
                                   "--end", "2025-01-01"])
    assert res.exit_code == 2
    assert "error: --start 2025-01-10 is after --end 2025-01-01" in res.output


@pytest.mark.parametrize("command", [["stress"], ["spillover"], ["risk"], ["volatility"]])
def test_a_start_after_the_as_of_names_the_as_of(command):
    # the user gave --as-of, not --end: it read "--start 2025-01-10 is after --end 2025-01-01"
    res = runner.invoke(app, [*command, "--demo", "--start", "2025-01-10",
                              "--as-of", "2025-01-01"])
    assert res.exit_code == 2
    assert "error: --start 2025-01-10 is after --as-of 2025-01-01" in res.output
    assert "--end" not in res.output


def test_stress_start_chooses_rows_not_the_headline():
    # the headline (week-ago reading, the year's sell-America days) reads the whole history
    # up to --end; with --start on the same date it read null and 0
    def summary(*extra: str) -> dict:
        res = runner.invoke(app, ["stress", "--demo", "--json", *extra])
        assert res.exit_code == 0, res.output
        return json.loads(res.stdout)["summary"]

    whole = summary("--end", "2025-06-13")
    assert whole["week_ago_stress"] is not None
    assert whole["sell_america_days_last_year"] is not None
    assert summary("--start", "2025-06-13", "--end", "2025-06-13") == whole


def test_version_is_printed():
    """``spillwatch --version`` was "No such option" (exit 2)."""
    from spillwatch import __version__

    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.stdout.strip() == f"spillwatch {__version__}"


def test_fetch_since_a_bad_date_is_a_clear_error(tmp_path):
    # it printed a pandas DateParseError traceback (exit 1) before any download
    res = runner.invoke(app, ["fetch", "--since", "2025-13-01", "--db", str(tmp_path / "s.db")])
    assert res.exit_code == 2
    assert "error: --since '2025-13-01' is not a valid date" in res.output
    res = runner.invoke(app, ["fetch", "--since", "2999-01-01", "--db", str(tmp_path / "s.db")])
    assert res.exit_code == 2 and "error: --since 2999-01-01 is in the future" in res.output
    assert not (tmp_path / "s.db").exists()      # refused before a request or a store


@pytest.mark.slow
def test_fetch_since_is_judged_on_the_utc_date_in_any_time_zone(tmp_path):
    """``--since`` was checked against the machine's local date while every other command
    reckons today by UTC: in Samoa (UTC-11) the UTC today was refused as "in the future", in
    Kiribati (UTC+14) tomorrow's UTC date went to the providers. At any instant one of UTC-12
    and UTC+14 has a local date other than UTC's, so one of the two cases below catches it."""
    import datetime as dt
    import os

    def fetch(zone: str, since: dt.date) -> subprocess.CompletedProcess:
        # no retries of the refused connection: the date's check is what is tested (the
        # backoff took 8 s of the test)
        env = {**os.environ, "TZ": zone, "SPILLWATCH_FRED_URL": "http://127.0.0.1:9/",
               "SPILLWATCH_HTTP_RETRIES": "0"}
        return subprocess.run([sys.executable, "-m", "spillwatch", "fetch", "--since",
                               str(since), "--series", "fred:DGS10", "--db",
                               str(tmp_path / f"{zone.replace('/', '_')}.db")],
                              capture_output=True, text=True, env=env, timeout=120)

    today = dt.datetime.now(dt.UTC).date()
    ahead = fetch("Etc/GMT-14", today + dt.timedelta(days=1))     # POSIX signs: UTC+14
    assert ahead.returncode == 2 and "is in the future (today is" in ahead.stderr, ahead.stderr
    behind = fetch("Etc/GMT+12", today)                             # UTC-12
    assert "in the future" not in behind.stderr, behind.stderr     # asked (offline here: 1)


def test_quarantine_of_an_unknown_series_is_an_error_and_demo_says_simulated():
    # a typo printed an empty table with exit 0, read as "nothing was quarantined"
    res = runner.invoke(app, ["data", "quarantine", "--demo", "--series", "csv:Nope"])
    assert res.exit_code == 2 and "no series 'csv:Nope'" in res.output
    # every --demo command says once that its numbers are of the simulated market
    res = runner.invoke(app, ["data", "quarantine", "--demo"])
    assert res.exit_code == 0 and res.stderr.startswith("SIMULATED: the demo market")


def test_stress_as_of_is_what_the_monitor_said_that_evening(tmp_path):
    # --end D reads every input on its observation date (the dollar of D before H.10 publishes
    # it); --as-of D reads the data as published by then, as `alerts test --as-of D` does
    import datetime as dt

    import pandas as pd

    from spillwatch.alerts.facts import compute_facts
    from spillwatch.data.source import open_source

    db = tmp_path / "demo.duckdb"
    with open_source("demo", db=db) as src:
        last = max(d for d in src.read_series().last_dates().values() if d is not None)
        when = (last - pd.Timedelta(days=30)).date()
        while when.weekday() > 4:                     # a business day
            when -= dt.timedelta(days=1)
        facts = compute_facts(src, as_of=when, spillover=False, demand=False)
    res = runner.invoke(app, ["stress", "--db", str(db), "--as-of", str(when), "--json"])
    assert res.exit_code == 0, res.output
    got = json.loads(res.stdout)["summary"]
    assert got["date"] == str(when)
    assert got["percentile"] == pytest.approx(facts.get("stress.percentile").value)
    bad = runner.invoke(app, ["stress", "--db", str(db), "--as-of", str(when), "--end",
                              str(when)])
    assert bad.exit_code == 2 and "give --as-of or --end, not both" in bad.output


@pytest.mark.slow
def test_stress_as_of_on_real_data_does_not_see_the_unpublished_dollar(real_db):
    # on 2025-04-09 the H.10 dollar of that day was not out (Monday 04-14): `--end` reads it and
    # says sell_america; what the monitor could say that evening has no signature for the day
    def doc(*opts: str) -> dict:
        res = runner.invoke(app, ["stress", "--db", str(real_db), *opts, "--json"])
        assert res.exit_code == 0, res.output
        return json.loads(res.stdout)

    assert doc("--end", "2025-04-09")["summary"]["signature"] == "sell_america"
    evening = doc("--as-of", "2025-04-09")
    assert evening["summary"]["signature"] == "unavailable"
    # each signal says when its inputs last reported: the dollar rows of that evening are the
    # Friday before (read as "dollar up sharply today" on a sell-America day)
    rows = {r["name"]: r for r in evening["signals"]}
    assert rows["usd_broad_z1"]["last_observed"] == "2025-04-04"
    assert rows["vix_z5"]["last_observed"] == "2025-04-09"
    res = runner.invoke(app, ["stress", "--db", str(real_db), "--as-of", "2025-04-09"],
                        env={"COLUMNS": "400"})
    line = next(x for x in res.stdout.splitlines() if "broad dollar move, 1-day (z)" in x)
    assert line.rstrip(" │").endswith("2025-04-04"), line
    assert not next(x for x in res.stdout.splitlines() if x.startswith("│ VIX ")
                    ).rstrip(" │").endswith("2025-04-09")         # the reading's own day


@pytest.mark.slow
def test_a_stale_reading_as_of_a_date_names_the_option_given(real_db):
    """`stress --as-of 2026-03-31` said "84 days before --end 2026-03-31"."""
    res = runner.invoke(app, ["stress", "--db", str(real_db), "--as-of", "2026-03-31",
                              "--json"])
    assert res.exit_code == 0, res.output
    notes = json.loads(res.stdout)["summary"]["notes"]
    assert notes == ["the stress reading is as of 2026-01-06, 84 days before --as-of "
                     "2026-03-31: the last reading the data allow by then",
                     # and why (h_why1): the equity/vol sub-index the index needs stopped
                     "no reading after 2026-01-06: the 10-year reported on 57 days since "
                     "(2026-01-07 to 2026-03-30), but the index needs the equity_vol "
                     "sub-index, which had no fresh input (vix last 2025-12-30, spx last "
                     "2025-12-31)"]
    res = runner.invoke(app, ["stress", "--db", str(real_db), "--end", "2026-03-31", "--json"])
    assert "84 days before --end 2026-03-31" in json.loads(res.stdout)["summary"]["notes"][0]
    # the other commands named no option they were not given: `spillover --as-of` (and the
    # API's as_of) were told "238 days before --end 2026-08-21"
    res = runner.invoke(app, ["spillover", "--db", str(real_db), "--as-of", "2026-08-21",
                              "--json"])
    notes = json.loads(res.stdout)["notes"]
    assert notes[0] == ("the latest spillover window is as of 2025-12-26, 238 days before "
                        "2026-08-21, the date asked for: the last reading the data allow by "
                        "then")
    assert not [n for n in notes if "--end" in n]


def test_data_panel_out_is_written_whole_or_not_at_all(tmp_path):
    """`data panel --out` wrote in place: a full disk (here a file-size limit) left a CSV
    ending mid-row over the good file that was there."""
    import resource

    from spillwatch.data.source import open_source

    db = tmp_path / "demo.duckdb"
    open_source("demo", db=db).close()
    out = tmp_path / "panel.csv"
    out.write_text("date,ust10y_bp\n2025-01-02,1\n")
    limit = 100_000

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    res = subprocess.run([sys.executable, "-m", "spillwatch", "data", "panel", "--db", str(db),
                          "--out", str(out)], capture_output=True, text=True, timeout=120,
                         preexec_fn=small_files)
    assert res.returncode == 2, res.stderr
    assert f"error: cannot write {out}" in res.stderr
    assert out.read_text() == "date,ust10y_bp\n2025-01-02,1\n"
    assert not [p.name for p in tmp_path.iterdir() if "panel" in p.name and p != out]


def test_data_panel_rows_run_from_the_first_to_the_last_value_of_the_named_assets():
    res = CliRunner().invoke(app, ["data", "panel", "--demo", "--asset", "trump", "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["rows"]
    assert rows[0]["trump_pct"] is not None and rows[-1]["trump_pct"] is not None


def test_output_to_a_file_or_pipe_is_not_rewrapped_at_80_columns():
    # without a terminal rich wrapped at 80 columns: each VaR row lost its ES to the next line
    res = runner.invoke(app, ["risk", "--demo"], env={"COLUMNS": None})
    assert res.exit_code == 0, res.output
    rows = [ln for ln in res.stdout.splitlines() if ln.startswith("  ") and " VaR " in ln]
    assert len(rows) >= 3
    assert all(" ES " in ln and ln.rstrip().endswith(")") for ln in rows), rows
    (covar,) = [ln for ln in res.stdout.splitlines() if ln.startswith("CoVaR conditional")]
    assert covar.endswith("makes that tail worse)")        # prose is one line, not cut at 200
    wide = runner.invoke(app, ["data", "health", "--demo"], env={"COLUMNS": None})
    narrow = runner.invoke(app, ["data", "health", "--demo"], env={"COLUMNS": "80"})
    assert max(map(len, wide.stdout.splitlines())) > 80              # COLUMNS still wins
    assert max(map(len, narrow.stdout.splitlines())) <= 80


def test_demo_is_not_written_into_a_store_of_real_data(tmp_path):
    # the demo writes under real ids (fred:DGS10, ...): into a trader's store it revised
    # real yields with simulated ones, exit 0, without a word
    csv = tmp_path / "DGS10.csv"
    csv.write_text("observation_date,DGS10\n2025-04-10,4.42\n2025-04-11,4.48\n")
    db = tmp_path / "real.duckdb"
    assert runner.invoke(app, ["import", str(csv), "--db", str(db)]).exit_code == 0
    before = runner.invoke(app, ["data", "panel", "--db", str(db), "--json"]).stdout
    res = runner.invoke(app, ["stress", "--demo", "--db", str(db)])
    assert res.exit_code == 2
    assert "error: --demo would write the simulated market into" in res.output
    assert "holds 1 series of real data" in res.output
    assert runner.invoke(app, ["data", "panel", "--db", str(db), "--json"]).stdout == before
    # $SPILLWATCH_DB names the default store; the demo then stays in memory (it was refused,
    # and before that written into the store the variable names)
    res = runner.invoke(app, ["stress", "--demo", "--json"], env={"SPILLWATCH_DB": str(db)})
    assert res.exit_code == 0 and json.loads(res.stdout)["simulated"] is True
    assert runner.invoke(app, ["data", "panel", "--db", str(db), "--json"]).stdout == before
    events = tmp_path / "events.duckdb"    # real auctions only, no series: refused as well
    (tmp_path / "ev" / "auctions").mkdir(parents=True)
    (tmp_path / "ev" / "auctions" / "ust_auctions_notes_bonds.csv").write_text(
        "date,tenor,term,reopening,cusip,size_bn,high_yield,median_yield,bid_to_cover,"
        "dealer_pct,direct_pct,indirect_pct,dispersion_bp\n2015-01-12,3-Year,3-Year,False,"
        "912828H37,24.0,0.926,0.9,3.33,39.38,14.84,45.78,2.6\n")
    res = runner.invoke(app, ["import", str(tmp_path / "ev"), "--db", str(events)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["stress", "--demo", "--db", str(events)])
    assert res.exit_code == 2 and "1 auctions rows of real data" in res.output
    fresh = tmp_path / "demo.duckdb"       # a store of its own takes the demo, twice
    for _ in range(2):
        assert runner.invoke(app, ["data", "health", "--demo", "--db", str(fresh)]).exit_code == 0


@pytest.mark.slow
def test_a_store_holding_the_demo_says_so_and_takes_no_real_data(tmp_path):
    # `stress --demo --db FILE`, then plain `risk --db FILE`: no word of "simulated" anywhere,
    # and a user's own fund imported beside the simulated 10-year gave a CoVaR of real against
    # simulated; `--demo --json` of risk, volatility, spillover, events had no such key either
    db = tmp_path / "demo.duckdb"
    assert runner.invoke(app, ["stress", "--demo", "--db", str(db)]).exit_code == 0
    res = runner.invoke(app, ["risk", "--db", str(db), "--no-backtest"])
    assert res.exit_code == 0 and "SIMULATED: store " in res.stderr
    for cmd in (["risk", "--no-backtest"], ["volatility", "--model", "ewma"], ["events"]):
        res = runner.invoke(app, [*cmd, "--db", str(db), "--json"])
        assert res.exit_code == 0 and json.loads(res.stdout)["simulated"] is True, cmd
        res = runner.invoke(app, [*cmd, "--demo", "--json"])
        assert res.exit_code == 0 and json.loads(res.stdout)["simulated"] is True, cmd
    # a fund of the user's may join it (to try a book on the demo), labelled simulated; the
    # real ids the demo writes its foreign-demand inputs under may not (real points revised
    # simulated ones, one series of two sources)
    fund = tmp_path / "fund.csv"
    fund.write_text("date,NAV\n2025-01-02,10.0\n2025-01-03,10.1\n")
    assert runner.invoke(app, ["import", str(fund), "--db", str(db)]).exit_code == 0
    custody = tmp_path / "fred" / "WMTSECL1.csv"
    custody.parent.mkdir()
    custody.write_text("observation_date,WMTSECL1\n2025-01-01,2900000\n")
    res = runner.invoke(app, ["import", str(custody), "--db", str(db)])
    assert res.exit_code == 2
    assert "would write 1 series the simulated demo market holds in this store " \
           "(fred:WMTSECL1)" in res.stderr
    from spillwatch.data.fetch import fetch
    from spillwatch.exceptions import DataError
    from spillwatch.store import Store

    with Store(db) as store, pytest.raises(DataError, match="fetch live data into a store"):
        fetch(store, providers={})
    # a real store's JSON carries no such key (and a demo command before it leaves none)
    real = tmp_path / "real.duckdb"
    assert runner.invoke(app, ["import", str(fund), "--db", str(real)]).exit_code == 0
    res = runner.invoke(app, ["data", "health", "--db", str(real), "--json"])
    assert res.exit_code == 0 and "simulated" not in res.stdout


def test_a_panel_window_without_data_is_an_error_and_keeps_the_file(tmp_path):
    out = tmp_path / "keep.csv"
    out.write_text("mine\n")
    res = runner.invoke(app, ["data", "panel", "--demo", "--start", "2100-01-01",
                              "--out", str(out)])
    assert res.exit_code == 2
    assert "error: the panel has no date from 2100-01-01 on (its data run from" in res.output
    assert out.read_text() == "mine\n"          # was replaced by a header-only file, exit 0
    res = runner.invoke(app, ["data", "panel", "--demo", "--end", "1800-01-01", "--json"])
    assert res.exit_code == 2 and "no date up to 1800-01-01" in res.output


def test_a_missing_import_path_leaves_no_store_and_a_csv_is_not_a_store(tmp_path):
    db = tmp_path / "new.duckdb"
    res = runner.invoke(app, ["import", str(tmp_path / "nope"), "--db", str(db)])
    assert res.exit_code == 2 and "no such file or folder" in res.output
    res = runner.invoke(app, ["stress", "--data", str(tmp_path / "nope.csv"), "--db", str(db)])
    assert res.exit_code == 2 and "no such file or folder" in res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == []   # no empty store, no lock file
    (tmp_path / "empty.duckdb").write_bytes(b"")
    res = runner.invoke(app, ["stress", "--db", str(tmp_path / "empty.duckdb")])
    assert res.exit_code == 2 and "is not a spillwatch store (a DuckDB file) (an empty file)" \
        in res.output
    plain = tmp_path / "prices.csv"
    plain.write_text("date,A\n2024-01-01,1\n")
    res = runner.invoke(app, ["stress", "--db", str(plain)])
    assert res.exit_code == 2
    assert f"error: {plain} is not a spillwatch store (a DuckDB file)" in res.output
    assert plain.read_text() == "date,A\n2024-01-01,1\n"


def test_volatility_names_every_correlation_choice_before_fitting():
    res = CliRunner().invoke(app, ["volatility", "--demo", "--correlation", "foo"])
    assert res.exit_code == 2
    assert "unknown --correlation 'foo'; choose one of: 'dcc', 'ewma', 'none'" in res.output


def test_a_note_the_result_already_gives_is_printed_once():
    """`demand --as-of 2026-03-13` printed "read in part: China without ..." twice: as a NOTE
    from the summary and in the result's own lines."""
    from rich.console import Console

    from spillwatch.cli._common import SummaryOutput

    class Result:
        def __str__(self) -> str:
            return "gauge 0.5\nread in part: China without its flow"

        def __rich__(self) -> str:
            return str(self)

    console = Console(width=200, record=True)
    console.print(SummaryOutput(Result(), {"notes": ["read in part: China without its flow",
                                                     "TIC holdings as stored"]}))
    out = console.export_text()
    assert out.count("read in part: China without its flow") == 1
    assert "NOTE: TIC holdings as stored" in out
