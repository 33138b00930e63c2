"""Summary block: the headline first — freshness of every input, stress, spillover, worst VaR."""

from __future__ import annotations

import html

from spillwatch.report.context import ReportContext, Section
from spillwatch.service.summary import headline


def build(ctx: ReportContext) -> Section | None:
    """Build the summary block (always present: it says what is missing too)."""
    h = headline(ctx.workspace)
    items = "".join(f"<li>{html.escape(line)}</li>" for line in h.lines())
    rows = "".join(
        f"<tr class='{'stale' if r['stale'] else 'fresh'}'><td>{html.escape(r['group'])}</td>"
        f"<td>{html.escape(r['name'])}</td><td>{r['last']}</td><td>{r['days_old']}</td>"
        f"<td>{'stale' if r['stale'] else 'fresh'}</td></tr>" for r in h.inputs)
    table = ("<table class='data freshness'><thead><tr><th>input</th><th>series</th>"
             "<th>last report</th><th>days old</th><th>state</th></tr></thead><tbody>" + rows
             + "</tbody></table>")
    body = (f"<div class='headline' id='headline'><ul>{items}</ul></div>"
            f"<details><summary>Freshness of each input (as of {h.today})</summary>{table}"
            "</details>")
    return Section("summary", "Headline", html=body, summary=h.to_dict())
