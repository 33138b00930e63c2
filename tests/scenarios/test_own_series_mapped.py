"""A series of the user's moves with the watch-list assets it tracks (mapped on them).

A book long a copy of the S&P 500 (an own series: its closes times two) and short the S&P 500
read a 60-day 99% VaR of $31,701 per $1m under japan-10pct as of ../shared/data's end, and a
median of -$4,223, where it is 0 on every path: the copy answered the shock through its own
regression on the structural shocks and drew noise of its own through the copula.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spillwatch import universe
from spillwatch.scenarios import fit_market, selloff

pytestmark = pytest.mark.realdata

PATHS = 4_000           # every path kept: the book's P&L is exact, not binned
NEAR_SD = 0.1           # log-% a day of the near-copy's own noise
SALE = "japan:100e9:8w"
OWN = {"csv:COPY": True, "csv:NEAR": True, "csv:RW": True, "csv:PTS": False,
       "csv:PTS1K": False}


@pytest.fixture(scope="module")
def with_own(panel) -> pd.DataFrame:
    """The real panel with five series of the user's built from it (seeded)."""
    p = panel.copy()
    have = p["spx_pct"].notna()
    rng = np.random.default_rng(1)
    p["csv_copy_pct"] = p["spx_pct"]                       # closes x 2: the same log changes
    p["csv_near_pct"] = p["spx_pct"] + np.where(have, rng.normal(0.0, NEAR_SD, len(p)), np.nan)
    p["csv_rw_pct"] = np.where(have, rng.normal(0.0, 1.0, len(p)), np.nan)
    p["csv_pts_chg"] = 3.0 * p["csv_near_pct"]             # a series in points, and x 1000
    p["csv_pts1k_chg"] = 3000.0 * p["csv_near_pct"]
    own = {k: universe.series_asset(k, positive=pos) for k, pos in OWN.items()}
    p.attrs["assets"] = {**(panel.attrs.get("assets") or {}), **own}
    return p


@pytest.fixture(scope="module")
def market(with_own):
    return fit_market(with_own)


@pytest.fixture(scope="module")
def bare_fit(panel):
    """``fit_market(panel, method=...)``, the watch list's market without the user's series,
    fitted once per method for the module (a frozen ``FittedMarket``, read by the tests)."""
    fits: dict[str, object] = {}

    def fit(method: str = "t-copula"):
        if method not in fits:
            fits[method] = fit_market(panel, method=method)
        return fits[method]
    return fit


@pytest.fixture(scope="module")
def run(market):
    return selloff(SALE).simulate(market, paths=PATHS, seed=3, keep_paths=PATHS)


def _daily(res, key: str) -> np.ndarray:
    x = res.kept_paths[res.market.index(key)].astype(np.float64)     # (days, paths)
    return np.diff(x, axis=0, prepend=0.0)


@pytest.mark.slow
def test_a_copy_of_the_sp500_hedges_to_zero_on_every_path(market, run):
    paths = run.kept_paths
    gap = np.abs(paths[market.index("csv:COPY")] - paths[market.index("spx")]).max()
    assert gap < 1e-4, gap                                  # log-% (float32 arithmetic)
    book = run.portfolio({"csv:COPY": 1.0, "spx": -1.0})    # $1m each way
    assert book.exact
    assert abs(book.var(0.99)) < 1.0 and np.abs(book.samples).max() < 1.0, book.quantiles()
    # before: its response to the sale was its own regression's (median -6.01% vs -5.59%)
    resp = market.response_per_10bp()
    assert resp.loc["csv:COPY", "q0.5"] == pytest.approx(resp.loc["spx", "q0.5"], rel=1e-9)
    m = market.info["mapped"]["csv:COPY"]
    assert m["betas"]["spx"] == pytest.approx(1.0, abs=1e-9)
    assert m["r2"] == pytest.approx(1.0, abs=1e-12)


@pytest.mark.slow
def test_a_near_copy_hedges_to_its_own_noise(run):
    book = run.portfolio({"csv:NEAR": 1.0, "spx": -1.0})
    samples = book.samples
    want = 1e6 * NEAR_SD / 100.0 * np.sqrt(run.horizon)    # $ sd of its own noise over it
    assert samples.std() == pytest.approx(want, rel=0.15), (samples.std(), want)
    bare = run.portfolio({"spx": -1.0}).samples
    assert samples.std() < 0.1 * bare.std()


@pytest.mark.slow
def test_an_unrelated_series_keeps_its_volatility_and_no_correlation(with_own, run):
    """Its paths' daily correlation with the S&P 500 is its history's (-0.03 on the 1,925
    days of the fit: a draw's sample noise), its volatility its own."""
    rw, spx = _daily(run, "csv:RW"), _daily(run, "spx")
    corr = np.corrcoef(rw.ravel(), spx.ravel())[0, 1]
    days = with_own.loc["2018":, ["csv_rw_pct", "spx_pct"]].dropna()
    hist_corr = days.corr().iloc[0, 1]
    assert abs(hist_corr) < 0.1 and abs(corr - hist_corr) < 0.03, (corr, hist_corr)
    hist = float(days["csv_rw_pct"].std())
    assert rw.std() == pytest.approx(hist, rel=0.05), (rw.std(), hist)


def _alone(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """``frame`` with one series of the user's (``key``) and none of the others."""
    drop = [universe.series_asset(k, positive=p).change_column for k, p in OWN.items()
            if k != key]
    out = frame.drop(columns=drop)
    out.attrs["assets"] = {k: a for k, a in frame.attrs["assets"].items()
                           if k == key or k not in OWN}
    return out


@pytest.mark.slow
def test_a_series_scaled_by_c_moves_c_times_as_much(with_own, run):
    """A series in points and the same in thousandths of a point, each alone in its market:
    its mapping and its response to the sale scale by 1000, and its paths' spread (the
    GARCH fit of a residual that is white noise is flat in its persistence and degrees of
    freedom: arch's optimum moves with the last bits of the data, nu 64 against 93 here);
    beside each other the second is the first's copy, path by path."""
    res = [selloff(SALE).simulate(fit_market(_alone(with_own, key)), paths=2_000, seed=9,
                                  keep_paths=2_000) for key in ("csv:PTS", "csv:PTS1K")]
    ma, mb = res[0].market, res[1].market
    np.testing.assert_allclose(mb.mapping[-1], 1000.0 * ma.mapping[-1], rtol=1e-9)
    np.testing.assert_allclose(mb.kernels[:, :, -1], 1000.0 * ma.kernels[:, :, -1], rtol=1e-9,
                               atol=1e-12)
    qs = (0.01, 0.05, 0.5, 0.95, 0.99)
    a = np.quantile(res[0].kept_paths[ma.index("csv:PTS"), -1].astype(np.float64), qs)
    b = np.quantile(res[1].kept_paths[mb.index("csv:PTS1K"), -1].astype(np.float64), qs)
    np.testing.assert_allclose(b, 1000.0 * a, rtol=0.01)
    a = run.kept_paths[run.market.index("csv:PTS")].astype(np.float64)
    b = run.kept_paths[run.market.index("csv:PTS1K")].astype(np.float64)
    np.testing.assert_allclose(b, 1000.0 * a, rtol=1e-4, atol=1e-6 * np.abs(b).max())


@pytest.mark.slow
def test_the_watch_list_assets_answer_the_sale_as_before(bare_fit, market):
    """The named assets' kernels are the identified shock's, with or without own series."""
    bare = bare_fit()
    for i, key in enumerate(bare.assets):
        np.testing.assert_array_equal(market.kernels[:, :, market.index(key)],
                                      bare.kernels[:, :, i])
    # and a mapped series' kernel is its coefficients' combination of theirs
    row = market.mapping[market.index("csv:NEAR")]
    np.testing.assert_allclose(market.kernels[:, :, market.index("csv:NEAR")],
                               market.kernels @ row, rtol=1e-12, atol=1e-15)


@pytest.mark.slow
def test_fhs_too_prices_the_copy_as_the_sp500(with_own):
    m = fit_market(with_own, method="fhs")
    res = selloff(SALE).simulate(m, paths=2_000, seed=5, keep_paths=2_000)
    book = res.portfolio({"csv:COPY": 1.0, "spx": -1.0})
    assert np.abs(book.samples).max() < 1.0


@pytest.mark.slow
def test_a_hedged_copy_beyond_its_history_prints_without_a_caveat(with_own):
    """As of 2020-03-20 the S&P 500's simulated range passes 1.5x its history, and so does its
    copy's: the hedged book's VaR of 0 stopped `scenario --as-of 2020-03-20 --json` on "float
    division by zero" (the caveat's VaR moved by clipping, over a VaR of 0). The copy's log
    changes carry the rounding of a CSV's closes (1e-12), as an imported copy's do."""
    frame = _alone(with_own, "csv:COPY").loc[:"2020-03-20"]
    have = frame["csv_copy_pct"].notna()
    noise = np.random.default_rng(2).normal(0.0, 1e-12, len(frame))
    frame["csv_copy_pct"] = frame["csv_copy_pct"] + np.where(have, noise, np.nan)
    m = fit_market(frame, start="2017-03-20")
    res = selloff(SALE).simulate(m, paths=2_000, seed=1, keep_paths=2_000,
                                 portfolio={"csv:COPY": 1.0, "spx": -1.0})
    book = res.to_dict()["portfolio"]
    assert {"spx", "csv:COPY"} <= set(book["beyond_history"])
    assert book["caveat"] is None and book["lines_note"] is None
    assert abs(book["var"]["0.99"]) < 1.0


@pytest.fixture(scope="module")
def with_late(panel) -> pd.DataFrame:
    """The real panel and a fund of the user's from 2022-01-03: the S&P 500 plus its own noise."""
    p = panel.copy()
    rng = np.random.default_rng(1)
    p["csv_late_pct"] = (p["spx_pct"] + rng.normal(0.0, 0.3, len(p))).where(
        p.index >= "2022-01-03")
    p.attrs["assets"] = {**(panel.attrs.get("assets") or {}),
                         "csv:LATE": universe.series_asset("csv:LATE", positive=True)}
    return p


@pytest.mark.slow
@pytest.mark.parametrize("method", ["t-copula", "fhs"])
def test_a_late_fund_leaves_the_named_assets_as_without_it(bare_fit, with_late, method):
    """A fund from 2022 cut the named assets' dependence sample from 1,925 days to 936 and moved
    BTC's 99th percentile under japan:100e9:8w from 133.1% to 128.0% (t copula), a book of the
    S&P 500 and BTC from a 99% VaR of $447,408 to $448,237: mapped on them, it needs no place
    in their joint sample, and their paths of a seed are those without it."""
    bare, late = bare_fit(method), fit_market(with_late, method=method)
    assert late.info["sample"] == bare.info["sample"]
    assert late.info["days"] == bare.info["days"] > 1_900
    assert late.nu_copula == bare.nu_copula
    sale, book = selloff(SALE), {"spx": 1.0, "btc": 0.5}
    a = sale.simulate(bare, paths=2_000, seed=3, keep_paths=2_000)
    b = sale.simulate(late, paths=2_000, seed=3, keep_paths=2_000)
    for key in bare.assets:
        np.testing.assert_array_equal(b.kept_paths[late.index(key)],
                                      a.kept_paths[bare.index(key)])
    assert b.portfolio(book).var(0.99) == a.portfolio(book).var(0.99)
    # the fund keeps its own mapping: on its own days, whatever the others' sample
    assert late.info["mapped"]["csv:LATE"]["start"] == "2022-01-03"
    own = fit_market(with_late, method=method, start="2022-01-03")
    assert own.info["sample"][0] == "2022-01-03"
    assert late.info["mapped"] == own.info["mapped"]
    assert late.info["mapped"]["csv:LATE"]["r2"] > 0.9
