"""The scenario's state line names the date the joint sample and the identified shock end."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app


@pytest.mark.slow
@pytest.mark.realdata
def test_state_line_says_where_a_stale_series_ends_the_joint_sample(real_db):
    """As of 2025-12-31 gold's file had stopped on 2025-10-03 (stale, limit 6 days) and the
    fit's joint sample and identified shock ended there (``fit.sample``, ``fit.svar.end``,
    ``ends_at: gold``), yet the explanation said "the joint sample and the identified shock
    end on 2025-12-26, the last date every asset that is not stale reports", beside its own
    "Sample: noise fitted 2018-01-03 to 2025-10-03"."""
    res = CliRunner().invoke(app, ["scenario", "japan-10pct", "--db", str(real_db),
                                   "--as-of", "2025-12-31", "--paths", "1000", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    fit = doc["fit"]
    assert fit["joint_end"] == "2025-12-26" and fit["series"]["gold"]["stale"]
    assert fit["sample"][1] == fit["svar"]["end"] == "2025-10-03"
    assert fit["svar"]["ends_at"] == "gold"
    text = " ".join(doc["explain"].split())
    said = re.findall(r"the joint sample and the identified shock end on (\S+?),", text)
    assert said == ["2025-10-03"], said
    assert ("end on 2025-10-03, gold's last date: a stale series in them holds them back "
            "from 2025-12-26") in text


@pytest.mark.slow
@pytest.mark.realdata
def test_state_line_unchanged_when_no_stale_series_ends_the_sample(japan_8w_2020_03_20_stdout):
    """On 2020-03-20 the dollar (H.10, a week late) ends the joint sample on 03-13, the date
    every fresh asset reports: the line says that date, as before (``scenario --seller
    japan:100bn:8w --as-of 2020-03-20 --paths 1000 --json``)."""
    doc = json.loads(japan_8w_2020_03_20_stdout)
    text = " ".join(doc["explain"].split())
    assert ("the joint sample and the identified shock end on 2020-03-13, the last date every "
            "asset that is not stale reports") in text
    assert "holds them back" not in text
