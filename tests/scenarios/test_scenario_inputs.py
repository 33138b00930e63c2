"""Scenario specs, presets, seller strings and portfolio files: parsing and clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from spillwatch.exceptions import ScenarioError
from spillwatch.scenarios import (
    FALLBACK_HOLDINGS_USD,
    PRESETS,
    Portfolio,
    Seller,
    SelloffScenario,
    parse_seller,
    preset,
    selloff,
)
from spillwatch.scenarios.portfolio import DURATIONS, hist_es, hist_quantile, var_es
from spillwatch.scenarios.selloff import latest_holdings
from spillwatch.scenarios.simulate import Event


def test_parse_seller_forms():
    s = parse_seller("japan:100e9:4w")
    assert (s.country, s.amount_usd, s.weeks, s.start_weeks) == ("japan", 100e9, 4.0, 0.0)
    s = parse_seller("China:10%:8w@2w")
    assert s.amount_usd == pytest.approx(0.1 * FALLBACK_HOLDINGS_USD["china"])
    assert s.start_day == 10
    # day 10 is the first of week 3: the label said "from week 2"
    assert s.label().endswith("/ 8w after 2w")
    # a share of the holdings is kept as one, and sized anew on the holdings run on (TIC's)
    assert s.share == pytest.approx(0.1) and parse_seller("china:76bn").share is None
    whole = parse_seller("japan:100%:26w")             # a share is in (0, 1]: all of it sells
    assert whole.share == 1.0 and whole.amount_usd == FALLBACK_HOLDINGS_USD["japan"]
    tic = SelloffScenario((s, parse_seller("japan:50bn"))).on_holdings({"china": 0.7e12},
                                                                      "TIC, month of 2025-09")
    assert [x.amount_usd for x in tic.sellers] == pytest.approx([70e9, 50e9])
    assert tic.holdings_source == "TIC, month of 2025-09"
    assert parse_seller("japan:1.2tn").amount_usd == pytest.approx(1.2e12)
    assert parse_seller("japan:$80bn:3").weeks == 3.0
    assert parse_seller("japan:0.5bn").amount_usd == pytest.approx(5e8)   # a unit: no slip


@pytest.mark.parametrize("text, match", [
    ("japan:-100e9:4w", "positive"),
    ("atlantis:100e9:4w", "unknown country"),
    ("japan:lots:4w", "cannot read the amount"),
    ("japan", "cannot parse"),
    ("japan:100e9:0w", "positive"),
    ("japan:1e9:1.2.3w", "cannot parse"),           # was a ValueError traceback, exit 1
    ("japan:1e9:4w@1.2.3w", "cannot parse"),
    # a bare number is dollars: this sold $100 ("japan $0bn", +0.0 bp) without a word
    ("japan:100:4w", r"is \$100: amounts are dollars; write billions as e.g. 100e9"),
    # in any unit: this ran a sale of "$0m", exit 0
    ("japan:1e-300%:4w", r"is \$0\.00, below the \$1,000,000 a sale must reach"),
    ("japan:0.0001bn:4w", r"is \$100,000\.00, below the \$1,000,000 a sale must reach"),
])
def test_bad_seller_strings(text, match):
    with pytest.raises(ScenarioError, match=match):
        parse_seller(text)


def test_seller_cannot_sell_more_than_it_holds():
    # on the fallback holdings the check waits for the market the scenario runs on (a store
    # sizes it on its own TIC): simulate() checks it
    fallback = SelloffScenario((Seller("china", 2e12, 4),))
    with pytest.raises(ScenarioError, match="holds only"):
        fallback.check_holdings()
    with pytest.raises(ScenarioError, match="holds only"):
        SelloffScenario((Seller("china", 2e12, 4),), holdings_usd={"china": 1.0e12})
    with pytest.raises(ScenarioError, match="holds only"):      # two legs add up
        SelloffScenario((Seller("japan", 0.6e12, 4), Seller("japan", 0.6e12, 4, 2)),
                        holdings_usd={"japan": 1.0e12})


def test_a_seller_built_directly_keeps_the_floor():
    # Seller("japan", 100.0) and a preset sized on tiny holdings went past the $1m floor
    with pytest.raises(ScenarioError, match=r"a sale of \$100\.00 is below the \$1,000,000"):
        Seller("japan", 100.0)
    with pytest.raises(ScenarioError, match="below the"):
        preset("japan-10pct", holdings_usd={"japan": 5e6, "china": 5e6})


def test_negative_and_zero_amounts():
    with pytest.raises(ScenarioError, match="amount_usd must be a positive"):
        Seller("japan", -5e9)
    with pytest.raises(ScenarioError, match="amount_usd must be a positive"):
        selloff("japan", amount_usd=0.0)


def test_presets_and_holdings():
    assert set(PRESETS) == {"japan-intervention", "japan-10pct", "japan-china-coordinated",
                            "full-dump"}
    held = {"japan": 1.2e12, "china": 0.7e12}
    sc = preset("japan-china-coordinated", held, "test")
    assert [s.country for s in sc.sellers] == ["japan", "china"]
    assert sc.sellers[0].amount_usd == pytest.approx(0.12e12)
    assert sc.only("japan").sellers == (sc.sellers[0],)
    assert 60e9 <= preset("japan-intervention").total_usd <= 100e9
    with pytest.raises(ScenarioError, match="unknown preset"):
        preset("japan-panic")
    lv = pd.DataFrame({"tic_japan_usd_bn": [1100.0, 1185.5, np.nan]},
                      index=pd.date_range("2025-10-31", periods=3, freq="ME"))
    assert latest_holdings(lv) == {"japan": 1185.5e9}


def test_sales_schedule_totals():
    sc = selloff(["japan:100e9:4w", "china:50e9:2w@1w"])
    sales = sc.sales(20)
    assert sales.sum() == pytest.approx(150e9)
    assert sales[:5].sum() == pytest.approx(25e9)                # japan only in week 1


def test_portfolio_from_dict_files_and_errors(tmp_path):
    p = Portfolio({"BTC": 0.5, "ust10y_future": -0.2})
    assert p.notional_usd == {"btc": 500_000.0, "ust10y": -200_000.0}
    toml = tmp_path / "book.toml"
    toml.write_text('kind = "notional"\n[positions]\nbtc = 2e6\nust10y = 5e6\n')
    assert Portfolio.from_file(toml).notional_usd == {"btc": 2e6, "ust10y": 5e6}
    csvf = tmp_path / "book.csv"
    csvf.write_text("asset,weight\neth,0.3\nspx,0.7\n")
    assert Portfolio.from_file(csvf).positions == {"eth": 0.3, "spx": 0.7}
    with pytest.raises(ScenarioError, match="empty"):
        Portfolio({})
    with pytest.raises(ScenarioError, match="empty"):
        Portfolio({"btc": 0.0})
    bad = tmp_path / "bad.csv"
    bad.write_text("asset,weight\nbtc,half\n")
    with pytest.raises(ScenarioError,
                       match=r"bad.csv line 2: the weight of .btc. is .half., not a finite"):
        Portfolio.from_file(bad)
    bad_toml = tmp_path / "bad.toml"
    bad_toml.write_text("btc = 'lots'\n")
    with pytest.raises(ScenarioError, match=r"bad.toml line 1: the position in 'btc' is not "):
        Portfolio.from_file(bad_toml)
    broken = tmp_path / "broken.toml"
    broken.write_text("btc = = 1\n")
    with pytest.raises(ScenarioError, match="not valid TOML"):
        Portfolio.from_file(broken)
    with pytest.raises(ScenarioError, match="unknown asset"):
        Portfolio.coerce({"doge": 1.0}, ["btc", "eth"])
    with pytest.raises(ScenarioError, match="header"):
        (tmp_path / "h.csv").write_text("coin,amount\nbtc,1\n")
        Portfolio.from_file(tmp_path / "h.csv")


def test_book_file_errors_name_the_file_and_line(tmp_path):
    """A book's errors named neither the file nor the line ("unknown asset(s) in the portfolio:
    foo"); Excel's byte-order mark made a correct header read as wrong; value_usd with notional
    positions and a number written as text were taken without a word."""
    def book(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding=encoding)
        return path

    bom = book("bom.csv", "asset,notional_usd\nbtc,1e6\n", encoding="utf-8-sig")
    assert Portfolio.from_file(bom).notional_usd == {"btc": 1e6}
    assert Portfolio.from_file(book("bom.toml", "btc = 0.5\n", encoding="utf-8-sig")
                               ).positions == {"btc": 0.5}
    cases = [
        (book("u.csv", "asset,weight\nbtc,0.5\n\nfoo,0.1\n"), ["btc", "eth"],
         "u.csv line 4: unknown asset(s) in the portfolio: foo"),
        (book("d.csv", "asset,weight\nbtc,0.5\nBTC,0.2\n"), None,
         "d.csv line 3: the portfolio names 'btc' twice ('btc' and 'BTC')"),
        (book("a.toml", "[positions]\nbtc = 0.5\nbitcoin = 0.2\n"), None,
         "a.toml line 3: the portfolio names 'btc' twice"),
        (book("s.toml", 'ust10y = 0.5\n"btc" = "1e6"\n'), None,
         "s.toml line 2: the position in 'btc' is not a number: '1e6'"),
        (book("n.toml", 'kind = "notional"\nvalue_usd = 5e6\nbtc = 0.5\n'), None,
         "n.toml line 2: value_usd scales weights; with kind = \"notional\""),
        (book("k.toml", 'kind = "notionals"\nbtc = 0.5\n'), None,
         "k.toml line 1: portfolio kind must be"),
        (book("v.toml", "value_usd = -1e6\nbtc = 0.5\n"), None,
         "v.toml line 1: value_usd must be a positive number"),
        (book("z.csv", "asset,weight\nbtc,0\n"), None, "z.csv: the portfolio is empty"),
        (book("t.csv", "asset,notional_usd\nbtc,1e-9\n"), None,
         "t.csv line 2: the position in 'btc' is 1e-09 USD"),
        (book("g.csv", "asset,weight\nbtc,200000\n"), None, "g.csv: the weights add up to"),
        # float() read "1_0" as 10 and a full-width digit as a number
        (book("u1.csv", "asset,notional_usd\nbtc,1_0\n"), None,
         "u1.csv line 2: the notional_usd of 'btc' is '1_0', not a finite number"),
        (book("w.csv", "asset,weight\nbtc,\uff11\n"), None,
         "w.csv line 2: the weight of 'btc' is '\uff11', not a finite number"),
        # any other table read as "positions both in [positions] and at the top level"
        (book("t2.toml", "[positions]\nbtc = 0.5\n[other]\nx = 1\n"), None,
         "t2.toml: a book has one table, [positions]; got [other]"),
    ]
    for path, assets, message in cases:
        with pytest.raises(ScenarioError) as err:
            Portfolio.coerce(str(path), assets)
        assert str(err.value).startswith(f"{path}") and message.split(": ", 1)[1] in str(
            err.value), (message, str(err.value))
        assert str(err.value).startswith(str(tmp_path / message.split(":")[0]))
    with pytest.raises(ScenarioError, match="not a number"):
        Portfolio({"btc": "0.5"})              # text is not a position in the Python API too


def test_readme_book_example_reads_as_documented(tmp_path):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    block = readme.split("## A book (`--portfolio`)", 1)[1].split("```toml\n", 1)[1]
    path = tmp_path / "book.toml"
    path.write_text(block.split("```", 1)[0])
    assert Portfolio.from_file(path).notional_usd == {"ust10y": 5e6, "usdjpy": -2e6,
                                                      "btc": 1e6}


def test_durations_are_par_bond_durations():
    assert DURATIONS["ust2y"] == pytest.approx(1.90, abs=0.01)
    assert DURATIONS["ust10y"] == pytest.approx(8.08, abs=0.01)


def test_events_parse():
    e = Event.parse("btc<-20%@10d")
    assert e.below and e.days == 10 and e.level == pytest.approx(100 * np.log(0.8))
    assert Event.parse("ust10y>+50bp").level == 50.0
    with pytest.raises(ScenarioError):
        Event.parse("btc falls a lot")


def test_histogram_quantile_and_es_against_samples(rng):
    x = rng.standard_t(4, 200_000) * 1000.0
    lo, hi, bins = -40_000.0, 40_000.0, 2048
    counts = np.histogram(np.clip(x, lo, hi - 1e-9), bins=bins, range=(lo, hi))[0]
    width = (hi - lo) / bins
    for q in (0.01, 0.05, 0.5, 0.95):
        assert hist_quantile(counts, lo, hi, q)[0] == pytest.approx(np.quantile(x, q), abs=width)
    var, es = var_es(x, 0.99)
    assert hist_es(counts, lo, hi, 0.99) == pytest.approx(es, rel=0.01)
    assert var == pytest.approx(-np.quantile(x, 0.01))


def test_sale_end_day_and_default_horizon():
    from spillwatch.scenarios import default_horizon

    sc = preset("japan-china-coordinated")
    assert [s.end_day for s in sc.sellers] == [40, 50]
    assert sc.sale_end_day == 50 and default_horizon(sc) == 70
    assert SelloffScenario.baseline().sale_end_day == 0


def test_a_half_day_of_a_sale_rounds_up_whatever_the_weeks():
    """``round`` took halves to the even number: a 2.5-week sale ran 12 days (2.4 weeks) and a
    1.5-week one 8 (1.6 weeks), while both printed their weeks as given."""
    from spillwatch.scenarios import parse_seller
    from spillwatch.scenarios.impact import sales_schedule

    for weeks, days in ((0.5, 3), (1.5, 8), (2.5, 13), (3.5, 18), (4.5, 23), (0.7, 4),
                        (0.9, 5), (4, 20)):
        s = parse_seller(f"japan:100e9:{weeks}w@{weeks}w")
        assert (s.start_day, s.end_day) == (days, 2 * days), weeks
        sched = sales_schedule(100e9, weeks, 10)
        assert np.count_nonzero(sched) == days and sched.sum() == pytest.approx(100e9)


def test_closest_preset_to_an_observed_decline():
    from spillwatch.scenarios import closest_preset

    # $75bn out of custody in three weeks: Japan's intervention pace (80bn / 3w)
    m = closest_preset(-75.0, 3)
    assert m.closest == "japan-intervention"
    assert m.table().loc["japan-intervention", "sold_in_window_usd"] == pytest.approx(80e9)
    # the ratio is the preset's amount over the observed one (80 / 75), its distance the log's
    assert m.table().loc["japan-intervention", "ratio_to_observed"] == pytest.approx(80 / 75)
    assert m.table().loc["japan-intervention", "distance"] == pytest.approx(np.log(80 / 75))
    # $170bn over eight weeks: Japan's 10% plus China's first six weeks
    eight = closest_preset(-170.0, 8)
    assert eight.closest == "japan-china-coordinated"
    # of China's eight weeks from week 3, six fall inside the window: 10% of $760bn x 6/8
    assert eight.table().loc["japan-china-coordinated", "sold_in_window_usd"] == pytest.approx(
        0.1 * 1.13e12 + 0.1 * 0.76e12 * 6 / 8)
    assert closest_preset(+12.0, 4).closest == "none"          # holdings rose: no sale
    assert "closest preset" in str(m)
    with pytest.raises(ScenarioError, match="weeks"):
        closest_preset(-10.0, 0)


@pytest.mark.slow
def test_scenarios_do_not_import_interfaces():
    import subprocess
    import sys

    code = ("import sys, spillwatch.scenarios, spillwatch.scenarios._dask\n"
            "print(','.join(m for m in ('typer', 'fastapi', 'rich', 'plotly', 'dask',"
            " 'distributed') if m in sys.modules))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == ""


def _imports(path):
    """Every spillwatch.scenarios module a file imports, at any level (functions, TYPE_CHECKING)."""
    import ast

    tree = ast.parse(path.read_text())
    pkg = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
    if path.name == "__init__.py":
        pkg = pkg.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = pkg.split(".")
                if path.name != "__init__.py":
                    parts = parts[:-1]
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            out.add(base)
            out |= {f"{base}.{a.name}" for a in node.names}
    return {m for m in out if m.startswith("spillwatch.scenarios")}


SRC = __import__("pathlib").Path(__file__).resolve().parents[2] / "src" / "spillwatch"


def test_no_import_cycles_inside_the_scenarios_package():
    """Imports between scenario modules form a DAG (function-level and TYPE_CHECKING included).

    The package's ``__init__`` (which re-exports everything) is left out as a target: a module
    importing ``spillwatch.scenarios.x`` initialises the package, but must not use it.
    """
    files = sorted((SRC / "scenarios").rglob("*.py"))
    names = {}
    for f in files:
        mod = ".".join(f.relative_to(SRC.parent).with_suffix("").parts)
        names[mod.removesuffix(".__init__")] = f
    graph = {m: {t for t in _imports(f) if t in names and t != m and t != "spillwatch.scenarios"}
             for m, f in names.items()}
    # no module imports a package that contains it (that package's __init__ imports it back)
    for m, f in names.items():
        inside = {t for t in names if names[t].name == "__init__.py" and m.startswith(t + ".")}
        assert not (_imports(f) & inside), (m, _imports(f) & inside)
    # find a cycle by DFS
    state: dict[str, int] = {}

    def visit(m, stack):
        state[m] = 1
        for t in graph[m]:
            if t.startswith(m + "."):           # a package importing its own submodules
                continue
            if state.get(t) == 1:
                raise AssertionError(" -> ".join([*stack, m, t]))
            if not state.get(t):
                visit(t, [*stack, m])
        state[m] = 2

    for m in graph:
        if not state.get(m):
            visit(m, [])


def test_alias_table_reproduces_the_weights(rng):
    """Walker's alias table: the implied distribution equals the weights (to rounding)."""
    from spillwatch.scenarios.simulate import alias_table

    w = rng.integers(1, 8, 500).astype(float)
    w /= w.sum()
    prob, index = alias_table(w)
    implied = prob / w.size
    np.add.at(implied, index, (1.0 - prob) / w.size)
    np.testing.assert_allclose(implied, w, atol=1e-15)


def test_max_moves_is_the_largest_fall_and_rise_over_each_window(rng):
    from spillwatch.scenarios.propagation import RISE_WINDOWS, max_moves

    x = pd.Series(rng.standard_t(3, 400) * 2.0)
    x.iloc[[7, 100]] = np.nan                      # a day without a change moves nothing
    got = max_moves(x)
    level = np.concatenate([[0.0], np.cumsum(x.fillna(0.0).to_numpy())])
    for w in RISE_WINDOWS:
        fall = rise = 0.0
        for t in range(len(level)):
            past = level[max(0, t - w):t + 1]
            rise = max(rise, level[t] - past.min())
            fall = max(fall, past.max() - level[t])
        assert got[str(w)] == pytest.approx([fall, rise], abs=1e-9)


def test_assets_whose_tails_pass_their_history_are_named():
    """The 10-year alone was checked: TRUMP's 99% point of +4,939% after a $400 bn sale, or
    a book's crypto tail, came without a word."""
    import re

    from spillwatch.scenarios._format import BEYOND_FACTOR
    from spillwatch.service import scenarios as service
    from spillwatch.service.workspace import Workspace

    with Workspace("demo") as ws:
        spec = service.scenario_spec(ws, sellers=["japan:400e9:4w"])
        res = service.run(ws, spec, paths=3000, seed=5, horizon=60)
    moves = res.market.info["max_moves"]
    warn = next(w for w in res.warnings() if w.startswith("beyond history: the 1%"))
    named = re.findall(r"(\w+) ([+-]\d+)(%| bp) to ([+-]\d+)(?:%| bp) \(history "
                       r"[+-]\d+(?:%| bp) to [+-]\d+(?:%| bp); the line ([+-]\d+)(?:%| bp) to "
                       r"([+-]\d+)(?:%| bp)\)", warn)
    assert named
    for key, lo, _, hi, line_lo, line_hi in named:
        q01, q99 = res.quantiles(key, (0.01, 0.99))
        assert (round(q01), round(q99)) == (int(lo), int(hi))
        # the breach is visible in the units shown: "-80% to +313% (history -61% to +313%)"
        # read as none (the line of a price is 1.5x its move in log terms)
        assert int(lo) <= int(line_lo) or int(hi) >= int(line_hi), (key, warn)
        fall, rise = moves[key]["60"]
        is_yield = bool(res.market.is_yield[res.market.index(key)])
        up = q99 if is_yield else 100 * np.log1p(q99 / 100)
        down = -q01 if is_yield else -100 * np.log1p(q01 / 100)
        assert up > BEYOND_FACTOR * rise or down > BEYOND_FACTOR * fall
    flagged = {k for k, *_ in named}
    for key in set(res.market.assets) - flagged - {"ust10y"}:
        q01, q99 = res.quantiles(key, (0.01, 0.99))
        fall, rise = moves[key]["60"]
        is_yield = bool(res.market.is_yield[res.market.index(key)])
        up = q99 if is_yield else 100 * np.log1p(q99 / 100)
        down = -q01 if is_yield else -100 * np.log1p(q01 / 100)
        assert up <= BEYOND_FACTOR * rise and down <= BEYOND_FACTOR * fall


def test_holdings_of_a_month_ending_on_a_weekend_in_the_library():
    # the library's holdings_from_source read the business-day panel: July 2022 (ending on a
    # Sunday) had no row and June's figure went out labelled "month of 2022-07"
    import pandas as pd

    from spillwatch.scenarios.inputs import holdings_from_source, holdings_of
    from spillwatch.store import Store

    idx = pd.DatetimeIndex(["2022-05-31", "2022-06-30", "2022-07-31"])
    got, label = holdings_of({"tic_japan": pd.Series([1212.7, 1232.7, 1230.7], idx),
                              "tic_china": pd.Series([980.8, 967.8, 970.0], idx)})
    assert label == "TIC, month of 2022-07"
    assert got == {"japan": 1230.7e9, "china": 970.0e9}
    with Store() as store:
        store.register_series([{"series_id": "tic:japan_usd_bn", "name": "Japan", "unit": "usd_bn",
                                "frequency": "monthly", "block": "holdings",
                                "provider": "tic", "symbol": "japan_usd_bn", "positive": True}])
        store.upsert(pd.DataFrame({"series_id": "tic:japan_usd_bn", "ts": idx,
                                   "value": [1212.7, 1232.7, 1230.7]}))
        lib = holdings_from_source(store)
    assert lib[1] == "TIC, month of 2022-07" and lib[0]["japan"] == 1230.7e9


def _demo_changes():
    import spillwatch as sw

    return sw.load("demo")


@pytest.mark.parametrize("how, match", [
    ("twice", r"over the SVAR's sample \(.*\) btc and eth move as one \(correlation "
              r"\+1\.000000"),
    ("units", r"btc and eth move as one .*in other units\?\); the SVAR cannot be estimated"),
    ("flat", r"usdjpy_pct has not moved since .*a frozen feed \(or a pegged rate\)"),
])
def test_a_var_the_data_cannot_identify_names_its_series(how, match):
    """A series loaded twice (or once more in other units), or one that never moves, made the
    SVAR's lag choice stop on numpy's "Singular matrix" with a traceback (exit 1)."""
    from spillwatch.scenarios import fit_market

    panel = _demo_changes().copy()
    if how == "twice":
        panel["eth_pct"] = panel["btc_pct"]
    elif how == "units":
        panel["eth_pct"] = 2.0 * panel["btc_pct"]
    else:
        panel["usdjpy_pct"] = panel["usdjpy_pct"].where(panel["usdjpy_pct"].isna(), 0.0)
    with pytest.raises(ScenarioError, match=match):
        fit_market(panel)


def test_a_frozen_feed_is_refused_with_its_date():
    """Every series unchanged for months: the GARCH volatility collapsed and the Monte Carlo
    stopped on numpy's "no negative elements" (NaN binned) with a traceback."""
    from spillwatch.scenarios import fit_market

    panel = _demo_changes().copy()
    since = panel.index[-31]
    panel.loc[panel.index > since, "spx_pct"] = 0.0
    with pytest.raises(ScenarioError, match=rf"spx_pct has not moved since {since:%Y-%m-%d} "
                                            r"\(its last 30 changes are 0\): a frozen feed"):
        fit_market(panel)


@pytest.mark.parametrize("days, match", [
    (300, r"none has that many \(the most: \w+, 300 days to"),
    (124, r"identified by the sign of \w+'s response, which needs 125 days"),
])
def test_too_little_history_says_what_the_model_needs(days, match):
    """300 days: "needs at least 250 days on which all of  have a change; got 0" (every asset
    was under the 500 of the volatility fits); 124: "the SVAR needs 'spx_pct'; load asset
    'spx'" with the S&P 500 loaded (it was left out as too short)."""
    from spillwatch.exceptions import DataError
    from spillwatch.scenarios import fit_market

    panel = _demo_changes().iloc[-days:]
    with pytest.raises(DataError, match=match):
        fit_market(panel)


def test_a_preset_sized_on_the_fallback_holdings_says_so():
    """A folder of 2016 without TIC sized China's 10% on the spring-2025 $760bn ($76bn; TIC
    read $1,240.8bn then) with no warning."""
    import spillwatch as sw

    res = sw.scenario.run_preset("japan-china-coordinated", "demo", paths=300, seed=1)
    assert res.scenario.holdings_source == "fallback (spring 2025)"
    warn = res.warnings()[0]
    assert warn.startswith("sized on the fallback holdings of spring 2025 (Japan $1,130bn, "
                           "China $760bn, UK $780bn): the data hold no TIC holdings by "), warn
    given = sw.scenario.run_preset("japan-china-coordinated", "demo", paths=300, seed=1,
                                   holdings_usd={"japan": 1.2e12, "china": 1.24e12})
    assert not any(w.startswith("sized on the fallback") for w in given.warnings())



def test_a_restricted_variable_without_data_by_then_says_so():
    """As of 2005 the broad dollar (from 2006) has no changes: the error said "load asset
    'usd_broad'" with it loaded."""
    from spillwatch.exceptions import DataError
    from spillwatch.scenarios import fit_market

    panel = _demo_changes().drop(columns=["usd_broad_pct"])
    with pytest.raises(DataError, match=r"'usd_broad_pct' \(a restricted variable\) and the "
                                        r"data hold none of its changes .* give a later --as-of"):
        fit_market(panel)


def test_the_header_s_model_count_adds_up_to_the_admissible_models():
    # "2,420 identified models" stood beside "Admissible models: 2,426 of 8,000" without a
    # word of the 6 whose 10-year response cannot be inverted
    from spillwatch.scenarios._format import summary_lines
    from spillwatch.service import scenarios as service
    from spillwatch.service.workspace import Workspace

    with Workspace("demo") as ws:
        res = service.run(ws, service.scenario_spec(ws, sellers=["japan:100e9:4w"]),
                          paths=500, seed=3)
    info = res.market.info
    gone = int(info["non_invertible_models"])
    assert info["models"] + gone == res.market.identification.info["admissible"]
    head = " ".join(" ".join(summary_lines(res)[:4]).split())
    assert f"{info['models']:,} identified models" in head
    assert (f"({gone:,} of the {info['models'] + gone:,} admissible left out" in head) == \
        (gone > 0)
