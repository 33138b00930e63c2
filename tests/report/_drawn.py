"""Draw a figure in Chromium at the report's chart width and measure its texts' boxes."""

from __future__ import annotations

#: The report's chart width in its print layout (tests/report/test_title_width.py: 662 px).
WIDTH = 662

BOXES = """sel => Array.from(document.querySelectorAll(sel)).map(e => {
  const r = e.getBoundingClientRect();
  return {text: e.textContent, x0: r.left, x1: r.right, y0: r.top, y1: r.bottom};
})"""


#: Replace the figure a page drew with another (its ``to_html`` without plotly.js): the page's
#: plotly.js, loaded with the first figure, draws it.
_REDRAW = """html => {
  for (const gd of document.querySelectorAll('.js-plotly-plot')) Plotly.purge(gd);
  const range = document.createRange();
  range.selectNodeContents(document.body);
  document.body.replaceChildren(range.createContextualFragment(html));
}"""


def draw(offline_page, tmp_path, fig, width: int = WIDTH, height: int = 1200):
    """The figure written to a self-contained page and laid out by Chromium at ``width``.

    On a page that drew a figure before, the new one replaces it in the same document (the
    figure's own ``to_html``, run by the plotly.js already there): loading plotly.js again
    costs about 2.5 s of Chromium's CPU a page, drawing a figure a tenth of a second.
    """
    page = offline_page.page
    seen = len(offline_page.errors)     # a shared page's errors of a draw before are not this one's
    fig.update_layout(width=width)
    page.set_viewport_size({"width": width + 40, "height": height})
    if page.evaluate("() => window.Plotly === undefined"):
        path = tmp_path / "fig.html"
        path.write_text(fig.to_html(include_plotlyjs=True, full_html=True), encoding="utf-8")
        page.goto(path.as_uri(), wait_until="load")
    else:
        page.evaluate(_REDRAW, fig.to_html(include_plotlyjs=False, full_html=False))
    page.wait_for_selector(".main-svg")
    assert offline_page.errors[seen:] == []
    return page


def overlap(a: dict, b: dict, pad: float = 0.0) -> bool:
    """Whether two boxes (``x0, x1, y0, y1``) overlap, or come within ``pad`` px."""
    return (a["x0"] < b["x1"] + pad and b["x0"] < a["x1"] + pad
            and a["y0"] < b["y1"] + pad and b["y0"] < a["y1"] + pad)
