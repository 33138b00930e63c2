"""``spillwatch spillover``: demo and real data, human and JSON output, CSV export."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

runner = CliRunner()


def test_spillover_demo_json_and_csv(tmp_path):
    out = tmp_path / "spill.csv"
    res = runner.invoke(app, ["spillover", "--demo", "--window", "150", "--lags", "1",
                              "--json", "--out", str(out)])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    spill = doc["spillover"]
    assert spill["window"] == 150
    assert spill["lags"] == 1
    assert 0 <= spill["latest"]["tci"] <= 100
    assert set(doc["blocks"]["groups"]) >= {"rates_dollar", "crypto"}
    frame = pd.read_csv(out)
    assert {"date", "tci", "tci_corrected", "net_rates_dollar_to_crypto"} <= set(frame.columns)
    assert len(frame) == spill["windows"]


def test_the_terminal_says_which_net_reading_is_the_headline():
    # "net spillover rates + dollar -> crypto -6.28 pp" (two-day) and, 34 lines down, "net
    # spillover rates+dollar -> crypto (this table's data): 5.27 pp" (daily), without a word
    doc = json.loads(runner.invoke(app, ["spillover", "--demo", "--json"]).stdout)["summary"]
    text = runner.invoke(app, ["spillover", "--demo"], env={"COLUMNS": "400"}).stdout
    assert doc["sampling"] == "two_day"
    said = (f"(the block table is on daily changes, not the two-day headline above; on the "
            f"headline's date its net reading was {doc['net_rates_dollar_to_crypto_daily']:+.2f} "
            f"pp, `net_rates_dollar_to_crypto_daily`, dated "
            f"{doc['net_rates_dollar_to_crypto_daily_date']})")
    assert said in text


def test_spillover_demo_human_tvp(tmp_path):
    out = tmp_path / "tvp.csv"
    res = runner.invoke(app, ["spillover", "--demo", "--model", "tvp", "--lags", "1",
                              "--assets", "ust10y,usd_broad,btc", "--out", str(out)])
    assert res.exit_code == 0, res.output
    # the model named once, with its forgetting factors (it read "TVPVAR(1), H=10, TVP-VAR")
    assert "TVPVAR(1), H=10, forgetting factors 0.99/0.99, " in res.output
    assert "net spillover rates + dollar -> crypto" in res.output
    # each TVP reading is revised by later data (its prior is fitted on the first rows): the
    # CSV said its first row was known on 2018-01-08, when it needed rows of 2018-10
    frame = pd.read_csv(out)
    assert len(frame) > 100 and frame["known_on"].isna().all()


def test_spillover_bad_option_is_a_clean_error():
    res = runner.invoke(app, ["spillover", "--demo", "--model", "garch"])
    assert res.exit_code == 2
    assert "unknown model 'garch'" in res.output
    # the TVP-VAR's Bayes prior is an OLS on its first 200 rows: 30 lags of six series are 181
    # coefficients an equation on 140 rows (it printed a TCI with exit 0 after 72 s)
    res = runner.invoke(app, ["spillover", "--demo", "--model", "tvp", "--lags", "30"])
    assert res.exit_code == 2
    assert "--window 200 is too short for the TVP-VAR's Bayes prior" in res.stderr
    assert "or --lags 10 or fewer" in res.stderr


def test_tvp_window_is_the_prior_window_and_the_means_leave_it_out():
    """``--window`` with ``--model tvp`` is R's window.size (it was ignored without a word).

    The means leave out the readings the prior was fitted on (in sample for the prior).
    """
    docs = {}
    for w in ("150", "300"):
        res = runner.invoke(app, ["spillover", "--demo", "--model", "tvp", "--lags", "1",
                                  "--window", w, "--json"])
        assert res.exit_code == 0, res.output
        docs[w] = json.loads(res.stdout)
    for w, doc in docs.items():
        s, spill = doc["summary"], doc["spillover"]
        assert s["prior_window"] == int(w) and spill["burn_in"] == int(w)
        tci = pd.Series(spill["tci"]).dropna()
        assert s["readings_in_means"] == len(tci) - int(w)
        assert s["tci_mean"] == pytest.approx(tci.iloc[int(w):].mean(), abs=1e-12)
        assert s["tci_mean"] != pytest.approx(tci.mean(), abs=1e-6)
    # another prior: other early readings
    assert docs["150"]["spillover"]["tci"] != docs["300"]["spillover"]["tci"]
    res = runner.invoke(app, ["spillover", "--demo", "--model", "tvp", "--window", "10"])
    assert res.exit_code == 2
    assert "--window 10 is too short for the TVP-VAR's Bayes prior" in res.stderr
    # a prior on every row leaves no reading for the means: refused (it was a traceback)
    rows = len(pd.Series(docs["150"]["spillover"]["tci"]))
    res = runner.invoke(app, ["spillover", "--demo", "--model", "tvp", "--lags", "1",
                              "--window", str(rows)])
    assert res.exit_code == 2 and "a reading after them needs one more" in res.stderr


@pytest.mark.slow
@pytest.mark.realdata
def test_spillover_real_data(real_db):
    # the session's store of ../shared/data (the same JSON as `--data` of the folder, without
    # importing it again: `--data` of the folder is tested in tests/cli/test_every_command.py)
    res = runner.invoke(app, ["spillover", "--db", str(real_db), "--json",
                              "--start", "2019-01-01"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["spillover"]["windows"] > 1000
    assert doc["blocks"]["groups"]["crypto"] == ["btc_pct", "eth_pct"]
    series = doc["blocks"]["net_rates_dollar_to_crypto_daily"]
    assert "net_rates_dollar_to_crypto" not in doc["blocks"]   # the summary's: two-day
    assert len(series) == doc["spillover"]["windows"]
