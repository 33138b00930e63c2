"""Data-health section: last point and quarantined count per series."""

from __future__ import annotations

import html

import pandas as pd

from spillwatch.report.context import ReportContext, Section


def health_table(health: pd.DataFrame) -> pd.DataFrame:
    """The data-health table: one row per series with its last point and quarantined count."""
    cols = ["series_id", "name", "provider", "frequency", "first_ts", "last_ts", "points",
            "quarantined", "revisions"]
    frame = health[cols].copy()
    for c in ("first_ts", "last_ts"):
        frame[c] = pd.to_datetime(frame[c]).dt.date
    return frame.rename(columns={"first_ts": "first point", "last_ts": "last point"})


def build(ctx: ReportContext) -> Section | None:
    """Build the data-health section."""
    table = health_table(ctx.health)
    if table.empty:
        return None
    body = table.to_html(index=False, classes="data", border=0, escape=True,
                         na_rep="")
    quarantined = int(table["quarantined"].sum())
    note = (f"<p>{len(table)} series, {int(table['points'].sum()):,} points, "
            f"{quarantined:,} quarantined (see <code>spillwatch data quarantine</code>). "
            f"Source: {html.escape(ctx.label)}.</p>")
    return Section("health", "Data health", html=note + body,
                   summary={"series": len(table), "points": int(table["points"].sum()),
                            "quarantined": quarantined})
