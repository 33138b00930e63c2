"""What a chart prints does not print over something else: measured in Chromium on the drawn SVG.

Each figure is drawn by the project's own plotting function from a small frame, written to a
self-contained page and laid out by Chromium at the report's chart width; the boxes of the texts
that collided are then compared.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from report._drawn import BOXES as _BOXES
from report._drawn import WIDTH, draw
from report._drawn import overlap as _overlap

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def drawing(offline_pages):
    """One offline page for the module: each test's figure replaces the one before it
    (:func:`report._drawn.draw`), plotly.js loaded once, not once a test."""
    return offline_pages()


def _draw(drawing, tmp_path, fig, width: int = WIDTH):
    return draw(drawing, tmp_path, fig, width, height=1200)


def _note_and_ticks(page, start: str):
    notes = [b for b in page.evaluate(_BOXES, "g.annotation text")
             if b["text"].startswith(start)]
    ticks = page.evaluate(_BOXES, "g.xtick text")
    assert notes and ticks
    return notes[0], ticks


def test_the_stress_contributions_note_is_not_printed_on_the_date_ticks(drawing, tmp_path):
    """The chart's note "no data, drawn as no contribution (not as calm): credit since
    2026-01-06" (the dashboard and report of ../shared/data's latest evening) was written 8 px
    under the plot, on the x axis's date labels "Jul 2024 · Jan 2025 · Jul 2025"."""
    from spillwatch.plotting.stress import contributions

    idx = pd.bdate_range("2024-01-01", "2026-01-06")
    n = len(idx)
    credit = pd.Series(0.02, index=idx)
    credit.iloc[-1] = np.nan            # no credit input on the last day

    class Result:
        frame = pd.DataFrame({"stress": np.full(n, 0.1)}, index=idx)

        @staticmethod
        def contributions():
            return pd.DataFrame({"rates": 0.05, "dollar": 0.03, "equity_vol": 0.02,
                                 "credit": credit}, index=idx)

    page = _draw(drawing, tmp_path, contributions(Result()))
    note, ticks = _note_and_ticks(page, "no data, drawn as no contribution")
    hits = [t["text"] for t in ticks if _overlap(note, t)]
    assert hits == [], f"the note overprints the tick labels {hits}"
    # and it stays under the ticks, not off the figure
    assert note["y0"] >= max(t["y1"] for t in ticks) - 1


def test_the_demand_attribution_note_is_not_printed_on_the_date_ticks(drawing, tmp_path):
    """The attribution's note "no data, drawn as no share (not as calm): Japan private since
    2026-03-27; China since 2026-03-25" sat on its date labels (dashboard, latest evening)."""
    from spillwatch.plotting.demand import attribution

    idx = pd.bdate_range("2024-07-10", "2026-07-10")
    n = len(idx)
    jp = pd.Series(0.2, index=idx)
    jp.loc["2026-03-27":] = np.nan
    cn = pd.Series(0.2, index=idx)
    cn.loc["2026-03-25":] = np.nan

    class Result:
        simulated = False
        valid = pd.DataFrame({"percentile": np.full(n, 60.0), "share_custody": 0.3,
                              "share_japan_private": jp, "share_japan_official": 0.2,
                              "share_auctions": 0.1, "share_china": cn}, index=idx)

    page = _draw(drawing, tmp_path, attribution(Result()))
    note, ticks = _note_and_ticks(page, "no data, drawn as no share")
    hits = [t["text"] for t in ticks if _overlap(note, t)]
    assert hits == [], f"the note overprints the tick labels {hits}"


def test_a_wrapped_fan_chart_title_clears_the_subplot_titles(drawing, tmp_path):
    """The report's fan chart of japan-china-coordinated, titled on two lines ("... — japan-
    china-coordinated:" / "japan $119bn / 8w, china $68bn / 8w after 2w"), printed its second
    line across the first subplot's title "10y yield (bp)"."""
    from spillwatch.plotting.scenario import fan_chart

    days = pd.RangeIndex(0, 61)
    band = pd.DataFrame({q: np.linspace(0, k, 61) for q, k in
                         (("q0.01", -90), ("q0.05", -40), ("q0.25", 10), ("q0.5", 40),
                          ("q0.75", 70), ("q0.95", 120), ("q0.99", 170))}, index=days)
    fig = fan_chart({"ust10y": band, "usd_broad": band / 20, "spx": band / 10, "btc": band},
                    title="japan-china-coordinated: japan $119bn / 8w, china $68bn / 8w after 2w",
                    units={"ust10y": "bp", "usd_broad": "%", "spx": "%", "btc": "%"})
    assert "<br>" in fig.layout.title.text        # the title is wrapped at the report's width
    page = _draw(drawing, tmp_path, fig)
    title = page.evaluate(_BOXES, "g.g-gtitle text")
    subtitles = [b for b in page.evaluate(_BOXES, "g.annotation text")
                 if b["text"] in ("10y yield (bp)", "broad dollar (% return)")]
    assert title and len(subtitles) == 2
    hits = [(t["text"], s["text"]) for t in title for s in subtitles if _overlap(t, s)]
    assert hits == [], f"the title overprints a subplot title: {hits}"
    # and is not pushed off the figure's top edge to make room
    top = page.evaluate(_BOXES, ".main-svg")[0]["y0"]
    assert all(t["y0"] >= top for t in title)
