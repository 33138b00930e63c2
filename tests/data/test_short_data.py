"""A user's own short, sparse or partial data: what each command says of it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import spillwatch as sw


def put(store, sid, dates, values):
    store.upsert(pd.DataFrame({"series_id": sid, "ts": pd.to_datetime(dates), "value": values}))


def test_coin_closes_after_the_treasury_files_last_date_are_kept(store):
    """A user's Treasury curve that stops (2025-07-11 in ../shared/data's par curve) cut
    bitcoin's later closes from every panel: `risk --assets btc` read its VaR "as of
    2025-07-11" (7.62%) from a store whose BTCUSDT ran to 2025-12-31 (6.86% with the BTC file
    alone), and its note asked to "import or fetch newer data" of bitcoin. The calendar's
    span is the 10-year's; a coin's weekdays past it belong to the panel, as a business
    series' do."""
    put(store, "fred:DGS10", ["2024-01-04", "2024-01-05", "2024-01-08"], [4.00, 4.05, 3.95])
    days = pd.date_range("2024-01-04", "2024-01-16", freq="D")
    px = 100.0 * np.exp(np.cumsum(np.linspace(-0.02, 0.03, len(days))))
    put(store, "binance:BTCUSDT", days, px)
    alone = sw.load(store, assets=["btc"])["btc_pct"].dropna()
    with_rates = sw.load(store, assets=["btc", "ust10y"])
    assert alone.index[-1] == pd.Timestamp("2024-01-16")
    assert with_rates["btc_pct"].last_valid_index() == pd.Timestamp("2024-01-16")
    # after the 10-year's last day: the coin's weekdays, its weekend in Monday's change
    tail = with_rates.loc["2024-01-09":, "btc_pct"]
    assert list(tail.index.strftime("%m-%d")) == ["01-09", "01-10", "01-11", "01-12",
                                                  "01-15", "01-16"]
    lv = pd.Series(px, index=days)
    assert tail["2024-01-15"] == pytest.approx(100 * np.log(lv["2024-01-15"] / lv["2024-01-12"]))
    # nor does the 10-year change what bitcoin reads on the days both hold
    pd.testing.assert_series_equal(with_rates["btc_pct"].dropna(), alone, check_freq=False)


def _cut(shared_data, tmp_path, files, start, end="2025-12-31"):
    """The user's folder: ``files`` of ../shared/data cut to [start, end], formats kept."""
    for rel in files:
        lines = (shared_data / rel).read_text().splitlines(keepends=True)
        out = tmp_path / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(lines[0] + "".join(x for x in lines[1:] if start <= x[:10] <= end))
    return tmp_path


@pytest.mark.slow
@pytest.mark.realdata
def test_risk_section_on_one_year_says_why_there_is_no_selloff_table(shared_data, tmp_path):
    """On one year of data (2025) the 10-year has 248 changes, under the correlation's 250, and
    is left out of the DCC fit; the calm vs sell-off table was then an empty frame without its
    interval columns and `report`/`run` printed a traceback, the risk section reading
    "This section could not be computed: KeyError: 'realised_calm_lo'"."""
    from spillwatch.data.source import open_source
    from spillwatch.report.context import ReportContext
    from spillwatch.report.sections import risk as risk_section
    from spillwatch.service import risk as service
    from spillwatch.service.workspace import Workspace

    folder = _cut(shared_data, tmp_path / "user",
                  ["fred/DGS10.csv", "fred/DTWEXBGS.csv", "fred/SP500.csv",
                   "crypto/BTCUSDT.csv", "crypto/ETHUSDT.csv"], "2025-01-01")
    with Workspace(open_source(folder)) as ws:
        corr = service.correlation(ws)
        assert "ust10y_bp" in corr.left_out
        shown = service.selloff_shown(service.selloff_correlations(corr))
        assert len(shown) == 0 and "realised calm 95%" in shown.columns
        sec = risk_section.build(ReportContext(ws))
    assert "No calm vs sell-off table" in sec.html and "248 observations" in sec.html


STRESS_FILES = ["fred/DGS10.csv", "fred/DGS2.csv", "fred/DTWEXBGS.csv", "fred/DEXJPUS.csv",
                "fred/SP500.csv", "fred/VIXCLS.csv"]


@pytest.mark.realdata
def test_headline_says_the_stress_percentiles_rank_against_a_short_history(shared_data, tmp_path):
    """Three years of data (from 2023; the index's readings from 2024-01-05) read
    "Stress calm (percentile 13, all history 13, ...)" in `run`'s headline, and the report's
    stress section said the same, while `spillwatch stress` noted that the percentiles rank
    against 2.0 years of readings: the note was dropped on the way to the headline."""
    import datetime as dt

    from spillwatch.data.source import open_source
    from spillwatch.report.context import ReportContext
    from spillwatch.report.sections import stress as stress_section
    from spillwatch.service import summary
    from spillwatch.service.workspace import Workspace

    folder = _cut(shared_data, tmp_path / "user", STRESS_FILES, "2023-01-01")
    with Workspace(open_source(folder)) as ws:
        lines = summary.headline(ws, today=dt.date(2025, 12, 31), scenarios=False).lines()
        sec = stress_section.build(ReportContext(ws))
    line = next(x for x in lines if x.startswith("Stress "))
    assert "all history" in line
    assert "the percentiles rank this reading against 2.0 years of readings" in line
    assert "2.0 years of readings" in sec.html


@pytest.mark.realdata
def test_headline_says_why_the_stress_index_has_no_reading(shared_data, tmp_path):
    """One year of data (2025) gives the index no reading (each indicator needs 250 days of
    its own history): `run`'s headline had no stress line at all, while the spillover and
    scenarios each said why they were unavailable, and the report's section blamed "burn-in,
    or no fresh inputs" also on data that lacked the dollar altogether."""
    import datetime as dt

    from spillwatch.data.source import open_source
    from spillwatch.service import summary
    from spillwatch.service.workspace import Workspace

    folder = _cut(shared_data, tmp_path / "one_year", STRESS_FILES, "2025-01-01")
    with Workspace(open_source(folder)) as ws:
        lines = summary.headline(ws, today=dt.date(2025, 12, 31), scenarios=False).lines()
    said = [x for x in lines if x.startswith("The stress index unavailable: ")]
    assert len(said) == 1 and "at least 250 days" in said[0] and "import a longer" in said[0]

    no_dollar = [f for f in STRESS_FILES if f not in ("fred/DTWEXBGS.csv", "fred/DEXJPUS.csv")]
    folder = _cut(shared_data, tmp_path / "no_dollar", no_dollar, "2015-01-01")
    from spillwatch.exceptions import DataError
    from spillwatch.report.context import ReportContext
    from spillwatch.report.sections import stress as stress_section
    with Workspace(open_source(folder)) as ws:
        lines = summary.headline(ws, today=dt.date(2025, 12, 31), scenarios=False).lines()
        with pytest.raises(DataError, match=r"required block.*dollar"):
            stress_section.build(ReportContext(ws))
    assert any(x.startswith("The stress index unavailable: ") and "dollar" in x for x in lines)


@pytest.mark.realdata
def test_demand_percentile_says_it_ranks_against_one_year(shared_data, tmp_path):
    """Three years of data (2023-2025): the indicators' own burn-in (52 weeks, 52 auctions)
    takes the first year, and the gauge's percentile on 2026-01-05 (60, "calm" in `run`'s
    headline) ranked it among the 261 readings since 2025-01-06 (157 of them at or below it:
    60.15) with no word of that base, where the stress index says its percentiles' history
    is short."""
    import datetime as dt

    from spillwatch.data.source import open_source
    from spillwatch.service import demand as demand_service
    from spillwatch.service import summary
    from spillwatch.service.workspace import Workspace

    files = ["fred/DGS10.csv", "fred/WMTSECL1.csv", "holdings/mof_weekly_intl_securities.csv",
             "auctions/ust_auctions_notes_bonds.csv"]
    folder = _cut(shared_data, tmp_path / "user", files, "2023-01-01", end="2026-01-05")
    with Workspace(open_source(folder)) as ws:
        res = demand_service.demand(ws)
        summ = demand_service.summary(ws, res)
        lines = summary.headline(ws, today=dt.date(2026, 1, 5), scenarios=False).lines()
    f = res.frame
    day = f["percentile"].last_valid_index()
    g = f.loc[:day, "gauge"].dropna()
    assert f.at[day, "percentile"] == pytest.approx(100 * (g <= g.iloc[-1]).mean())
    short = [n for n in summ["notes"] if n.startswith("the percentile ranks this gauge")]
    assert len(short) == 1 and f"{len(g):,} days since {g.index[0]:%Y-%m-%d}" in short[0]
    line = next(x for x in lines if x.startswith("Foreign selling gauge percentile"))
    assert "years of its readings" in line


@pytest.mark.realdata
def test_scenario_refusal_names_the_series_that_ends_the_sample(shared_data, tmp_path):
    """90 days of data (2025-10-02 to 2025-12-31): the scenario refused with "the data hold 1
    (2025-10-03 to 2025-10-03)" days of the 2-year's changes, of which the folder holds 60;
    the SVAR's sample ends at its variables' earliest last date, gold's (XAUUSD stops on
    2025-10-03), and the message did not say so."""
    from spillwatch.exceptions import DataError

    files = ["fred/DGS2.csv", "fred/DGS5.csv", "fred/DGS10.csv", "fred/DGS30.csv",
             "fred/DTWEXBGS.csv", "fred/DEXJPUS.csv", "fred/SP500.csv", "gold/XAUUSD.csv",
             "crypto/BTCUSDT.csv", "crypto/ETHUSDT.csv"]
    folder = _cut(shared_data, tmp_path / "user", files, "2025-10-02")
    with pytest.raises(DataError) as err:
        sw.scenario.run_preset("japan-10pct", str(folder), paths=200)
    msg = str(err.value)
    assert "the data hold 1 (2025-10-03 to 2025-10-03)" in msg
    assert "the SVAR sample's end 2025-10-03, the last date of gold" in msg
    assert "ust2y to 2025-12-31" in msg


@pytest.mark.realdata
def test_headline_spillover_line_does_not_name_a_dollar_the_data_lack(shared_data, tmp_path):
    """Treasury yields and bitcoin only: `run`'s headline read "Net spillover from rates +
    dollar into crypto +3.19 pp" over the 2-year, the 10-year and BTC (the spillover command
    notes that the table is over 3 series, not 6)."""
    import datetime as dt

    from spillwatch.data.source import open_source
    from spillwatch.service import summary
    from spillwatch.service.workspace import Workspace

    folder = _cut(shared_data, tmp_path / "user",
                  ["fred/DGS2.csv", "fred/DGS10.csv", "crypto/BTCUSDT.csv"], "2021-01-01")
    with Workspace(open_source(folder)) as ws:
        lines = summary.headline(ws, today=dt.date(2025, 12, 31), scenarios=False).lines()
    line = next(x for x in lines if x.startswith("Net spillover"))
    assert line.startswith("Net spillover from rates (the data hold no dollar series) into")


@pytest.mark.realdata
def test_tvp_spillover_year_percentile_leaves_out_the_prior_window(shared_data, tmp_path):
    """`spillover --model tvp` on one year of data (2025): the means leave out the readings
    of the Bayes prior's 200 rows (in sample), but the year's percentile and p95 of the net
    spillover (the alert rule's threshold) were taken over 244 readings, 199 of them those:
    "pctile_252d 0.0" from 45 out-of-prior readings. With fewer out-of-prior readings than
    the 126 the figure needs, it is not given."""
    from spillwatch.data.source import open_source
    from spillwatch.service import spillover as spillover_service
    from spillwatch.service.workspace import Workspace

    folder = _cut(shared_data, tmp_path / "user",
                  ["fred/DGS2.csv", "fred/DGS10.csv", "crypto/BTCUSDT.csv"], "2025-01-01")
    with Workspace(open_source(folder)) as ws:
        summ = spillover_service.spillover(ws, model="tvp").summary_dict()
    n = summ["readings_in_means"]
    assert summ["prior_window"] == 200 and n < 126
    assert summ["net_rates_dollar_to_crypto_history_readings"] == n - 1
    assert "net_rates_dollar_to_crypto_pctile_252d" not in summ
    assert "net_rates_dollar_to_crypto_p95_252d" not in summ
