"""The report's files on disk: a failed write or print leaves nothing half-made or stale."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_a_write_that_fails_leaves_no_temp_file_and_names_the_report(ctx, tmp_path):
    """A report.html that could not be replaced (immutable) gave "error: .../.report-0pfzol2e.html:
    Operation not permitted" and left the 6.5 MB temp file; a full disk left a 3 MB one. Here the
    rename fails for real: ``report.html`` is a folder (holding yesterday's file)."""
    from spillwatch.report import html as report_html

    out = tmp_path / "out"
    (out / "report.html").mkdir(parents=True)
    (out / "report.html" / "yesterday.txt").write_text("yesterday")

    with pytest.raises(OSError) as info:
        report_html.write_report(ctx, out, sections=["health"])
    assert info.value.filename == str(out / "report.html")
    assert info.value.strerror.startswith("the report was not written: ")
    assert sorted(p.name for p in out.iterdir()) == ["report.html"]
    assert (out / "report.html" / "yesterday.txt").read_text() == "yesterday"

    # a write cut short (here a character the file cannot encode: a lone surrogate in the
    # report's title, which ``render`` writes into <title> and <h1>) leaves no temp either
    with pytest.raises(UnicodeEncodeError):
        report_html.write_report(ctx, out, title="spillwatch report \ud800", sections=["health"])
    assert sorted(p.name for p in out.iterdir()) == ["report.html"]


def test_a_chromium_that_fails_is_one_error_line_and_no_stale_pdf(tmp_path):
    """``report --pdf`` with a Chromium that would not start printed playwright's 80-line
    traceback (exit code 1) and left yesterday's report.pdf beside today's report.html."""
    pytest.importorskip("playwright.sync_api")
    from spillwatch.exceptions import SpillwatchError
    from spillwatch.report.pdf import write_pdf

    broken = Path("/bin/false")
    if not broken.is_file():
        pytest.skip("no /bin/false to stand for a Chromium that fails")
    page = tmp_path / "report.html"
    page.write_text("<!DOCTYPE html><html><body><p>today</p></body></html>")
    stale = tmp_path / "report.pdf"
    stale.write_bytes(b"%PDF-1.4 yesterday's report")
    with pytest.raises(SpillwatchError, match=r"Chromium \(/bin/false\) failed printing .*"
                                              r"no PDF was written"):
        write_pdf(page, stale, chromium=broken, timeout_s=20)
    assert not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


@pytest.mark.slow
def test_without_playwright_the_pdf_is_a4_without_the_chart_toolbar(ctx, tmp_path, monkeypatch):
    """Playwright is a dev extra: a desk's ``pip install .`` prints with ``chromium
    --print-to-pdf``, which gave US Letter pages (the README says A4), each chart's toolbar
    printed over it, and the charts laid out at Chromium's default window width."""
    import re
    import sys

    from spillwatch.report.html import write_report
    from spillwatch.report.pdf import write_pdf

    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("Debian's Chromium is not at /usr/bin/chromium")
    rep = write_report(ctx, tmp_path, sections=["stress"])
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)   # as if not installed
    pdf = write_pdf(rep.path, tmp_path / "report.pdf", chromium=chromium, timeout_s=90)
    data = pdf.read_bytes()
    boxes = {tuple(round(float(v)) for v in m.groups()) for m in re.finditer(
        rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)}
    assert boxes == {(595, 842)}, boxes                    # A4 in points, not Letter's 612x792
    page = rep.path.read_text()
    assert "@media print{.modebar-container{display:none}}" in page


def test_a_write_killed_midway_leaves_no_temp_file_for_good(ctx, tmp_path):
    """A ``kill -9`` while the document was written left its ``.report-xxxxxxxx.html`` (0 bytes
    or part of a report) in the folder for good. The next write removes a temp file of this
    report older than an hour (no live write's), not a fresh one (a write in progress) nor
    another report's or another file."""
    import os
    import time

    from spillwatch.report import html as report_html

    out = tmp_path / "out"
    out.mkdir()
    old = out / ".report-k1lled00.html"
    old.write_text("")
    live = out / ".report-wr1t1ng0.html"
    live.write_text("<html>")
    other = out / ".weekly-k1lled00.html"
    other.write_text("")
    mine = out / "notes.html"
    mine.write_text("keep")
    past = time.time() - report_html.ORPHAN_AGE_S - 60
    for p in (old, other, mine):
        os.utime(p, (past, past))
    report_html.write_report(ctx, out, sections=["health"])
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [live.name, other.name, mine.name, "report.html"])


def test_a_report_name_with_brackets_removes_its_own_orphans_and_no_other_report_s(tmp_path):
    """The orphans were found by globbing ``.{stem}-*.html``: a report named ``report[1].html``
    read ``[1]`` as a character class, so its write removed ``report1.html``'s hour-old temp file
    and never its own (``.report[1]-xxxxxxxx.html`` stayed for good)."""
    import os
    import time

    from spillwatch.report import html as report_html

    out = tmp_path / "out"
    out.mkdir()
    own = out / ".report[1]-k1lled00.html"
    other = out / ".report1-k1lled00.html"
    past = time.time() - report_html.ORPHAN_AGE_S - 60
    for p in (own, other):
        p.write_text("")
        os.utime(p, (past, past))
    report_html._remove_orphans(out, "report[1]")
    assert sorted(p.name for p in out.iterdir()) == [other.name]
