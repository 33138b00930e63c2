"""The report's foreign-demand charts of a store without an input say so under the axis: on a
store of FRED's files alone (custody but no MOF, auction, JGB or TIC file) the gauge, Japan,
auctions and hedge charts were empty axes under titles that claim data, without a word, where
the crypto chart of a store without coins says "no coin in the data" (h_data3)."""

from __future__ import annotations

import pytest

from _cut_store import cut_store
from spillwatch.data.source import open_source
from spillwatch.service import demand as service
from spillwatch.service.workspace import Workspace

pytestmark = pytest.mark.realdata

# custody (a gauge input) and the 10-year: no MOF weekly flows, interventions, auctions, JGBs
FILES = ("fred/WMTSECL1.csv", "fred/DGS10.csv")


def _notes(fig) -> list[str]:
    return [a.text.replace("<br>", " ") for a in fig.layout.annotations or ()]


def test_each_empty_chart_says_what_it_lacks(shared_data, tmp_path):
    db = cut_store(shared_data, tmp_path, FILES, first="2021-01-01", last="2024-12-31")
    with Workspace(open_source(db, read_only=True)) as ws:
        res = service.demand(ws)
        figs = {k: res.plot(k) for k in ("gauge", "attribution", "custody", "japan", "auctions",
                                         "hedge")}
    day = res.frame.index[-1]
    # custody is drawn (its weekly 4-week change and level), with no note of absence
    assert len(figs["custody"].data) == 2
    assert not any("nothing to draw" in n for n in _notes(figs["custody"]))
    # the others draw nothing, and say what is missing where the lines would be, with no
    # axes (a time axis of -1 to 6) nor zero line
    for k in ("gauge", "attribution", "japan", "auctions", "hedge"):
        f = figs[k]
        assert not f.data and not f.layout.shapes, k
        assert f.layout.xaxis.visible is False and f.layout.yaxis.visible is False, k
    assert _notes(figs["japan"]) == [
        "nothing to draw: no MOF weekly flows nor dollars sold in interventions in the data"]
    assert _notes(figs["auctions"]) == ["nothing to draw: no scored auction results in the data"]
    assert _notes(figs["gauge"]) == [
        f"nothing to draw: no reading of the gauge by {day:%Y-%m-%d} (it needs 3 groups with a "
        "current reading)"]
    assert _notes(figs["attribution"]) == [
        f"nothing to draw: no group's share of the gauge by {day:%Y-%m-%d} (the gauge needs 3 "
        "groups with a current reading)"]
    assert _notes(figs["hedge"]) == [
        f"nothing to draw: no hedged pick-up nor UST–JGB spread by {day:%Y-%m-%d}"]


def test_a_gauge_without_a_reading_is_neither_led_nor_ranked(shared_data, tmp_path):
    """Without a reading the report's demand line read "gauge percentile n/a, led by no group"
    (the headline says "no reading" since 74c38fda) and the report and the dashboard's dial
    said "the percentile ranks the gauge of the other 0 among past values" of a store without
    any of the gauge's inputs but custody (h_verify36)."""
    from spillwatch.report.context import ReportContext
    from spillwatch.report.sections import demand as demand_section

    db = cut_store(shared_data, tmp_path, FILES, first="2021-01-01", last="2024-12-31")
    with Workspace(open_source(db, read_only=True)) as ws:
        res = service.demand(ws)
        sec = demand_section.build(ReportContext(ws))
        dial = service.dial(ws, res)
    day = res.frame.index[-1]
    assert sec is not None
    text = " ".join(sec.html.split())
    assert f"<p><b>{day:%Y-%m-%d}</b>: gauge percentile n/a, no reading." in text, text
    assert "led by" not in text and "the percentile ranks" not in text, text
    note = " ".join(_notes(dial))
    assert "unavailable (unknown, not calm): Japan private" in note, note
    assert "the percentile ranks" not in note, note
