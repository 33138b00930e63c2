"""The headline and the dial say when the gauge's percentile leaves out a group read (h_data2).

On 2010-06-01 (../shared/data replayed) `demand` said "the percentile is the gauge's without
foreign official custody: with it the gauge has under 250 business days of history to be ranked
against", custody being 84% of the gauge's evidence; `run`'s headline read "Foreign selling
gauge percentile 27 on 2010-06-01, calm (largest part of the evidence: foreign official
custody)" and the dial "27 pct", neither saying that custody was not in the percentile. On
../shared/data cut to its last three years the same happened to Japan official (78%) with
MOF's intervention record.
"""

from __future__ import annotations

import datetime as dt

import pytest

from _evening import evening

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

NOTE = ("the percentile is the gauge's without foreign official custody: with it the gauge "
        "has under 250 business days of history to be ranked against")


def test_headline_and_dial_say_the_percentile_leaves_custody_out(real_db):
    from spillwatch.report.context import ReportContext
    from spillwatch.report.sections import demand as demand_section
    from spillwatch.service import demand as demand_service
    from spillwatch.service import summary

    day = dt.date(2010, 6, 1)
    with evening(real_db, day) as then:
        res = demand_service.demand(then)
        head = demand_service.headline(then, today=day)
        notes = demand_service.summary(then, res)["notes"]
        dial = demand_service.dial(then, res)
        lines = summary.headline(then, today=day, scenarios=False).lines()
        section = demand_section.build(ReportContext(then))
    last = res.latest()
    assert last["percentile_groups"] == ["japan_private", "japan_official", "china"]
    assert last["top_group"] == "custody" and last["shares"]["custody"] == pytest.approx(
        0.84, abs=0.005)
    assert head is not None and round(head["percentile"]) == 27
    assert head["ranked_without"] == NOTE and NOTE in notes
    text = " ".join(a.text for a in dial.layout.annotations if a.text).replace("<br>", " ")
    assert NOTE in " ".join(text.split())
    # custody, 84% of the evidence, is not in the percentile: the other groups' 27 is no calm
    # reading (the line said "calm (largest part of the evidence: foreign official custody)")
    line = next(x for x in lines if x.startswith("Foreign selling gauge percentile"))
    assert line.startswith("Foreign selling gauge percentile 27 on 2010-06-01, not ranked with "
                           "its largest part, foreign official custody: not a calm reading; "), line
    assert "calm (" not in line and line.endswith(f"; {NOTE}.")
    assert head["top_group_ranked"] is False
    title = " ".join(dial.layout.title.text.replace("<b>", "").replace("</b>", "")
                     .replace("<br>", " ").split())
    assert ("2010-06-01: not ranked with its largest part, foreign official custody (84% of "
            "the gauge's evidence): not a calm reading" in title), title
    summary_line = res.summary().splitlines()[0]
    assert ("(percentile 27, not ranked with its largest part, foreign official custody: not "
            "a calm reading)" in summary_line), summary_line
    assert section is not None and (
        "gauge percentile 27, not ranked with its largest part, <b>foreign official custody</b>: "
        "not a calm reading." in section.html)
