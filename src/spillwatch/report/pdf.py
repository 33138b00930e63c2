"""Print the HTML report to PDF with headless Chromium (Debian's ``chromium``; nothing downloaded).

Playwright drives the browser when it is installed: it opens the report, waits until every plotly
figure has drawn, then calls ``page.pdf()``. Without Playwright, Chromium's own
``--headless --print-to-pdf`` prints it, with a virtual-time budget for the figures to draw.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from spillwatch.config import settings
from spillwatch.exceptions import ConfigError, SpillwatchError

log = logging.getLogger(__name__)

CHROMIUM_ENV = "SPILLWATCH_CHROMIUM"
#: Flags for a headless Chromium that stays off the network and needs no GPU or sandbox.
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic")


#: A4's width less the 10 mm margins, in CSS pixels (96 per inch): 190 mm.
PRINT_WIDTH_PX = round(190 / 25.4 * 96)


def find_chromium(path: str | Path | None = None) -> Path:
    """Locate Chromium: ``path``, ``$SPILLWATCH_CHROMIUM``, ``chromium`` on PATH, /usr/bin/chromium.

    Raises
    ------
    ConfigError
        No Chromium found (with the install command), or a path given (``--chromium`` or
        ``$SPILLWATCH_CHROMIUM``) that is not a file: it was passed over for the default.
    """
    # the option wins over the variable; whichever is given must be there
    given, what = (path, "--chromium") if path else (settings().chromium, CHROMIUM_ENV)
    if given and not Path(given).is_file():
        raise ConfigError(f"{what} {given}: no such file; give the path of the Chromium "
                          "executable (e.g. /usr/bin/chromium)")
    if given:
        return Path(given)
    for cand in (shutil.which("chromium"),
                 shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if cand and Path(cand).exists():
            return Path(cand)
    raise ConfigError("--pdf needs Chromium, which was not found; install it with "
                      "`apt-get install chromium` (Debian/Ubuntu) or set "
                      f"{CHROMIUM_ENV}=/path/to/chromium")


def write_pdf(html_path: str | Path, pdf_path: str | Path, *,
              chromium: str | Path | None = None, timeout_s: float = 60.0) -> Path:
    """Print ``html_path`` to ``pdf_path`` (A4, backgrounds on) and return the PDF's path.

    Raises
    ------
    ConfigError
        No Chromium.
    SpillwatchError
        Chromium failed or wrote no PDF.
    """
    exe = find_chromium(chromium)
    src = Path(html_path).resolve()
    out = Path(pdf_path).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    # an earlier run's PDF goes first: a print that fails left yesterday's report.pdf beside
    # today's report.html, for whoever sends the folder on
    out.unlink(missing_ok=True)
    try:
        import playwright.sync_api
    except ImportError:
        _print_cli(exe, src, out, timeout_s)
    else:
        try:
            _print_playwright(exe, src, out, timeout_s)
        except playwright.sync_api.Error as exc:   # its TimeoutError is one too
            # a Chromium that would not start or a figure that never drew: one line, not
            # playwright's 80-line traceback with exit code 1
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SpillwatchError(f"Chromium ({exe}) failed printing {src}: {first}; "
                                  f"no PDF was written") from None
    if not out.exists() or out.stat().st_size == 0:
        raise SpillwatchError(f"Chromium wrote no PDF at {out}")
    return out


def _print_playwright(exe: Path, src: Path, out: Path, timeout_s: float) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(exe), headless=True,
                                     args=list(CHROMIUM_ARGS))
        try:
            page = open_for_print(browser, src, timeout_s)
            # a temp name of its own: two reports printed at once to one folder shared
            # ".report.pdf.part"
            fd, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.stem}-", suffix=".pdf")
            os.close(fd)
            tmp = Path(name)
            try:
                page.pdf(path=str(tmp), format="A4", print_background=True,
                         margin={"top": "12mm", "bottom": "12mm", "left": "10mm",
                                 "right": "10mm"})
                os.chmod(tmp, 0o644)
                os.replace(tmp, out)
            finally:
                tmp.unlink(missing_ok=True)
        finally:
            browser.close()


def open_for_print(browser: Any, src: Path, timeout_s: float) -> Any:
    """Open the report in a Playwright ``browser`` as it is printed, figures drawn.

    Laid out at the page's printable width (:data:`PRINT_WIDTH_PX`): at 1200 px the charts
    (responsive; the graph div capped at 100% and clipped) lost their right side on A4.
    """
    page = browser.new_page(viewport={"width": PRINT_WIDTH_PX, "height": 1000})
    page.goto(src.as_uri(), wait_until="load", timeout=timeout_s * 1000)
    # every figure div has drawn its SVG once plotly is done
    page.wait_for_function(
        "() => [...document.querySelectorAll('.plotly-graph-div')]"
        ".every(d => d.querySelector('.main-svg'))", timeout=timeout_s * 1000)
    page.emulate_media(media="screen")
    return page


def _print_cli(exe: Path, src: Path, out: Path, timeout_s: float) -> None:
    with tempfile.TemporaryDirectory(prefix="spillwatch-chromium-") as profile:
        # laid out at the printable width as the Playwright path is (the charts draw at the
        # window's width: at Chromium's default they lost their right edge on the page)
        cmd = [str(exe), "--headless", *CHROMIUM_ARGS, f"--user-data-dir={profile}",
               f"--window-size={PRINT_WIDTH_PX},1000",
               "--run-all-compositor-stages-before-draw", "--virtual-time-budget=15000",
               "--no-pdf-header-footer", f"--print-to-pdf={out}", src.as_uri()]
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s,
                                 check=False)
        except subprocess.TimeoutExpired:
            raise SpillwatchError(f"Chromium did not print {src} within {timeout_s:.0f} s"
                                  ) from None
    if res.returncode != 0:
        raise SpillwatchError(f"Chromium failed ({res.returncode}) printing {src}: "
                              f"{res.stderr.strip()[-400:]}")
