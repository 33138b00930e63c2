"""Keys, units and labels of the dashboard's and report's charts: measured in Chromium on the drawn
SVG (as tests/report/test_drawn_labels_apart.py), figures drawn by the project's own functions."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from report._drawn import BOXES as _BOXES
from report._drawn import WIDTH, draw
from report._drawn import overlap as _overlap

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _draw(offline_page, tmp_path, fig, width: int = WIDTH):
    return draw(offline_page, tmp_path, fig, width, height=1400)


@pytest.fixture(scope="module")
def drawing(offline_pages):
    """The module's one offline page: each test draws the figure it reads into it, replacing the
    one before (:func:`report._drawn.draw`); plotly.js is loaded once, not once a figure (about
    3 s of Chromium's CPU each, against a tenth of a second for a drawing)."""
    return offline_pages()


@pytest.fixture(scope="module")
def drawn(drawing, tmp_path_factory):
    """``drawn(name, figure, width)``: the figure ``figure()`` (built once per name and width for
    the module: the network's and the curve's two tests each read the same figure) drawn in
    :func:`drawing` for the test that asks."""
    figures = {}

    def get(name: str, figure, width: int):
        if (name, width) not in figures:
            figures[name, width] = figure()
        return _draw(drawing, tmp_path_factory.mktemp(name), figures[name, width], width)

    return get


def _network_figure():
    from spillwatch.plotting.spillover import network_figure

    return network_figure(_network_result())


def _network_result():
    """The window of ../shared/data's 2025-12-26 as `spillover` gives it: NET and npdc (pp)."""
    from spillwatch.plotting import connectedness

    names = ["ust2y_bp", "ust10y_bp", "usd_broad_pct", "usdjpy_pct", "btc_pct", "eth_pct"]
    net = pd.Series([5.86, -0.54, -7.49, 4.36, -1.00, -1.20], index=names)
    # npdc[i, j] > 0: j transmits to i on net; arrows as the dashboard drew them
    links = {("ust2y_bp", "ust10y_bp"): 2.6, ("ust2y_bp", "usd_broad_pct"): 3.0,
             ("ust10y_bp", "usd_broad_pct"): 1.6, ("usdjpy_pct", "usd_broad_pct"): 3.52,
             ("ust10y_bp", "eth_pct"): 1.5, ("ust2y_bp", "eth_pct"): 0.6,
             ("ust2y_bp", "btc_pct"): 0.5, ("usdjpy_pct", "ust2y_bp"): 0.4,
             ("usdjpy_pct", "ust10y_bp"): 0.5, ("usdjpy_pct", "btc_pct"): 0.5,
             ("btc_pct", "eth_pct"): 0.6, ("eth_pct", "usdjpy_pct"): 0.4,
             ("eth_pct", "usd_broad_pct"): 0.3, ("usd_broad_pct", "btc_pct"): 0.4,
             ("ust10y_bp", "btc_pct"): 0.4}
    npdc = pd.DataFrame(0.0, index=names, columns=names)
    for (src, dst), v in links.items():
        npdc.loc[dst, src], npdc.loc[src, dst] = v, -v

    class Result:
        date = pd.Timestamp("2025-12-26")

        def __init__(self):
            self.npdc, self.net = npdc, net

        def plot(self, kind):
            return connectedness.network(self.npdc, self.net, title="Net pairwise spillovers")

    return Result()


@pytest.mark.parametrize("width", [WIDTH, 1000])
def test_the_network_has_a_key(drawn, width):
    """The network of 2025-12-26 (dashboard and report) had no key: red, blue, a circle's size
    and an arrow's width were explained nowhere (the hover alone said "NET 5.86")."""
    page = drawn("network", _network_figure, width)
    title = " ".join(t["text"] for t in page.evaluate(_BOXES, "text.gtitle, .gtitle tspan"))
    for words in ("red: net transmitter", "blue: net receiver", "circle size: |NET|",
                  "largest 7.49 pp", "arrow: transmitter → receiver",
                  "width: net pairwise spillover", "widest 3.52 pp"):
        assert words in title, (words, title)


@pytest.mark.parametrize("width", [WIDTH, 1000])
def test_no_arrowhead_of_the_network_is_drawn_on_a_label(drawn, width):
    """The arrowheads into usd_broad_pct and ust10y_bp were drawn on their labels, written
    above the nodes, where the arrows from the nodes above and beside them end."""
    page = drawn("network", _network_figure, width)
    labels = [b for b in page.evaluate(_BOXES, "g.textpoint text") if b["text"]]
    assert len(labels) == 6
    heads = page.evaluate(_BOXES, "g.annotation-arrow-g path[transform]")
    assert len(heads) == 15
    hits = [(lab["text"], i) for lab in labels for i, h in enumerate(heads) if _overlap(lab, h)]
    assert hits == [], f"arrowheads drawn on the labels {hits}"
    # every label inside the figure
    svg = page.evaluate(_BOXES, ".main-svg")[0]
    for lab in labels:
        assert svg["x0"] <= lab["x0"] and lab["x1"] <= svg["x1"], lab


def test_the_dollar_axis_has_its_own_round_ticks_and_its_unit(drawing, tmp_path):
    """The right axis of "10-year yield against the broad dollar" was synced to the yield's
    grid: its ticks read 119.7, 120.47, 121.24, 122.01 (../shared/data's last year, dollar
    119.6-122.3), and its title "broad dollar" gave no unit (H.10's DTWEXBGS: an index,
    January 2006 = 100)."""
    from spillwatch.plotting.market import yield_vs_dollar

    idx = pd.bdate_range("2025-07-01", "2025-12-26")
    rng = np.random.default_rng(3)
    levels = pd.DataFrame({"ust10y_pct": 4.2 + np.cumsum(rng.normal(0, 0.03, len(idx))),
                           "usd_broad_idx": 120.9 + 0.9 * np.sin(np.arange(len(idx)) / 9)},
                          index=idx)
    page = _draw(drawing, tmp_path, yield_vs_dollar(levels), 1000)
    ticks = [t["text"] for t in page.evaluate(_BOXES, "g.y2tick text")]
    assert len(ticks) >= 2, ticks
    values = [float(t) for t in ticks]
    # ticks on a round step (1, 0.5, 0.2 ...), not the yield grid's projection
    assert all(abs(v * 10 - round(v * 10)) < 1e-9 for v in values), ticks
    title = " ".join(t["text"] for t in page.evaluate(_BOXES, "text.y2title"))
    assert "index, Jan 2006 = 100" in title, title


def _curve_levels() -> pd.DataFrame:
    """Par curves of 2026-06-22..07-22 with every tenor ../shared/data's Treasury file holds."""
    from spillwatch import universe

    idx = pd.bdate_range("2026-06-15", "2026-07-22")
    cols = {universe.ASSETS[k].level_column: 3.7 + 0.05 * t ** 0.5
            for k, t in universe.CURVE_TENORS.items()}
    return pd.DataFrame({c: np.full(len(idx), v) for c, v in cols.items()}, index=idx)


def _curve_figure():
    from spillwatch.plotting.market import yield_curve

    note = ("STALE as of 2026-12-05: the latest curve is of 2026-07-22 (136 days; past the "
            "Treasury yields' staleness limit)")
    return yield_curve(_curve_levels(), note=note)


@pytest.mark.parametrize("width", [WIDTH, 1000])
def test_the_curve_labels_every_tenor(drawn, width):
    """The yield curve drew a 1-month point (and a 7-year one) without a tick label: its ticks
    began at 3m."""
    from spillwatch import universe

    page = drawn("curve", _curve_figure, width)
    ticks = [t["text"] for t in page.evaluate(_BOXES, "g.xtick text")]
    tenors = sorted(universe.CURVE_TENORS.values())
    assert len(ticks) == len(tenors) and ticks[0] == "1m" and "7y" in ticks, ticks


@pytest.mark.parametrize("width", [WIDTH, 1000])
def test_the_curves_legend_clears_the_note_and_the_axis_title(drawn, width):
    """In the report the curve's legend row touched the STALE note under it (market.py passed
    no legend_rows); on the dashboard it sat on the axis title "maturity (years)"."""
    page = drawn("curve", _curve_figure, width)
    legend = page.evaluate(_BOXES, "g.legend g.traces text")
    notes = [b for b in page.evaluate(_BOXES, "g.annotation text") if b["text"].startswith("STALE")]
    axis = page.evaluate(_BOXES, "text.xtitle")
    tick_boxes = page.evaluate(_BOXES, "g.xtick text")
    assert legend and notes and axis
    for entry in legend:
        for other in [*notes, *axis, *tick_boxes]:
            assert not _overlap(entry, other, pad=2), (entry["text"], other["text"])
    # the note under the legend, inside the figure
    svg = page.evaluate(_BOXES, ".main-svg")[0]
    assert notes[0]["y0"] >= max(e["y1"] for e in legend)
    assert notes[0]["y1"] <= svg["y1"]


def test_the_alert_timelines_lane_labels_do_not_touch(drawing, tmp_path):
    """The scorecard's alert timeline gave its 20 lanes 45% of the figure, about 13 px a lane
    for 12 px labels: "rule spillover_rates_dollar_to_crypto_high" and its neighbours touched
    (dashboard and report, ../shared/data's backtest of 1990-2026)."""
    from spillwatch.plotting.backtest import timeline

    idx = pd.bdate_range("1990-01-01", "2026-08-21")
    keys = (["spillwatch", "spillwatch_1y"] + [f"rule_{i}" for i in range(15)]
            + ["stlfsi4", "ofr_fsi", "ecb_ciss"])
    kinds = {k: ("index" if k.startswith("spillwatch") else
                 "rule" if k.startswith("rule") else "comparator") for k in keys}
    rng = np.random.default_rng(1)
    on = {k: pd.Series((rng.random(len(idx)) > 0.97).astype(float), index=idx) for k in keys}
    data = {"record": pd.DataFrame({"percentile": rng.uniform(0, 100, len(idx))}, index=idx),
            "on": on, "labels": {k: f"rule spillover_rates_dollar_to_crypto_{k}" for k in keys},
            "kinds": kinds, "headline": "spillwatch",
            "comparators": ["stlfsi4", "ofr_fsi", "ecb_ciss"],
            "episodes": pd.DataFrame({"name": ["covid"], "kind": ["rates"],
                                      "trigger": [pd.Timestamp("2020-02-24")],
                                      "peak": [pd.Timestamp("2020-03-16")], "open": [False]})}
    page = _draw(drawing, tmp_path, timeline(data), 1000)
    lanes = sorted(page.evaluate(_BOXES, "g.y2tick text"), key=lambda b: b["y0"])
    assert len(lanes) == len(keys)
    gaps = [b["y0"] - a["y1"] for a, b in itertools.pairwise(lanes)]
    assert min(gaps) >= 3, f"lane labels {min(gaps):.1f} px apart"
