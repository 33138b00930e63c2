"""The headline comes first: in the real-data report and the dashboard, on desktop and phone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from spillwatch.api.limits import RateLimit
from spillwatch.report.context import ReportContext
from spillwatch.report.html import write_report

HIGH = RateLimit(per_second=10_000.0, burst=100_000)
VIEWPORTS = {"desktop": (1400, 1000), "phone": (390, 844)}

pytestmark = [pytest.mark.browser, pytest.mark.realdata, pytest.mark.slow]

#: Where the block sits, what it says, and whether the page fits the viewport's width.
PROBE = """(sel) => {
  const block = document.querySelector(sel);
  const first = document.querySelector('.js-plotly-plot');
  return {top: block.getBoundingClientRect().top + window.scrollY,
          chart: first ? first.getBoundingClientRect().top + window.scrollY : null,
          text: block.innerText,
          overflow: document.documentElement.scrollWidth - window.innerWidth};
}"""


def check(page, selector: str, shots: Path, name: str) -> None:
    got = page.evaluate(PROBE, selector)
    assert got["chart"] is not None and got["top"] < got["chart"], got
    text = got["text"]
    assert "Stress" in text and "signature" in text, text
    assert "spillover" in text and "VaR 99%" in text, text
    assert got["overflow"] <= 1, f"{name}: the page is wider than the screen by " \
                                 f"{got['overflow']} px"
    page.screenshot(path=str(shots / f"{name}.png"), full_page=False)


def test_report_and_dashboard_show_the_headline_first(real_db, tmp_path, chromium,
                                                      live_server_cls):
    from spillwatch.api.app import create_app

    db = tmp_path / "real.duckdb"
    shutil.copyfile(real_db, db)
    shots = tmp_path / "shots"
    shots.mkdir()
    app = create_app(db, token="t" * 24, read_limit=HIGH, write_limit=HIGH, warm=False)
    app.state.views.warm()
    # the report is written from the dashboard's own workspace: one computation for both
    rep = write_report(ReportContext(app.state.views.context().workspace), tmp_path / "report")
    assert rep.failures == {}
    with live_server_cls(app) as server:
        for view, (w, h) in VIEWPORTS.items():
            page = chromium.new_page(viewport={"width": w, "height": h})
            page.goto(rep.path.as_uri())
            page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length > 0")
            check(page, "#headline", shots, f"report-{view}")
            page.goto(f"{server.url}/", wait_until="load")
            page.wait_for_function("() => document.body.dataset.ready === '1'",
                                   timeout=120_000)
            check(page, "#summary-card", shots, f"dashboard-{view}")
            page.close()
    assert len(list(shots.glob("*.png"))) == 4
