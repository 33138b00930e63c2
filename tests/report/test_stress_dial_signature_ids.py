"""The stress dial writes the signature's names in words and the series it waits for by their
ids, as the regime line beside it and the headline do."""

from __future__ import annotations

from _dial_result import dial_result


def test_the_dial_names_the_leg_it_waits_for_by_its_id():
    """`/api/figures/stress_gauge?as_of=2019-02-15` read "signature unavailable (the last day
    with both legs, 2019-02-08, read flight to quality; usd broad reported to 2019-02-08)": the
    whole text's underscores made words, the broad dollar's id ``usd_broad`` among them, where
    the regime line above it and the headline say "usd_broad reported to 2019-02-08"."""
    from spillwatch.plotting.gauge import stress_gauge

    res = dial_result({"date": "2019-02-15", "stress": 0.078, "percentile": 45.9,
                       "percentile_longrun": 31.2, "regime": "calm", "fresh": True,
                       "stale": [], "week_ago_percentile": None, "regime_held": None},
                      signature="unavailable", signature_last="flight_to_quality",
                      signature_last_date="2019-02-08",
                      signature_waiting={"usd_broad": "2019-02-08"})
    title = stress_gauge(res).layout.title.text.replace("<br>", " ")
    assert ("signature unavailable (the last day with both legs, 2019-02-08, read flight to "
            "quality; usd_broad reported to 2019-02-08)") in title, title
    # a signature read on the reading's day is in words as before
    res = dial_result({"date": "2025-04-09", "stress": 0.408, "percentile": 97.2,
                       "percentile_longrun": 96.1, "regime": "crisis", "fresh": True,
                       "stale": [], "week_ago_percentile": None, "regime_held": None},
                      signature="sell_america", signature_last_date="2025-04-09")
    assert "signature sell america" in stress_gauge(res).layout.title.text.replace("<br>", " ")
