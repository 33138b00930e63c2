"""Where a chart's note sits and what its title says (h_mut21's mutants of ``plotting.style``)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from spillwatch.plotting.style import base_layout, missing_at_end, note_below


def test_a_note_under_an_axis_title_and_a_legend_clears_both():
    plain = note_below(go.Figure(), "stale since 2026-06-24")
    assert plain.layout.annotations[0].yshift == -8
    under = note_below(go.Figure(), "stale since 2026-06-24", under_axis_title=True,
                       legend_rows=2)
    # under the ticks and the axis title (55 px), and two legend rows (20 px each)
    assert under.layout.annotations[0].yshift == -(55 + 40)
    assert under.layout.margin.b == 30 + 15 + 10 + (95 - 8)


def test_each_line_of_a_note_makes_the_figure_taller():
    fig = go.Figure()
    fig.update_layout(height=300)
    two = note_below(fig, "first paragraph\nsecond paragraph")
    assert two.layout.height == 300 + 2 * 15


def test_a_simulated_figure_says_so_in_its_title():
    fig = base_layout(go.Figure(), "Stress index", simulated=True)
    assert fig.layout.title.text == "Stress index — SIMULATED"
    assert base_layout(go.Figure(), "Stress index").layout.title.text == "Stress index"


def test_a_stacked_series_missing_at_the_end_is_named_from_its_first_missing_day():
    days = pd.date_range("2026-07-06", periods=5, freq="B")
    custody = pd.Series([1.0, 2.0, 3.0, float("nan"), float("nan")], index=days)
    japan = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0], index=days)
    never = pd.Series([float("nan")] * 5, index=days)   # no value in the window: not "since"
    note = missing_at_end({"custody": custody, "Japan private": japan, "hedge": never})
    assert note == "no data, drawn as no share (not as calm): custody since 2026-07-09"
    assert missing_at_end({"Japan private": japan}) is None


def _levels(columns: dict[str, str]) -> pd.DataFrame:
    days = pd.bdate_range("2024-01-01", "2025-04-09")
    out = pd.DataFrame(index=days)
    for col, last in columns.items():
        out[col] = pd.Series(range(1, len(days) + 1), index=days, dtype=float).where(
            days <= pd.Timestamp(last))
    return out


def test_the_yield_and_the_dollar_each_run_to_their_own_last_day_and_say_it():
    from spillwatch.plotting.market import yield_vs_dollar

    lv = _levels({"ust10y_pct": "2025-04-09", "usd_broad_idx": "2025-04-04"})
    fig = yield_vs_dollar(lv)
    names = [tr.name for tr in fig.data]
    assert names == ["10y yield (%), last 2025-04-09", "broad dollar (index), last 2025-04-04"]
    # the window is the year to the later of the two
    assert pd.Timestamp(fig.data[0].x[-1]) == pd.Timestamp("2025-04-09")
    assert pd.Timestamp(fig.data[0].x[0]) == pd.Timestamp("2024-04-09")


def test_the_coins_window_ends_on_the_last_coin_s_day_and_each_starts_at_100():
    from spillwatch.plotting.market import crypto

    lv = _levels({"btc_usd": "2025-04-09", "eth_usd": "2025-04-04"})
    fig = crypto(lv)
    btc = next(tr for tr in fig.data if tr.name.startswith("BTC"))
    assert pd.Timestamp(btc.x[0]) == pd.Timestamp("2024-04-09")
    assert btc.y[0] == 100.0 and btc.y[-1] > 100.0
