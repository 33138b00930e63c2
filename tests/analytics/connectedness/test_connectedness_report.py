"""The report's spillover section on the simulated demo market."""

from __future__ import annotations

import json

import pytest

from spillwatch.data.source import open_source
from spillwatch.report.context import ReportContext
from spillwatch.report.sections import SECTION_MODULES
from spillwatch.report.sections import spillover as section


@pytest.fixture(scope="module")
def ctx():
    src = open_source("demo")
    yield ReportContext(src)
    src.close()


def test_section_is_registered():
    assert "spillwatch.report.sections.spillover" in SECTION_MODULES


def test_spillover_section_on_demo(ctx):
    sec = section.build(ctx)
    assert sec is not None
    assert sec.key == "spillover"
    assert len(sec.figures) == 4
    assert "SIMULATED" in sec.figures[0].layout.title.text
    s = sec.summary
    json.dumps(s)
    assert 0 <= s["tci"] <= 100
    assert s["window"] == section.WINDOW
    roll = ctx.cache["spillover_rolling"]
    assert s["net_rates_dollar_to_crypto"] == pytest.approx(roll.blocks().headline.iloc[-1])
    assert "<table" in sec.html
    assert "rates + dollar" in sec.intro


def test_section_skips_without_crypto(tmp_path):
    csv = tmp_path / "DGS10.csv"
    csv.write_text("date,DGS10\n" + "".join(f"2024-01-{d:02d},{4 + d / 100}\n"
                                            for d in range(1, 29)))
    src = open_source(csv)
    try:
        assert section.build(ReportContext(src)) is None
    finally:
        src.close()
