"""The report renders its charts in a real browser with the network off."""


import pytest

from spillwatch.pipeline import run

pytestmark = [pytest.mark.browser]


@pytest.mark.slow
def test_demo_report_renders_offline(tmp_path, offline_page):
    result = run("demo", out=tmp_path)
    assert result.failures == {}
    page = offline_page.page
    page.goto(result.report.as_uri())
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length > 0")
    n_divs = page.locator("div.plotly-graph-div").count()
    n_plots = page.locator(".js-plotly-plot .main-svg").count()
    page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
    errors, requests = offline_page.errors, offline_page.requests
    assert n_divs >= 3
    assert n_plots >= n_divs  # every figure div got its SVG
    assert errors == []
    assert all(u.startswith(("file:", "data:", "blob:", "about:")) for u in requests), requests
    assert (tmp_path / "report.png").stat().st_size > 10_000
