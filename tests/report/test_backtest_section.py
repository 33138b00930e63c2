"""The scorecard section: its tables and method paragraph, and its figures in Chromium."""

from __future__ import annotations

import pytest

from alerts.backtest.lagged_market import write_lagged_market
from spillwatch.alerts.backtest import load_episodes
from spillwatch.report.context import ReportContext
from spillwatch.report.html import write_report
from spillwatch.report.sections import SECTIONS
from spillwatch.service.workspace import Workspace
from spillwatch.store import Store


def test_section_follows_the_monitors():
    keys = list(SECTIONS)
    assert keys.index("stress") < keys.index("demand") < keys.index("backtest") \
        < keys.index("market")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("bt-report")
    db = out / "lagged.duckdb"
    with Store(db) as store:
        write_lagged_market(store)
    with Workspace(str(db)) as ws:
        return write_report(ReportContext(ws), out, sections=["backtest"])


def test_section_tables_and_method(report):
    assert report.failures == {}
    (sec,) = report.sections
    assert sec.key == "backtest" and len(sec.figures) == 3
    html = report.path.read_text()
    for e in load_episodes():
        assert f"<td>{e.name}</td>" in html
    for label in ("St. Louis Fed STLFSI4", "OFR FSI", "ECB CISS", "Method and limits",
                  "false alarms / year", "AUROC, N=20"):
        assert label in html
    assert "median_lead_vs_stlfsi4_bdays" in sec.summary


@pytest.mark.slow
@pytest.mark.browser
def test_section_renders_in_chromium(report, tmp_path, offline_page):
    page = offline_page.page
    page.goto(report.path.as_uri())
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length === 3")
    svgs = page.locator("#backtest .js-plotly-plot .main-svg").count()
    lanes = page.locator("#fig0 .scatterlayer .trace").count()
    page.screenshot(path=str(tmp_path / "backtest.png"), full_page=True)
    assert offline_page.errors == []
    assert svgs >= 3
    assert lanes >= 5          # the index and one lane per signal
