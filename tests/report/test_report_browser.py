"""``spillwatch report --demo`` as a user runs it: its HTML renders its charts in a real browser
with the network off, its PDF has its pages, and every chart fits the printed page.

One demo report per test session (the ``demo_report`` fixture, the command with ``--pdf``
where Chromium is) serves every check: each built its own before (about 10 s each).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="session")
def demo_report(session_root: Path) -> Path:
    """The folder ``spillwatch report --demo --json`` wrote (``--pdf`` too, where Chromium is).

    Written once per test session: under pytest-xdist the first process to get here writes it
    (under a file lock) and the others read it.
    """
    import filelock

    out = session_root / "demo-report"
    with filelock.FileLock(str(session_root / "demo-report.lock")):
        if not out.exists():
            partial = session_root / "demo-report.partial"
            args = ["report", "--demo", "--out", str(partial), "--json"]
            if CHROMIUM.exists():
                args.append("--pdf")
            res = CliRunner().invoke(app, args)
            assert res.exit_code == 0, res.output
            doc = json.loads(res.stdout)
            assert doc["failures"] == {}, doc["failures"]
            partial.rename(out)
    return out


def test_the_demo_report_is_self_contained(demo_report):
    html = (demo_report / "report.html").read_text()
    assert "SIMULATED DATA" in html
    # plotly.js is inlined: no script is loaded from the network
    assert not re.search(r"<script[^>]+src=", html)
    assert 'src="https://cdn.plot.ly' not in html
    assert html.count("Plotly.newPlot") >= 3
    # the abbreviations are spelt out once, at the end (TCI, VaR, AUROC, bp were never)
    terms = html[html.index("<section id='terms'>"):html.index("<footer>")]
    for k in ("bp", "TCI", "VaR", "ES", "AUROC", "MOF", "TIC"):
        assert f"<dt>{k}</dt>" in terms, k
    assert "<a href='#terms'>Terms</a>" in html


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not at "
                    "/usr/bin/chromium (apt-get install chromium); --pdf needs it")
def test_the_pdf_has_its_pages(demo_report):
    """``report --pdf``: a PDF of several pages beside the HTML (figures drawn before printing)."""
    data = (demo_report / "report.pdf").read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 20_000
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 2


class _OfflineBrowser:
    """What :func:`~spillwatch.report.pdf.open_for_print` asks of a browser (``new_page``),
    answered with an :class:`OfflinePage`'s page: the print layout drawn with the network off,
    its console errors and requests recorded."""

    def __init__(self, offline) -> None:
        self.offline = offline

    def new_page(self, viewport: dict):
        self.offline.page.set_viewport_size(viewport)
        return self.offline.page


@pytest.fixture(scope="module")
def printed(demo_report, offline_pages):
    """The demo report opened as it is printed (:func:`~spillwatch.report.pdf.open_for_print`)
    in an offline page (:class:`OfflinePage`: ``.page``, ``.errors``, ``.requests``), once for
    the module: the checks below only read it (each opened its own, the report's 84 charts
    drawn three times: about 9 s of Chromium's CPU each)."""
    from spillwatch.report.pdf import open_for_print

    offline = offline_pages()
    open_for_print(_OfflineBrowser(offline), demo_report / "report.html", 120)
    return offline


@pytest.mark.browser
def test_demo_report_renders_offline(printed, tmp_path):
    page = printed.page
    n_divs = page.locator("div.plotly-graph-div").count()
    n_plots = page.locator(".js-plotly-plot .main-svg").count()
    page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
    errors, requests = printed.errors, printed.requests
    assert n_divs >= 3
    assert n_plots >= n_divs  # every figure div got its SVG
    # no chart offers plotly.js 3's default "share" button, which sends its data to Plotly's
    # cloud (one on each of the report's figures, the book's P&L among them)
    page.hover("div.plotly-graph-div >> nth=0")
    try:
        assert page.locator(".modebar-btn").count() > 0
        assert page.locator('.modebar-btn[data-attr="sendChartToCloud"], '
                            '.modebar-btn[data-title="Share chart..."]').count() == 0
    finally:
        page.mouse.move(0, 0)       # the hover left: the page is as the other checks read it
    assert errors == []
    assert all(u.startswith(("file:", "data:", "blob:", "about:")) for u in requests), requests
    assert (tmp_path / "report.png").stat().st_size > 10_000


@pytest.mark.browser
def test_the_pdf_lays_the_charts_out_within_the_page(printed):
    """At a 1200 px layout printed on A4 the wide charts lost their right side (the stress
    index stopped in 2024, the curve lost its 20y and 30y): every chart now fits the page."""
    widths = printed.page.evaluate(
        "() => [...document.querySelectorAll('.plotly-graph-div')].map(d => "
        "[d.querySelector('.main-svg').getBoundingClientRect().right, "
        "d.getBoundingClientRect().right])")
    assert len(widths) >= 10
    a4 = 190 / 25.4 * 96          # A4 less 10 mm margins, in CSS pixels
    assert all(svg <= box + 1 and box <= a4 + 1 for svg, box in widths), widths


@pytest.mark.browser
def test_no_table_widens_the_printed_page(printed):
    """The scorecard's table (1,237 px), the health table (1,042) and four others were wider
    than A4's 718 px: Chromium shrank every page of the PDF to 67% to fit them (6.5 pt text,
    the charts on two thirds of the width)."""
    from spillwatch.report.pdf import PRINT_WIDTH_PX

    wide = printed.page.evaluate(
        "(w) => [...document.querySelectorAll('table')].filter("
        "t => t.getBoundingClientRect().right > w + 1).map(t => "
        "[Math.round(t.getBoundingClientRect().right), t.innerText.slice(0, 40)])",
        PRINT_WIDTH_PX)
    width = printed.page.evaluate("() => document.documentElement.scrollWidth")
    assert wide == []
    assert width <= PRINT_WIDTH_PX + 1
