"""``scenario --explain`` says when the data give no slope of the 10-year on the selling (h_data2).

README: ``--explain`` "sets beside the literature's impact the data's own slope of the
10-year's weekly change on the week's published selling". On ../shared/data without its
foreign-demand files (no MOF weekly flows, no Fed custody) the paragraph ended on the
literature's range and left the slope out without a word.
"""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

FILES = ("DGS2", "DGS5", "DGS10", "DGS30", "DTWEXBGS", "DEXJPUS", "SP500")


def test_explain_says_the_slope_is_not_measured_without_flows(shared_data, tmp_path):
    (tmp_path / "fred").mkdir()
    for name in FILES:
        shutil.copy(shared_data / "fred" / f"{name}.csv", tmp_path / "fred" / f"{name}.csv")
    out = CliRunner().invoke(app, ["scenario", "japan-10pct", "--data", str(tmp_path),
                                   "--paths", "200", "--seed", "1", "--explain"])
    assert out.exit_code == 0, out.output
    text = " ".join(out.stdout.split())
    assert ("to over 100 bp on impact (Ahmed & Rebucci 2022). Not measured on these data: the "
            "10-year's weekly change on the week's published selling needs 104 weeks of MOF's "
            "weekly flows or of the Fed's custody holdings, which these data do not give by "
            "then.") in text
    assert "Measured on these data" not in text
