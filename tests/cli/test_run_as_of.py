"""`spillwatch run --as-of D`: the whole job replayed on the evening of D."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app


@pytest.mark.realdata
def test_run_as_of_judges_every_reading_on_that_evening(real_db, tmp_path):
    # on a store cut on 2020-03-18 the headline judged every input against the clock (2,449
    # days stale) and read the gauge weeks after the data end; --as-of replays that evening
    res = CliRunner().invoke(app, ["run", "--db", str(real_db), "--as-of", "2020-03-18",
                                   "--out", str(tmp_path / "r"), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    head = doc["sections"]["summary"]
    assert doc["as_of"] == "2020-03-18" and head["today"] == "2020-03-18"
    text = " ".join(head["lines"])
    assert "STALE" not in text and "Stale inputs" not in text
    assert text.startswith("Stress crisis (percentile 100")
    assert "Foreign selling gauge percentile 86 on 2020-03-18, led by foreign official " \
           "custody" in text
    html = (tmp_path / "r" / "report.html").read_text()
    assert "market as of 2020-03-18 (" in html
    assert "days before today" not in html        # no section judged against the clock
    bad = CliRunner().invoke(app, ["run", "--db", str(real_db), "--as-of", "2031-01-01",
                                   "--out", str(tmp_path / "r2")])
    assert bad.exit_code == 2 and "is after the newest data" in bad.stderr
