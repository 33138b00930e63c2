"""Assemble sections into one self-contained HTML file (plotly.js inlined: no CDN, no network)."""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import html
import logging
import os
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spillwatch.exceptions import ConfigError, SpillwatchError
from spillwatch.plotting.style import PLOT_CONFIG
from spillwatch.report.context import ReportContext, Section
from spillwatch.report.format import glossary_html
from spillwatch.report.sections import NAMES, SECTIONS

log = logging.getLogger(__name__)

_CSS = """
body{font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;margin:0;color:#222}
header{background:#1f4e79;color:#fff;padding:14px 28px}
header h1{margin:0;font-size:22px} header p{margin:4px 0 0;font-size:13px;opacity:.9}
.sim{background:#c0392b;color:#fff;padding:8px 28px;font-weight:bold;letter-spacing:.5px}
nav{padding:8px 28px;border-bottom:1px solid #ddd;font-size:13px}
nav a{margin-right:14px;color:#1f4e79;text-decoration:none}
section{padding:10px 28px 24px;border-bottom:1px solid #eee}
section h2{font-size:18px;color:#1f4e79} section h3{font-size:14px}
table.data{border-collapse:collapse;font-size:12px;margin:8px 0}
table.data th,table.data td{padding:3px 8px;border-bottom:1px solid #eee;text-align:right}
table.data th{background:#f4f6f8} table.data td:first-child{text-align:left}
dl.terms{font-size:13px;display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}
dl.terms dt{font-weight:bold} dl.terms dd{margin:0}
.failed{background:#fdecea;border:1px solid #c0392b;padding:8px;font-size:13px}
.light-green{color:#1e8449;font-weight:bold}.light-amber{color:#b9770e;font-weight:bold}
.light-red{color:#c0392b;font-weight:bold}
.headline ul{font-size:15px;line-height:1.5;margin:6px 0;padding-left:20px}
tr.stale td{color:#999} tr.stale td:last-child{color:#c0392b;font-weight:bold}
.plotly-graph-div{max-width:100%;overflow:hidden;break-inside:avoid}
p,li,code{overflow-wrap:anywhere}
@media (max-width:600px){section,header,nav{padding-left:10px;padding-right:10px}
 table.data{display:block;overflow-x:auto;max-width:100%}}
@media print,(min-width:601px) and (max-width:800px){table.data{font-size:10px}
 table.data th,table.data td{padding:2px 4px}
 table.data th,table.data td:first-child{overflow-wrap:anywhere}}
footer{padding:14px 28px;font-size:12px;color:#666}
a.skip{position:absolute;left:-9999px;top:0;background:#fff;color:#1f4e79;padding:6px 10px}
a.skip:focus{left:8px;z-index:10}
@page{size:A4;margin:12mm 10mm}
@media print{.modebar-container{display:none}}
"""


@dataclass
class ReportResult:
    """The written report: its path, its sections and any that failed."""

    path: Path
    sections: list[Section]
    failures: dict[str, str] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """Headline numbers of each section."""
        return {s.key: s.summary for s in self.sections}


def build_sections(ctx: ReportContext, keys: list[str] | None = None
                   ) -> tuple[list[Section], dict[str, str]]:
    """Run every section builder; a builder that raises becomes a visible failure, not a crash."""
    sections: list[Section] = []
    failures: dict[str, str] = {}
    for short in keys or list(SECTIONS):
        try:
            sec = SECTIONS[short](ctx)
        except Exception as exc:
            failures[short] = f"{type(exc).__name__}: {exc}"
            if isinstance(exc, SpillwatchError):   # the data lack something: one line
                log.warning("report section %s failed: %s", short, failures[short])
                log.debug("%s", traceback.format_exc())
            else:                                  # a defect: its traceback
                log.exception("report section %s failed", short)
            continue
        if sec is not None:
            sections.append(sec)
    return sections, failures


def _figure_html(fig: Any, idx: int) -> str:
    # named for a screen reader by its title (the chart's SVG alone reads as a heap of tick
    # labels); role=figure, not img, keeps its toolbar's buttons reachable
    title = fig.layout.title.text or f"figure {idx + 1}"
    label = html.escape(" ".join(title.replace("<br>", " ").split()), quote=True)
    body = str(fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"fig{idx}",
                           config=PLOT_CONFIG))
    return f'<div role="figure" aria-label="{label}">{body}</div>'


def render(sections: list[Section], failures: dict[str, str], *, title: str, source: str,
           simulated: bool, generated_at: dt.datetime, as_of: Any) -> str:
    """Render the sections into one HTML document with plotly.js inlined."""
    from plotly.offline import get_plotlyjs

    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{html.escape(title)}</title><style>{_CSS}</style>",
        f"<script type='text/javascript'>{get_plotlyjs()}</script></head><body>",
        # a keyboard reader's first stop skips the header and the contents (the charts'
        # toolbars made the sections hundreds of tab stops away)
        "<a class='skip' href='#main'>Skip to the report</a>",
        f"<header><h1>{html.escape(title)}</h1><p>data: {html.escape(source)} · market as of "
        f"{html.escape(str(as_of))} (the last day half the watch list reports; each section "
        f"states its own date) · generated {generated_at:%Y-%m-%d %H:%M} UTC</p></header>",
    ]
    if simulated:
        parts.append("<div class='sim'>SIMULATED DATA — the demo market, calibrated on real "
                     "data with a planted 'sell America' episode. Not market data.</div>")
    # a section that could not be computed stands in its place and in the contents, under its
    # name (it came last, after "Data health", under its key, "risk", and not in the contents)
    built = {s.key: s for s in sections}
    order = [k for k in SECTIONS if k in built or k in failures]
    order += [k for k in [*built, *failures] if k not in order]
    # every abbreviation the sections use, spelt out once at the end (TCI, VaR, AUROC, OAS,
    # MOF, bp were never said in full)
    words = [*(s.title for s in sections), *(s.intro for s in sections),
             *(s.html for s in sections), *failures.values(),
             *(str(f.layout.title.text or "") for s in sections for f in s.figures)]
    terms = glossary_html("\n".join(words))
    parts.append("<nav>" + "".join(
        f"<a href='#{k}'>{html.escape(built[k].title)}</a>" if k in built else
        f"<a href='#{k}'>{html.escape(NAMES.get(k, k))} (not computed)</a>"
        for k in order) + ("<a href='#terms'>Terms</a>" if terms else "") + "</nav>")
    parts.append("<main id='main' tabindex='-1'>")
    n = 0
    for k in order:
        if k not in built:
            parts.append(f"<section id='{k}'><h2>{html.escape(NAMES.get(k, k))}</h2><div "
                         f"class='failed'>This section could not be computed: "
                         f"{html.escape(failures[k])}</div></section>")
            continue
        s = built[k]
        parts.append(f"<section id='{s.key}'><h2>{html.escape(s.title)}</h2>")
        if s.intro:
            parts.append(f"<p>{html.escape(s.intro)}</p>")
        for fig in s.figures:
            parts.append(_figure_html(fig, n))
            n += 1
        parts.append(s.html)
        parts.append("</section>")
    parts.append(terms)
    parts.append("</main>")
    parts.append("<footer>spillwatch — figures drawn with plotly.js, embedded in this file; "
                 "it opens offline.</footer></body></html>")
    return "\n".join(parts)


def report_target(out: str | Path) -> Path:
    """The file a report given ``out`` is written to, checked before anything is computed.

    ``out`` is a folder that receives ``report.html`` (made if missing), or the file itself when
    its name ends in ``.html``/``.htm`` and it is neither an existing folder nor written with a
    trailing separator (``r.html/``).

    Raises
    ------
    ConfigError
        ``out`` is an existing file whose name does not end in ``.html``, or the folder it
        names would have to be made inside a file.
    """
    path = Path(out)
    # a name ending in a separator is a folder whatever its suffix (``--out r.html/`` wrote
    # the file r.html: Path drops the separator)
    slash = isinstance(out, str) and out.endswith(("/", os.sep))
    if path.suffix.lower() in {".html", ".htm"} and not path.is_dir() and not slash:
        folder, target = path.parent, path
    elif path.exists() and not path.is_dir():
        raise ConfigError(f"--out {out}: is a file, not a folder; give a folder (report.html "
                          "is written in it) or a file name ending in .html")
    else:
        folder, target = path, path / "report.html"
    if target.is_symlink():
        # the link's file is written and the link kept (the report was moved over the link,
        # which became a file of its own while the file it named kept the old report)
        target = Path(os.path.realpath(target))
        folder = target.parent
    blocker = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise ConfigError(f"--out {path}: {blocker} is a file, so no folder can be made in it")
    if blocker is not None:      # a file can be made there (and is removed at once)
        try:
            with tempfile.NamedTemporaryFile(dir=blocker, prefix=".spillwatch-check-"):
                pass
        except OSError as exc:
            raise ConfigError(f"--out {path}: cannot write in {blocker}: "
                              f"{exc.strerror or exc}") from None
    return target


#: A report's temp file older than this is an orphan: a write takes about a second, and only a
#: process killed while writing (``kill -9``, a power cut) leaves one behind.
ORPHAN_AGE_S = 3600.0


def _remove_orphans(folder: Path, stem: str) -> None:
    """Remove the temp files of this report's earlier writes that were killed midway.

    A ``kill -9`` while the document was written left ``.report-xxxxxxxx.html`` (0 bytes or
    part of a report) in the folder for good; a temp file an hour old is no live write's.
    """
    now = dt.datetime.now().timestamp()
    # the stem as written: "report[1]" as a pattern matched ".report1-…" (another report's
    # temp files) and never its own
    for old in folder.glob(f".{glob.escape(stem)}-*.html"):
        with contextlib.suppress(OSError):     # gone already, or not ours to remove
            if old.is_file() and now - old.stat().st_mtime > ORPHAN_AGE_S:
                old.unlink()
                log.info("removed %s, left by a report write that was killed", old)


def write_report(ctx: ReportContext, out_dir: str | Path, *, title: str = "spillwatch report",
                 sections: list[str] | None = None) -> ReportResult:
    """Build every section and write the report atomically (temp file + rename).

    ``out_dir`` is the folder of ``report.html``, or the file's own name if it ends in
    ``.html`` (see :func:`report_target`); the check runs before any section is built.
    """
    target = report_target(out_dir)
    out = target.parent
    out.mkdir(parents=True, exist_ok=True)
    built, failures = build_sections(ctx, sections)
    doc = render(built, failures, title=title, source=ctx.label, simulated=ctx.simulated,
                 generated_at=ctx.generated_at, as_of=ctx.as_of.date() if ctx.as_of else "n/a")
    _remove_orphans(out, target.stem)
    fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{target.stem}-", suffix=".html")
    # a write that fails (a full disk, a report.html that cannot be replaced) leaves no
    # half-written temp file behind, and its error names the report, not the temp file
    # (it said "error: .../.report-0pfzol2e.html: Operation not permitted" and left 6.5 MB)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(doc)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OSError(exc.errno, f"the report was not written: {exc.strerror or exc}",
                          str(target)) from None
        raise
    return ReportResult(target, built, failures)
