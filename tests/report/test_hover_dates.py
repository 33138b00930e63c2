"""A daily chart's hover names the day it reads, whatever span the chart covers."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_ten_year_stress_chart_hover_names_the_day(offline_page, tmp_path):
    """The stress index chart (dashboard card and report, ten years of daily readings) is hovered
    as one x-unified label whose header plotly formats at the axis's tick level: on the evening
    of 2022-10-21 it read "Oct 2020 · stress index: 0.115 (percentile 57)", a value of one day
    under a month's name. The header now gives the date of the reading."""
    from spillwatch.plotting.stress import stress_index

    idx = pd.bdate_range("2012-10-22", "2022-10-21")
    n = len(idx)
    rng = np.random.default_rng(3)

    class Result:
        frame = pd.DataFrame({"stress": rng.uniform(0.05, 0.4, n),
                              "percentile": rng.uniform(0, 100, n),
                              "regime": "calm"}, index=idx)

    fig = stress_index(Result())
    fig.update_layout(width=662)
    path = tmp_path / "fig.html"
    path.write_text(fig.to_html(include_plotlyjs=True, full_html=True), encoding="utf-8")
    page = offline_page.page
    page.set_viewport_size({"width": 700, "height": 600})
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_selector(".main-svg")
    box = page.evaluate("""() => { const gd = document.querySelector('.js-plotly-plot');
        const fl = gd._fullLayout, r = gd.getBoundingClientRect();
        return [r.left + fl.margin.l + fl.xaxis._length * 0.8,
                r.top + fl.margin.t + fl.yaxis._length * 0.5]; }""")
    page.mouse.move(*box)
    page.wait_for_selector(".hoverlayer .legend, .hoverlayer g.hovertext", timeout=5000)
    label = page.evaluate("() => document.querySelector('.hoverlayer').textContent")
    day = re.search(r"\d{4}-\d{2}-\d{2}", label)
    assert day, f"the hover names no day: {label!r}"
    # and the value beside it is that day's
    v = Result.frame.loc[day.group(0), "stress"]
    assert f"{v:.3f}" in label, (label, v)
    assert offline_page.errors == []
