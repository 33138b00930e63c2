"""A store holding only some inputs: commands say what is missing, in one line each."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest


def _fred_store(folder, *, start: str, periods: int, seed: int, series, decimals: int) -> str:
    """A store of simulated FRED files: ``series`` of (id, level, daily step, log walk)."""
    from spillwatch.data.ingest import import_path
    from spillwatch.store import Store

    (folder / "fred").mkdir()
    days = pd.bdate_range(start, periods=periods)
    rng = np.random.default_rng(seed)
    for sid, level, step, log in series:
        x = rng.normal(0, step, len(days))
        v = level * np.exp(np.cumsum(x)) if log else level + np.cumsum(x)
        pd.DataFrame({"date": days.strftime("%Y-%m-%d"), sid: v.round(decimals)}).to_csv(
            folder / "fred" / f"{sid}.csv", index=False)
    db = folder / "store.duckdb"
    with Store(db) as store:
        import_path(folder, store)
    return str(db)


@pytest.fixture(scope="module")
def rates_only(tmp_path_factory) -> str:
    """A store with the Treasury curve (2y, 10y, 30y) of two years and nothing else."""
    return _fred_store(tmp_path_factory.mktemp("rates"), start="2023-01-02", periods=520,
                       seed=5, decimals=2,
                       series=[(sid, level, 0.05, False) for sid, level in
                               (("DGS2", 4.2), ("DGS10", 3.9), ("DGS30", 4.0))])


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "spillwatch", *args], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "COLUMNS": "200"})


@pytest.mark.slow
def test_report_names_sections_it_cannot_build_without_a_traceback(rates_only, tmp_path):
    res = _cli("report", "--db", rates_only, "--out", str(tmp_path))
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr, res.stderr
    failed = [x for x in res.stdout.splitlines() + res.stderr.splitlines()
              if "failed" in x.lower()]
    assert failed, res.stdout + res.stderr          # some sections need inputs it lacks
    assert "spx" in res.stdout + res.stderr        # ... and the message names one
    assert (tmp_path / "report.html").exists()


def test_stress_lists_missing_inputs_in_text_output(rates_only):
    res = _cli("stress", "--db", rates_only)
    assert res.returncode == 0, res.stderr
    assert "missing inputs:" in res.stdout and "usd_broad" in res.stdout, res.stdout
    # no date can be published without the dollar and equity blocks: say which, not only
    # "burn-in or no fresh inputs"
    text = " ".join(res.stdout.split())
    assert "the data have no input of the required block(s) dollar, equity_vol" in text, text


def test_a_store_of_ones_own_series_only_says_so(tmp_path):
    from typer.testing import CliRunner

    from spillwatch.cli import app

    f = tmp_path / "fund.csv"
    days = pd.bdate_range("2024-01-02", periods=30)
    pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "MYFUND": np.linspace(100, 110, 30)}
                 ).to_csv(f, index=False)
    db = str(tmp_path / "own.duckdb")
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(f), "--db", db]).exit_code == 0
    res = runner.invoke(app, ["data", "panel", "--db", db])
    assert res.exit_code == 2
    assert "it holds your own series csv:MYFUND: name them as the assets (e.g. csv:MYFUND)" \
        in " ".join(res.output.split())
    res = runner.invoke(app, ["data", "panel", "--db", db, "--asset", "csv:MYFUND"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["scenario", "japan-10pct", "--db", db])
    assert res.exit_code == 2
    assert "the scenario model needs market series (ust2y, ust5y, ust10y" in \
        " ".join(res.output.split())


@pytest.fixture(scope="module")
def no_crypto_no_gold(tmp_path_factory) -> str:
    """Rates, the dollar and the S&P 500 of three years; no gold, no crypto."""
    return _fred_store(tmp_path_factory.mktemp("nocrypto"), start="2022-01-03", periods=780,
                       seed=11, decimals=4,
                       series=[("DGS2", 4.2, 0.05, False), ("DGS5", 4.0, 0.05, False),
                               ("DGS10", 3.9, 0.05, False), ("DGS30", 4.0, 0.04, False),
                               ("DTWEXBGS", 120.0, 0.004, True),
                               ("DEXJPUS", 140.0, 0.006, True), ("SP500", 4500.0, 0.011, True)])


@pytest.mark.slow
def test_a_book_missing_positions_says_what_it_prices(no_crypto_no_gold):
    from typer.testing import CliRunner

    from spillwatch.cli import app
    from spillwatch.data.source import open_source
    from spillwatch.service import scenarios as service
    from spillwatch.service.workspace import Workspace

    db = no_crypto_no_gold
    res = CliRunner().invoke(app, ["scenario", "japan-10pct", "--db", db, "--paths", "500",
                                   "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    note = "$700,000: the default $1m book without gold, btc, eth, trump (not in the data)"
    assert doc["book_note"] == note
    ws = Workspace(open_source(db, read_only=True))
    try:
        ps = service.presets(ws, paths=500)
        assert ps.book_usd == 700_000.0 and ps.left_out == ("gold", "btc", "eth", "trump")
        assert ps.summary_dict()["book_note"] == note
    finally:
        ws.close()


def test_spillover_into_crypto_without_crypto_is_unavailable(no_crypto_no_gold):
    from typer.testing import CliRunner

    from spillwatch.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["spillover", "--db", no_crypto_no_gold])
    assert res.exit_code == 2
    assert "needs both blocks" in res.output and "holds no crypto series" in res.output
    res = runner.invoke(app, ["spillover", "--db", no_crypto_no_gold, "--assets",
                              "ust10y,usd_broad", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["title"] == \
        "spillover: connectedness of ust10y_bp, usd_broad_pct"


def test_data_says_what_it_stored_and_quarantined(tmp_path, capsys):
    """``--data``: the rows an analysis does not read are named on stderr (a bad last row moved
    the reading back a day without a word)."""
    from spillwatch.cli import main

    (tmp_path / "fred").mkdir()
    days = pd.bdate_range("2024-01-02", periods=300)
    rng = np.random.default_rng(5)
    for sid, level, step in (("DGS10", 4.0, 0.05), ("DTWEXBGS", 120.0, 0.3)):
        v = (level + np.cumsum(rng.normal(0, step, len(days)))).round(2).astype(str)
        if sid == "DGS10":
            v[-1] = v[-1] + "%"
        pd.DataFrame({"date": days.strftime("%Y-%m-%d"), sid: v}).to_csv(
            tmp_path / "fred" / f"{sid}.csv", index=False)
    with pytest.raises(SystemExit) as exc:
        main(["stress", "--data", str(tmp_path), "--json"])
    assert exc.value.code in (0, None)
    got = capsys.readouterr()
    json.loads(got.out)                                     # stdout stays JSON
    assert "read 600, stored 599, quarantined 1" in got.err
    assert f"DGS10.csv:301 DGS10 {days[-1]:%Y-%m-%d}" in got.err
    assert "non-numeric value" in got.err


def test_data_into_a_store_lists_the_quarantine_of_its_own_files(tmp_path, capsys):
    # `--data F --db S` listed the first five of the store's whole quarantine (another file's
    # rows, one of them stored by this import) and "… and 243 more (import into a store with
    # --db …)" although --db was given
    from spillwatch.cli import main
    from spillwatch.data.ingest import import_path
    from spillwatch.store import Store

    (tmp_path / "old" / "fred").mkdir(parents=True)
    days = pd.bdate_range("2024-01-02", periods=300)
    rng = np.random.default_rng(6)
    for sid, level, step in (("DGS10", 4.0, 0.05), ("DTWEXBGS", 120.0, 0.3)):
        v = (level + np.cumsum(rng.normal(0, step, len(days)))).round(2).astype(str)
        v[:8] = "n/a?"                                   # eight rows of another file
        pd.DataFrame({"date": days.strftime("%Y-%m-%d"), sid: v}).to_csv(
            tmp_path / "old" / "fred" / f"{sid}.csv", index=False)
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        import_path(tmp_path / "old", store)
    mine = tmp_path / "mine.csv"
    v = (4.0 + np.cumsum(rng.normal(0, 0.05, len(days)))).round(2).astype(str)
    v[[10, 20, 30, 40, 50, 60, 70]] = "x"
    pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "DGS10": v}).to_csv(mine, index=False)
    with pytest.raises(SystemExit):
        main(["stress", "--data", str(mine), "--db", str(db), "--json"])
    err = " ".join(capsys.readouterr().err.split())
    assert "read 300, stored 293, quarantined 7" in err
    assert err.count("quarantined: ") == 5 and "DTWEXBGS.csv" not in err
    assert all(f"mine.csv:{k + 2} " in err for k in (10, 20, 30, 40, 50))
    assert f"… and 2 more (`spillwatch data quarantine --db {db}` lists them)" in err


def test_a_known_series_under_a_generic_id_gets_a_map_hint(tmp_path, capsys):
    from spillwatch.cli import main

    days = pd.bdate_range("2024-01-02", periods=60)
    f = tmp_path / "DGS10.csv"
    pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "DGS10": np.linspace(4.0, 4.5, 60)}).to_csv(
        f, index=False)
    with pytest.raises(SystemExit) as exc:
        main(["stress", "--data", str(f)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "it holds csv:DGS10: import the file with --map DGS10=fred:DGS10" in " ".join(
        err.split())


def test_volatility_leaves_out_a_default_asset_the_data_lack(no_crypto_no_gold):
    # data from before the TRUMP token (or without crypto): the default correlation assets the
    # store lacks are left out with a note; it used to stop with "no data for asset(s) trump"
    from typer.testing import CliRunner

    from spillwatch.cli import app

    res = CliRunner().invoke(app, ["volatility", "--db", no_crypto_no_gold, "--model", "ewma",
                                   "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    corr = doc["correlation"]
    assert set(corr["left_out"]) == {"btc_pct", "eth_pct", "trump_pct"}
    assert all(v.startswith("no data in store ") for v in corr["left_out"].values())
    assert corr["table"]["index"] == ["ust10y_bp", "usd_broad_pct", "spx_pct"]


@pytest.mark.slow
def test_stress_without_a_reading_dates_no_reading(rates_only):
    # the index has no reading (no dollar or equity block): no note may say "the stress
    # reading is as of <the data's last day>", nor "the reading of <that day>" (h_data1)
    res = _cli("stress", "--db", rates_only, "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)["summary"]
    assert out["stress"] is None and out["date"] == "2024-12-27", out
    assert not [n for n in out["notes"] if "reading is as of" in n], out["notes"]
    assert out["unread_reason"].startswith("the data have no input of the required block(s) "
                                           "dollar, equity_vol"), out
    text = " ".join(_cli("stress", "--db", rates_only).stdout.split())
    assert "the stress reading is as of" not in text, text
    assert "the reading of 2024-12-27" not in text, text
    assert ("the data's last day, 2024-12-27 (no reading), is without: usd_broad (none yet)"
            in text), text


@pytest.mark.slow
def test_scenario_on_a_store_without_the_sp500_asks_to_import_it(rates_only):
    # the store holds no S&P 500 at all: "import it, or give a later --as-of" sent the user
    # to later evenings that hold none either (h_data1)
    res = _cli("scenario", "japan-10pct", "--db", rates_only, "--paths", "500")
    assert res.returncode == 2, res.stdout + res.stderr
    text = " ".join(res.stderr.split())
    assert text.startswith("error: the scenario model needs spx (the sell-off's "
                           "identification restricts it) and store "), text
    assert text.endswith("store.duckdb holds no data of it: import it (spillwatch import "
                         "PATH)"), text
    assert "--as-of" not in text and "Traceback" not in text, text


def test_the_stress_card_without_a_reading_says_no_reading_and_why(rates_only):
    # the dashboard's gauge on a store without the dollar and equity/vol blocks read "Stress
    # percentile ... n/a (too little history to rank)" and "the reading itself is stale" of
    # no reading, with no word of the missing blocks `stress` names (h_verify36)
    from spillwatch.plotting.gauge import stress_gauge
    from spillwatch.service import stress as stress_service
    from spillwatch.service.workspace import Workspace

    ws = Workspace(rates_only)
    res = stress_service.stress(ws)
    fig = stress_gauge(res, note=stress_service.stale_note(ws, res))
    title = " ".join(fig.layout.title.text.replace("<br>", " ").split())
    assert title.startswith("Stress percentile 2024-12-27 n/a (no reading: the data's last "
                            "day): regime <b>n/a</b>, index n/a"), title
    note = " ".join(a.text.replace("<br>", " ") for a in fig.layout.annotations)
    note = " ".join(note.split())
    assert "the data have no input of the required block(s) dollar, equity_vol" in note, note
    assert "the reading itself is stale" not in note, note
    # ... nor dates a reading there is not (h_mut30: the card's note read "the stress reading
    # is as of 2024-12-27", the data's last day, and every test passed)
    assert "reading is as of" not in note, note
