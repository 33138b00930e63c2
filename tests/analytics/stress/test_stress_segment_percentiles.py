"""Each sub-index ranked within its own history, and flagged in its own top decile (h_rates1).

The composite (Holló, Kremer & Lo Duca 2012) averages its segments: a rout of the Treasury
market alone read "calm, percentile 72" on 2023-10-19 beside "rates 0.79", with nothing saying
that 0.79 was the rates segment's 96th percentile. Each sub-index is now ranked as the
composite is (the age-weighted recursive ECDF of Boudoukh, Richardson & Whitelaw 1998, on the
days the index is published, up to the day ranked).
"""
import numpy as np
import pandas as pd

from spillwatch.analytics.stress import SUBINDEX_COLUMNS, compute
from spillwatch.service import stress as service

HALF_LIFE = 25.0     # short, so that the age weights matter
BURN = 60


def _market(n=900, seed=3):
    """Three joint episodes (rates, dollar and equities at 4x), then eight days of a rout in
    the Treasury market alone (the 10-year at 6x, the dollar and equities calm)."""
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range("2015-01-01", periods=n, name="date")
    joint = np.ones(n)
    for a in (200, 500, 750):
        joint[a:a + 30] = 4.0
    rates = joint.copy()
    rates[-8:] = 6.0
    return pd.DataFrame({"ust10y_bp": rng.normal(0, 5, n) * rates,
                         "usd_broad_pct": rng.normal(0, 0.3, n) * joint,
                         "spx_pct": rng.normal(0, 1.0, n) * joint}, index=idx)


def _own_percentile(x, half_life):
    """100 x the weighted share of past-and-present values at or below today's (weights 2^(s/h)),
    NaN in the burn-in: written out, value by value."""
    out = np.full(len(x), np.nan)
    for t in range(BURN - 1, len(x)):
        w = 2.0 ** (np.arange(t + 1) / half_life)
        out[t] = 100.0 * w[x[:t + 1] <= x[t]].sum() / w.sum()
    return out


def test_each_sub_index_is_ranked_within_its_own_published_history():
    res = compute(_market(), burn_in=BURN, half_life=HALF_LIFE)
    read = res.frame[res.frame["stress"].notna()]
    own = res.segment_percentiles
    assert list(own.columns) == list(SUBINDEX_COLUMNS)
    for seg in ("rates", "dollar", "equity_vol"):
        x = read[seg].to_numpy()
        assert not np.isnan(x).any()
        want = _own_percentile(x, HALF_LIFE)
        np.testing.assert_allclose(own.loc[read.index, seg].to_numpy(), want, rtol=0, atol=1e-9)
    # off the published days nothing is ranked; credit and crypto have no input here
    assert own.loc[res.frame["stress"].isna()].isna().all().all()
    assert own[["credit", "crypto"]].isna().all().all()


def test_a_treasury_rout_the_composite_averages_is_flagged_in_its_segment():
    res = compute(_market(), burn_in=BURN)
    last = res.latest()
    assert last["date"] == "2018-06-13"
    pct = last["subindex_percentiles"]
    assert round(pct["rates"], 1) == 99.6          # the rout, at the top of its own history
    assert round(pct["dollar"], 1) == 52.7 and round(pct["equity_vol"], 1) == 61.6
    assert pct["credit"] is None and pct["crypto"] is None
    assert round(last["percentile"], 1) == 84.2    # the composite, below its top decile
    said = service.segments(last)
    assert said["segments_top_decile"] == ["rates"]
    assert said["segments_flag"] == "rates 1.00 (percentile 99 of its own history: Treasury stress)"
    assert said["segments_text"] == (
        "rates 1.00 (percentile 99: Treasury stress), dollar 0.52 (percentile 52), "
        "equity_vol 0.70 (percentile 61), credit n/a, crypto n/a; percentiles within each "
        "sub-index's own history, age-weighted as the index's")
    # what `stress` prints under its headline
    assert str(res).splitlines()[1] == f"sub-indices: {said['segments_text']}"


def test_a_window_keeps_the_whole_history_s_ranks():
    res = compute(_market(), burn_in=BURN)
    cut = res.since("2018-01-02")
    assert cut.segment_percentiles.index[0] == pd.Timestamp("2018-01-02")
    pd.testing.assert_frame_equal(cut.segment_percentiles,
                                  res.segment_percentiles.loc["2018-01-02":])
    assert cut.latest()["subindex_percentiles"] == res.latest()["subindex_percentiles"]


def test_no_flag_below_the_top_decile():
    last = {"subindices": {"rates": 0.6, "dollar": 0.4, "equity_vol": None},
            "subindex_percentiles": {"rates": 89.99, "dollar": 12.0, "equity_vol": None}}
    said = service.segments(last)
    assert said["segments_top_decile"] == [] and said["segments_flag"] is None
    assert said["segments_text"] == ("rates 0.60 (percentile 89), dollar 0.40 (percentile 12), "
                                     "equity_vol n/a; percentiles within each sub-index's own "
                                     "history, age-weighted as the index's")


def test_no_rank_uses_a_later_day():
    m = _market()
    full = compute(m, burn_in=BURN).segment_percentiles
    part = compute(m.iloc[:600], burn_in=BURN).segment_percentiles
    assert part["rates"].notna().sum() > 400
    pd.testing.assert_frame_equal(part, full.iloc[:600], rtol=0, atol=1e-9)
