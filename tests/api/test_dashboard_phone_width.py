"""On a phone the dashboard's chart titles and notes are wrapped to the chart, not cut at its edge.

At 390 px (a chart of 352) `/?as_of=2022-10-21` on ../shared/data cut the stress gauge's title
after "regime elevated, inde" (285 px of it past the card), the demand dial's after "Japan official
(90" and, on the latest data, each card's STALE note at both ends (h_dash2): the server wraps them
for the report's printed page, 655 px wide. The page wraps them again to the width it draws at.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources

import pytest

from _cut_store import cut_store
from spillwatch.alerts.backtest.vintage import vintage_workspace
from spillwatch.api import actions
from spillwatch.api.views import FIGURES, ViewContext
from spillwatch.data.source import open_source
from spillwatch.service.workspace import Workspace

pytestmark = [pytest.mark.browser, pytest.mark.realdata]

FILES = ("fred/DGS10.csv", "fred/DEXJPUS.csv", "fred/VIXCLS.csv", "fred/BAMLC0A0CM.csv",
         "fred/BAMLH0A0HYM2.csv")

# Each title or note text of the chart in `#gd` that reaches past the chart, and the chart's
# title lines as drawn.
_PAST_THE_EDGE = """() => {
  const box = document.getElementById('gd').getBoundingClientRect();
  const past = [];
  for (const t of document.querySelectorAll('#gd .gtitle, #gd .annotation-text')) {
    const r = t.getBoundingClientRect();
    if (r.left < box.left - 1 || r.right > box.right + 1) past.push(t.textContent);
  }
  const words = [...document.querySelectorAll('#gd .gtitle, #gd .annotation-text')]
    .map((t) => t.textContent).join(' ');
  return {past, words};
}"""


@pytest.fixture(scope="module")
def gauge(shared_data, tmp_path_factory):
    """The stress gauge of the evening of 1998-08-17 as the dashboard's view draws it (its
    reading of 1998-08-14 on these five inputs, and a note under it), on a store of five of
    ../shared/data's files cut to 1990-1998."""
    db = cut_store(shared_data, tmp_path_factory.mktemp("gauge"), FILES, first="1990-01-01",
                   last="1998-08-31")
    day = dt.date(1998, 8, 17)
    with Workspace(open_source(db, read_only=True)) as ws:
        fig = FIGURES["stress_gauge"].draw(ViewContext(vintage_workspace(ws, day), "t",
                                                       as_of=day))
    return fig.to_json()


@pytest.fixture(scope="module")
def phone(chromium):
    """A 390 px page with a chart 352 px wide (a phone's card), plotly.js as the server serves
    it and the dashboard's script."""
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    page.set_content("<div id='gd' style='width:352px'></div>")
    page.add_script_tag(content=actions.plotly_js().decode("utf-8"))
    page.add_script_tag(content=resources.files("spillwatch.api").joinpath(
        "static/dashboard.js").read_text("utf-8"))
    yield page
    page.close()


def test_the_gauge_title_and_note_fit_a_phone(phone, gauge):
    # as the server sent it: the title runs past the chart
    phone.evaluate("f => { const g = JSON.parse(f); return Plotly.newPlot('gd', g.data, "
                   "g.layout, PLOT_CONFIG); }", gauge)
    before = phone.evaluate(_PAST_THE_EDGE)
    assert any(t.startswith("Stress percentile 1998-08-14: regime elevated, index")
               for t in before["past"]), before
    # as the dashboard draws it
    phone.evaluate("f => { const g = JSON.parse(f); const gd = document.getElementById('gd');"
                   " Plotly.purge(gd); return Plotly.newPlot(gd, g.data, "
                   "fitLayout(g.layout, gd.clientWidth), PLOT_CONFIG); }", gauge)
    after = phone.evaluate(_PAST_THE_EDGE)
    assert after["past"] == []
    # every letter is still there, in its order (a line's text joins the next without a space)
    assert "".join(after["words"].split()) == "".join(before["words"].split())
