"""Risk and volatility say which series are stale, why a t-statistic is missing, and what a
named asset too short for its model can do about it (a risk quant's sweep on real history)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from spillwatch.cli import app as cli
from spillwatch.exceptions import DataError
from spillwatch.service import risk

runner = CliRunner()


@pytest.mark.realdata
def test_a_stale_series_is_named_beside_a_fresh_one(real):
    """BTC ends 2026-01-02, the 10-year runs on: the note read the newest series' date only,
    so `risk --assets ust10y,btc --end 2026-03-01` gave BTC's January VaR without a word."""
    rep = risk.tail_risk(real, assets=("ust10y", "btc"), backtest=False, end="2026-03-01")
    stale = [n for n in rep.notes if "staleness limit" in n]
    assert len(stale) == 1 and "btc_pct (as of 2026-01-02, 58 days before, limit 3)" in stale[0]
    # (the date named as the date asked for: --end, --as-of and the API's as_of alike)
    assert "ust10y_bp (" not in stale[0] and "of 2026-03-01, the date asked for" in stale[0]


@pytest.mark.slow
@pytest.mark.realdata
def test_volatility_forecasts_from_old_data_say_so_in_every_interface(real, real_db):
    vol = risk.volatility(real)
    (stale,) = [n for n in vol.notes if "staleness" in n]
    for col in ("usd_broad_pct", "btc_pct", "ust10y_bp"):
        assert f"{col} (as of" in stale
    # and the weekend its crypto's next change runs over (the data end on a Friday)
    assert len(vol.notes) == 4 and vol.notes[-1] == stale
    res = runner.invoke(cli, ["volatility", "--db", str(real_db), "--correlation", "none"])
    assert res.exit_code == 0, res.output
    assert "staleness limit" in " ".join(res.stdout.split())
    res = runner.invoke(cli, ["volatility", "--db", str(real_db), "--correlation", "none",
                              "--json"])
    assert json.loads(res.stdout)["volatility"]["notes"] == vol.notes
    # the forecasts before the note are the library's own
    assert vol.table().equals(vol.result.table())


@pytest.mark.realdata
def test_a_delta_covar_without_a_standard_error_says_why(real, real_db):
    rep = risk.tail_risk(real, assets=("trump",), backtest=False, q=0.01)
    t = rep.covar.table()["delta_covar_t"]
    assert t.isna().all()
    why = [n for n in rep.notes if "no t-statistic" in n]
    assert len(why) == 1 and "about 2.4 of its 237 days" in why[0]
    res = runner.invoke(cli, ["risk", "--db", str(real_db), "--assets", "trump", "--q", "0.01",
                              "--no-backtest"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.stdout.split())
    assert "t n/a" in text and "t=nan" not in text and "no t-statistic" in text
    # where the data give one, the t stays
    assert risk.tail_risk(real, backtest=False).covar.table()["delta_covar_t"].notna().all()


@pytest.mark.realdata
def test_a_named_asset_too_short_for_its_model_gets_advice_that_can_work(real):
    """TRUMP launched in January 2025: "an earlier start" cannot lengthen its history."""
    for fn in (lambda: risk.tail_risk(real, assets=("trump",), end="2025-06-30"),
               lambda: risk.volatility(real, assets=("trump",), end="2025-06-30")):
        with pytest.raises(DataError, match="Its history begins there: give a later --end"):
            fn()
    with pytest.raises(DataError, match="Give an earlier --start"):
        risk.tail_risk(real, assets=("btc",), start="2025-09-01")


@pytest.mark.parametrize(("command", "extra", "advice"), [
    ("risk", ["--assets", "trump"], "give a later --as-of or leave it out of --assets"),
    ("volatility", ["--assets", "trump"], "give a later --as-of or leave it out of --assets"),
    ("risk", ["--assets", "btc", "--start", "2025-01-01"],
     "Give an earlier --start or a later --as-of."),
])
def test_a_short_history_s_advice_names_the_as_of_it_was_given(command, extra, advice):
    # "give a later --end" after --as-of named an option refused beside it ("give --as-of or
    # --end, not both")
    res = runner.invoke(cli, [command, "--demo", *extra, "--as-of", "2025-06-02"])
    assert res.exit_code == 2, res.output
    text = " ".join(res.output.split())
    assert advice in text and "--end" not in text


def test_an_empty_asset_list_is_an_error_not_the_standard_set():
    for command in ("risk", "volatility", "events"):
        res = runner.invoke(cli, [command, "--demo", "--assets", " , "])
        assert res.exit_code == 2, (command, res.output)
        assert "names no asset" in res.output


@pytest.mark.realdata
def test_the_dcc_joins_a_day_one_market_missed_to_the_next_common_day(real):
    """The DCC kept complete rows only: 34 days since 2018 (Good Friday's bond market, the
    H.10's Columbus Days) lost the other markets' moves, and it counted 121 sell-off days
    where CoVaR, merging such days, counts 122."""
    corr = risk.correlation(real)
    data = corr.result.data
    # Good Friday 2023-04-07: the 10-year rose 9 bp with stocks shut; Monday's row spans both
    assert pd.Timestamp("2023-04-07") not in data.index
    assert data.loc["2023-04-10", "ust10y_bp"] == 11.0
    cv = risk.tail_risk(real, backtest=False).covar.table()
    assert risk.correlation_summary(corr)["selloff_days"] == \
        int(cv.loc[("btc_pct", 0.95), "n_stress_days"]) == 122


@pytest.mark.realdata
def test_the_correlation_is_dated_and_says_when_it_is_stale(real):
    corr = risk.correlation(real)
    head = risk.correlation_summary(corr)
    assert head["as_of"] == "2025-12-26" and head["selloff_threshold_bp"] == 9.0
    # whole basis points tie at the threshold: more than 5% of the rows are sell-off days
    assert head["selloff_share"] == pytest.approx(122 / len(corr.result.data))
    assert head["selloff_share"] > 0.05
    assert len(corr.notes) == 1 and "is as of 2025-12-26" in corr.notes[0]
    assert risk.correlation(real, end="2025-12-31").notes == []


@pytest.mark.slow
@pytest.mark.realdata
def test_the_freshness_table_lists_every_input_of_the_index_and_the_gauge(real):
    """The dashboard's "when each input last reported" had no row for the credit spreads, the
    term premium or the yuan, which the stress index reads and marked stale, nor for Japan's
    intervention reports, which carried the foreign-selling gauge."""
    from spillwatch.service import summary

    head = summary.headline(real, scenarios=False)
    rows = {r["asset"]: r for r in head.inputs}
    assert {"ig_oas", "hy_oas", "term_premium", "usdcny", "interventions"} <= set(rows)
    assert rows["interventions"]["group"] == "foreign-demand inputs"
    res = json.loads(runner.invoke(cli, ["stress", "--json", "--data",
                                         str(real.source.store.path)]).stdout)
    index_inputs = set(res["latest"]["inputs"])
    assert len(index_inputs) >= 12 and "ig_oas" in index_inputs
    assert index_inputs <= set(rows), index_inputs - set(rows)


def test_the_realised_sell_off_correlation_says_it_is_of_standardised_moves():
    """`volatility` called the DCC's realised calm/sell-off figures "what the pair did".

    They are the correlations of the GARCH-standardised moves (the report said so, the command
    did not): on the shared data spx~btc read 0.23 on calm days where the changes' own
    correlation is 0.29. The EWMA's are of the changes themselves.
    """
    from spillwatch.service import risk as service
    from spillwatch.service.workspace import Workspace

    ws = Workspace("demo")
    corr = service.correlation(ws, assets=("ust10y", "spx", "btc"))
    text = str(corr)
    assert "realised: the correlation of the days' GARCH-standardised moves" in text
    st = corr.selloff_table()
    data, z = corr.result.data, corr.result.std_resid
    calm = (data["ust10y_bp"] < data["ust10y_bp"].quantile(service.SELLOFF_QUANTILE)).to_numpy()
    shown = st.loc["spx_pct~btc_pct", "realised_calm"]
    assert shown == pytest.approx(z[calm]["spx_pct"].corr(z[calm]["btc_pct"]), abs=1e-12)
    assert shown != pytest.approx(data[calm]["spx_pct"].corr(data[calm]["btc_pct"]), abs=1e-4)
    ewma = str(service.correlation(ws, assets=("ust10y", "spx", "btc"), method="ewma"))
    assert "realised: the correlation of the days' changes" in ewma


def test_a_user_s_series_is_not_stale_while_its_market_is_shut():
    """A user's 10-year JGB (``mof:jgb_10y``: the Bank of Japan's calendar, stale after 6
    days) in `risk --assets ust10y,mof:jgb_10y --as-of 2019-05-03` read "mof_jgb_10y_bp (as of
    2019-04-25, 8 days before, limit 6)": by the calendar days alone, inside Golden Week
    (04-27..05-06), where MOF posted 04-26's yields on 05-07 in Tokyo and no print was missed.
    The note judges as :meth:`Timing.stale` does; one that missed an open day is still named."""
    import datetime as dt

    from spillwatch import universe
    from spillwatch.service._today import stale_series

    jgb = universe.series_asset("mof:jgb_10y", unit="pct")
    assert jgb.timing.market == "boj" and jgb.timing.stale_after_days == 6
    extra = {jgb.key: jgb}

    def note(last: str, today: str) -> str | None:
        return stale_series({jgb.change_column: last}, simulated=False, what="the VaR",
                            today=dt.date.fromisoformat(today), extra=extra)

    assert note("2019-04-25", "2019-05-03") is None       # 04-26's out on 05-06 (UTC)
    assert note("2019-04-26", "2019-05-06") is None       # 05-07's out on 05-07
    assert note("2019-04-26", "2019-05-08") == (
        "the VaR from a last date past the series' staleness limit, not today's (2019-05-08): "
        "mof_jgb_10y_bp (as of 2019-04-26, 12 days before, limit 6); import or fetch newer "
        "data")
    # a series without figures (an empty column's last date, NaT, as None) is not named;
    # NaT raised TypeError
    assert stale_series({"ust10y_bp": pd.NaT, "btc_pct": None}, simulated=False,
                        what="the VaR", today=dt.date(2025, 4, 11)) is None
    # a watch-list series on the US calendar: a Friday's 10-year is stale a week on
    assert "ust10y_bp (as of 2025-04-04, 7 days before, limit 6)" in stale_series(
        {"ust10y_bp": "2025-04-04"}, simulated=False, what="the VaR",
        today=dt.date(2025, 4, 11))


def test_a_series_without_figures_is_not_stale_however_its_nat_is_spelt():
    """numpy's NaT (a date column read with ``.to_numpy()``) and a NaN (a missing date in an
    object column) mean "no figures" as pandas' NaT does; they raised TypeError."""
    import datetime as dt

    import numpy as np

    from spillwatch.service._today import stale_series

    for missing in (np.datetime64("NaT"), np.datetime64("NaT", "ns"), float("nan"), pd.NA):
        note = stale_series({"btc_pct": missing, "ust10y_bp": pd.Timestamp("2025-04-04")},
                            simulated=False, what="the VaR", today=dt.date(2025, 4, 11))
        assert note == ("the VaR from a last date past the series' staleness limit, not "
                        "today's (2025-04-11): ust10y_bp (as of 2025-04-04, 7 days before, "
                        "limit 6); import or fetch newer data"), repr(missing)
