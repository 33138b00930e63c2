"""The sub-indices' own percentiles are the same numbers on every surface (h_rates1).

`spillwatch stress --json`, /api/stress, the report's stress section and `run`'s headline all
read :func:`spillwatch.service.stress.segments` through the service's summary: on the demo
store their figures are equal, exactly.
"""
import html
import json
import re

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app as cli
from spillwatch.report.context import ReportContext
from spillwatch.report.sections import stress as stress_section
from spillwatch.service import summary as summary_service
from spillwatch.service.workspace import Workspace

KEYS = ("subindex_percentiles", "segments_top_decile", "segments_text", "segments_flag")


@pytest.mark.slow
def test_cli_api_report_and_headline_give_the_same_segment_readings(http, demo_source):
    res = CliRunner().invoke(cli, ["stress", "--demo", "--json"])
    assert res.exit_code == 0, res.output
    said = json.loads(res.output)
    api = http.get("/api/stress").json()
    sec = stress_section.build(ReportContext(Workspace(demo_source)))
    for k in KEYS:
        assert said["summary"][k] == api["summary"][k] == sec.summary[k], k
    pct = said["summary"]["subindex_percentiles"]
    assert set(pct) == {"rates", "dollar", "equity_vol", "credit", "crypto"}
    assert all(v is None or 0.0 < v <= 100.0 for v in pct.values())
    assert pct["rates"] is not None and pct["dollar"] is not None
    assert said["latest"]["subindex_percentiles"] == pct == api["latest"]["subindex_percentiles"]
    # the flag is the sub-indices at or above 90 of their own history
    assert said["summary"]["segments_top_decile"] == [k for k, v in pct.items()
                                                      if v is not None and v >= 90.0]
    # the words: the section's paragraph, the command's line, the headline's flag
    text = html.unescape(re.sub(r"<[^>]+>", "", sec.html))
    assert f"Sub-indices: {said['summary']['segments_text']}." in text
    out = CliRunner().invoke(cli, ["stress", "--demo"]).output
    assert f"sub-indices: {said['summary']['segments_text']}" in " ".join(out.split())
    line = summary_service.headline(Workspace(demo_source), scenarios=False).lines()[0]
    flag = said["summary"]["segments_flag"]
    assert (f"in its own top decile: {flag}" in line) == (flag is not None)
    if flag is not None:
        assert f"In its own top decile: {flag}." in text
