"""The README's Python API block runs as written (on the demo market), without a warning, and
gives the commands' numbers where it says it does."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"


def _python_block() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Python API"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


@pytest.mark.slow
def test_the_readme_python_block_runs_and_gives_the_commands_numbers():
    code = _python_block()
    assert 'db = "spillwatch.duckdb"' in code
    # the demo market for the store, and fewer paths (the Monte Carlo's size is not the point)
    code = code.replace('db = "spillwatch.duckdb"', 'db = "demo"').replace("20_000", "2_000")
    env: dict = {}
    exec(compile(code, str(README), "exec"), env)          # filterwarnings=error: none raised
    st, risk = env["st"], env["risk"]
    out = json.loads(CliRunner().invoke(app, ["stress", "--demo", "--json"]).stdout)
    assert st.latest()["stress"] == pytest.approx(out["latest"]["stress"], abs=1e-12)
    res = json.loads(CliRunner().invoke(app, ["risk", "--demo", "--json"]).stdout)
    t = res["var_es"]["table"]
    rows = {(r[0], r[1]): dict(zip(t["columns"], r, strict=True)) for r in t["data"]}
    mine = risk.table().loc[("btc_pct", "historical")]
    assert mine["var"] == pytest.approx(rows[("btc_pct", "historical")]["var"], rel=1e-12)
    assert mine["nobs"] == rows[("btc_pct", "historical")]["nobs"]
    assert env["scen"].var(0.99) > 0


def test_var_and_portfolio_results_plot_as_every_result_does():
    """README: every result has .plot(); VaR/ES and a book's P&L raised NotImplementedError."""
    import spillwatch as sw

    panel = sw.load("demo")
    fig = sw.var_es(panel[["btc_pct", "ust10y_bp"]]).plot()
    assert {tr.name for tr in fig.data} >= {"VaR (historical)", "ES (historical)"}
    res = sw.scenario.run_preset("japan-10pct", "demo", paths=1_000, seed=3, keep_paths=200,
                                 portfolio={"ust10y": 1.0})
    for book in (res.portfolio(), res.portfolio({"btc": 1.0})):   # histogram, then kept paths
        fig = book.plot()
        assert len(fig.data) == 1 and len(fig.data[0].x) > 10
        assert f"{book.var(0.99):,.0f}" in fig.layout.annotations[0].text


def test_the_library_s_dynamic_correlation_is_the_command_s():
    """sw.correlation dropped the rows one market missed where `volatility` merges them into
    the next common day (a 0.0171 against 0.0159 on the real data)."""
    import spillwatch as sw
    from spillwatch.service.risk import CORRELATION_ASSETS

    out = json.loads(CliRunner().invoke(app, ["volatility", "--demo", "--json"]).stdout)
    cor = out["correlation"]
    panel = sw.load("demo", assets=list(CORRELATION_ASSETS), start="2015-01-01")
    mine = sw.correlation(panel, method="dcc")
    assert str(mine.data.index[0].date()) == cor["start"]
    for k in ("a", "b", "loglik"):
        assert mine.params[k] == pytest.approx(cor["params"][k], rel=1e-9), k
    dropped = sw.correlation(panel, method="dcc", incomplete="drop")
    assert len(dropped.data) <= len(mine.data)


@pytest.mark.realdata
@pytest.mark.slow
def test_the_library_s_dynamic_correlation_is_the_command_s_on_real_holidays(real_db):
    import spillwatch as sw
    from spillwatch.data.source import open_source
    from spillwatch.service import risk as risk_service
    from spillwatch.service.risk import CORRELATION_ASSETS
    from spillwatch.service.workspace import Workspace

    with Workspace(open_source(real_db, read_only=True)) as ws:
        cmd = risk_service.correlation(ws).result
    panel = sw.load(real_db, assets=list(cmd.data.columns.str.rsplit("_", n=1).str[0]),
                    start=risk_service.START)
    mine = sw.correlation(panel, method="dcc")
    assert set(cmd.data.columns) <= {f"{a}_{u}" for a in CORRELATION_ASSETS for u in ("pct", "bp")}
    pd.testing.assert_index_equal(mine.data.index, cmd.data.index)
    for k in ("a", "b"):
        assert mine.params[k] == pytest.approx(cmd.params[k], rel=1e-9), k
    # dropping the holiday rows loses their moves: another fit (a 0.0171 against 0.0159)
    dropped = sw.correlation(panel, incomplete="drop")
    assert abs(dropped.params["a"] - mine.params["a"]) > 1e-4


def test_levels_where_changes_are_read_are_refused():
    """sw.var_es of bitcoin's prices read a VaR of -41,327, sw.volatility a next-day
    volatility of 91,649 and sw.connectedness a TCI of 27 on levels, without an error."""
    import spillwatch as sw
    from spillwatch.exceptions import DataError

    lv = sw.load("demo", transform="levels")
    with pytest.raises(DataError, match=r"'btc_usd' is a series of levels; 99% VaR reads daily "
                                        r"changes: .*\(e\.g\. 'btc_pct'\)"):
        sw.var_es(lv["btc_usd"])
    with pytest.raises(DataError, match="'btc_usd' is a series of levels; volatility"):
        sw.volatility(lv["btc_usd"])
    with pytest.raises(DataError, match="'ust10y_pct' is a series of levels; connectedness"):
        sw.connectedness(lv[["ust10y_pct", "btc_usd"]])
    # returns a user computes from the levels carry the panel's flag (pandas copies attrs):
    # they are changes, and read as such
    import numpy as np

    mine = (100.0 * np.log(lv["btc_usd"]).diff()).rename("my_btc_ret")
    assert sw.var_es(mine).table().loc[("my_btc_ret", "historical"), "var"] > 0
    with pytest.raises(DataError, match="no data between 2030-01-01 and the end"):
        sw.load("demo", start="2030-01-01")
