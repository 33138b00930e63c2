"""Data-health section: last point and quarantined count per series."""

from __future__ import annotations

import html

from spillwatch.report.context import ReportContext, Section
from spillwatch.service import health as service


def build(ctx: ReportContext) -> Section | None:
    """Build the data-health section."""
    table = service.health_table(ctx.workspace)
    if table.empty:
        return None
    # counts as every other table prints them (16,647, not 16647)
    counts = {c: "{:,}".format for c in table.select_dtypes("integer").columns}
    body = table.to_html(index=False, classes="data", border=0, escape=True, na_rep="",
                         formatters=counts)
    s = service.summary(ctx.workspace)
    text = (f"<p>{s['series']} series, {s['points']:,} points, {s['quarantined']:,} "
            f"quarantined (see <code>spillwatch data quarantine</code>). Source: "
            f"{html.escape(ctx.label)}.</p>")
    return Section("health", "Data health", html=text + body, summary=s)
