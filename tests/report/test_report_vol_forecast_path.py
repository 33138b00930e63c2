"""The report's volatility table says which forecast path each row reads."""

from __future__ import annotations

import html
import re

import pytest

from spillwatch.service import risk as service


@pytest.mark.slow
def test_the_report_s_volatility_table_says_a_median_path_forecast(ctx):
    """The risk section's table gave EGARCH-t rows' vol_10d and vol_cum_10d with no word that
    they are the median path's (the CLI says "(median path: ...)", the API's summary
    ``forecast: median``): on ../shared/data spx, btc and eth read so, unlabelled."""
    from spillwatch.report.sections import risk as risk_section

    vol = service.volatility(ctx.workspace)
    want = vol.table()["forecast"]
    assert (want == "median").any() and (want == "mean").any()
    sec = risk_section.build(ctx)
    text = html.unescape(re.sub(r"<[^>]+>", " ", sec.html))
    start = text.index("Volatility forecasts from each series' last date")
    head = text[start:text.index(")", text.index("per day", start) + 200) + 1]
    assert "forecast" in head.split("per day;")[-1]
    block = text[start:start + 3000]
    for key, way in want.items():
        row = re.search(re.escape(str(key))
                        + r"\s+\d{4}-\d{2}-\d{2}\s+[a-z-]+(?:\s+\S+){8}\s+(mean|median)", block)
        assert row is not None and row.group(1) == way, key
