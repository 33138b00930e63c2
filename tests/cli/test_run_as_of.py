"""`spillwatch run --as-of D`: the whole job replayed on the evening of D."""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from spillwatch.cli import app


@pytest.mark.slow
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
    # (86.6: MOF's weekly flows of a week whose Thursday MOF was shut now enter a business
    # day later, as published; 86.4 before; 85 since the auction tail waits for its 52
    # scored auctions, which moves the five-group composition's run-in; 86 since China's
    # reserves count net of their valuation; 88 since MOF's weekly flows enter on the
    # Wednesday evening they are out, 23:50 UTC: the week to 03-14, a net sale of ¥990bn: the
    # same as `demand --as-of 2020-03-18`; 86 since TIC's China line counts net of its
    # valuation, which moves the China group's history; 92 since a TIC change across one of
    # its series breaks, June 2002-2011, is no flow: China's +$244 bn of June 2010 had
    # widened the yardstick of its flows' z; 91.55 printed rounded down, as its bands read it,
    # since session 43)
    assert "Foreign selling gauge percentile 91 on 2020-03-18, led by foreign official " \
           "custody" in text
    html = (tmp_path / "r" / "report.html").read_text()
    assert "market as of 2020-03-18 (" in html
    assert "days before today" not in html        # no section judged against the clock
    bad = CliRunner().invoke(app, ["run", "--db", str(real_db), "--as-of", "2031-01-01",
                                   "--out", str(tmp_path / "r2")])
    assert bad.exit_code == 2 and "is after the newest data" in bad.stderr


@pytest.mark.slow
def test_report_as_of_is_run_as_of_and_the_dashboard_of_that_evening(tmp_path,
                                                                     live_server_cls):
    """`report` took no --as-of (only `run`, which prints no PDF): a past evening's report
    could not be printed. Both write the same page but for the time it was generated.

    The dashboard of that evening (``/?as_of=``: ``/api/summary`` and ``/api/figures/*``
    with ``as_of``) is that report: it showed the latest data only.
    """
    import re

    import httpx

    from spillwatch.api.app import create_app

    docs = {}
    for cmd in ("run", "report"):
        res = CliRunner().invoke(app, [cmd, "--demo", "--as-of", "2026-06-30",
                                       "--out", str(tmp_path / cmd), "--json"])
        assert res.exit_code == 0, res.output
        docs[cmd] = json.loads(res.stdout)
    page = {c: re.sub(r"generated \d{4}-\d\d-\d\d \d\d:\d\d UTC", "",
                      (tmp_path / c / "report.html").read_text()) for c in ("run", "report")}
    assert "as published by 2026-06-30" in page["report"]
    assert page["report"] == page["run"]
    # the header's date says what it is (its lines below were later)
    assert "market as of 2026-06-30 (" in page["run"] and docs["run"]["as_of"] == "2026-06-30"

    api = create_app("demo", token="t" * 24, warm=False, read_limit=None,
                     token_read_limit=None)
    with live_server_cls(api) as server, httpx.Client(base_url=server.url, timeout=300) as c:
        head = c.get("/api/summary", params={"as_of": "2026-06-30"})
        assert head.status_code == 200, head.text
        assert head.json()["summary"] == docs["run"]["sections"]["summary"]
        # the market's date of the report's header (the dashboard's header gave the latest's)
        assert head.json()["detail"]["market_as_of"] == docs["run"]["as_of"]
        assert head.json()["summary"] != c.get("/api/summary").json()["summary"]
        gauge = c.get("/api/figures/stress_gauge", params={"as_of": "2026-06-30"}).json()
        dial = next(t for t in gauge["figure"]["data"] if t["type"] == "indicator")
        stress = docs["run"]["sections"]["stress"]
        assert stress["date"] == "2026-06-30"
        # the gauge shows the reading's percentile, whole and rounded down as printed
        assert dial["value"] == math.floor(stress["percentile"])
        # the scorecard of that evening: the replay to it, the report's (it was the whole
        # history's, with the episodes after the evening in it)
        card = c.get("/api/backtest", params={"as_of": "2026-06-30"})
        assert card.status_code == 200, card.text
        card = card.json()
        timed = ("replay_seconds",)
        assert {k: v for k, v in card["summary"].items() if k not in timed} == {
            k: v for k, v in docs["run"]["sections"]["backtest"].items() if k not in timed}
        assert " to 2026-06-30, " in card["detail"]["lines"][0]
        assert card["detail"]["lines"][0] != c.get("/api/backtest").json()["detail"]["lines"][0]
        # every dated trace ends by that evening (the live figures run to the data's end)
        for name in ("stress_history", "yield_dollar", "crypto", "spillover_net"):
            fig = c.get(f"/api/figures/{name}", params={"as_of": "2026-06-30"}).json()
            ends = [max(t["x"]) for t in fig["figure"]["data"]
                    if isinstance(t.get("x"), list) and t["x"] and str(t["x"][0])[:2] == "20"]
            assert ends and max(ends)[:10] <= "2026-06-30", (name, ends)
        # a date the data do not reach is the caller's: 409, as every dated view
        late = c.get("/api/figures/crypto", params={"as_of": "2031-01-01"})
        assert late.status_code == 409 and "after the newest data" in late.json()["detail"]
        assert c.get("/api/summary", params={"as_of": "2026-6-30"}).status_code == 422


@pytest.mark.slow
@pytest.mark.realdata
def test_risk_volatility_and_spillover_take_as_of(real_db):
    # `volatility --end 2025-04-09` read the H.10 dollar of 04-07..09, published on 04-14, and
    # no command but `run` could say what was known that evening: 0.383 against run's 0.362
    runner = CliRunner()

    def doc(*args):
        res = runner.invoke(app, [*args, "--db", str(real_db), "--json"])
        assert res.exit_code == 0, res.output
        return json.loads(res.stdout)

    def vol(*when):
        t = doc("volatility", "--assets", "usd_broad,btc", "--correlation", "none",
                *when)["volatility"]["table"]
        return {r: dict(zip(t["columns"], row, strict=True))
                for r, row in zip(t["index"], t["data"], strict=True)}

    known, observed = vol("--as-of", "2025-04-09"), vol("--end", "2025-04-09")
    assert known["usd_broad_pct"]["last_date"] == "2025-04-04"      # the week out on 04-07
    assert observed["usd_broad_pct"]["last_date"] == "2025-04-09"
    assert known["btc_pct"]["last_date"] == "2025-04-09"            # crypto: that evening
    assert known["usd_broad_pct"]["vol_1d"] != observed["usd_broad_pct"]["vol_1d"]
    spill = doc("spillover", "--as-of", "2025-04-09")
    assert spill["spillover"]["latest"]["date"] <= "2025-04-04"
    risk = doc("risk", "--assets", "usd_broad,btc", "--no-backtest", "--as-of", "2025-04-09")
    assert risk["summary"]["var"]["btc_pct/historical"] > 0
    both = runner.invoke(app, ["risk", "--db", str(real_db), "--as-of", "2025-04-09",
                               "--end", "2025-04-09"])
    assert both.exit_code == 2 and "give --as-of or --end, not both" in both.stderr


@pytest.mark.slow
@pytest.mark.realdata
def test_an_evening_before_every_episode_and_every_intervention_report(real_db):
    # `backtest --end 1990-01-05` (and `run --as-of 1990-01-02`'s scorecard) stopped on a
    # KeyError, and the gauge's inputs on grid[-1] of an empty grid (the first intervention
    # report comes after the end)
    runner = CliRunner()
    res = runner.invoke(app, ["backtest", "--db", str(real_db), "--end", "1990-01-05"])
    assert res.exit_code == 2, res.output
    assert ("no stress episode of the packaged list begins by 1990-01-05, the replay's last "
            "day (the first, gulf_war_1990, on 1990-08-02)") in res.stderr
    res = runner.invoke(app, ["demand", "--db", str(real_db), "--end", "1990-01-05"])
    assert res.exit_code == 2 and "before the foreign-demand gauge's first reading" in \
        res.stderr
