"""Every capability gives the same numbers in the CLI's --json, the API and the report.

One store file on the demo market; the CLI reads it with ``--db``, the API serves it, the report
is built from it. Each capability's ``summary`` must be identical in the three (it is one dict
computed by the service layer), which is what a trader checks when they compare screens.
"""

from __future__ import annotations

import json

import httpx
import pytest
from typer.testing import CliRunner

from spillwatch.api.app import create_app
from spillwatch.api.limits import RateLimit
from spillwatch.cli import app as cli
from spillwatch.data.source import open_source
from spillwatch.report.context import ReportContext
from spillwatch.report.html import build_sections
from spillwatch.service.workspace import Workspace

HIGH = RateLimit(per_second=10_000.0, burst=100_000)
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("same") / "demo.duckdb"
    open_source("demo", db=path).close()
    return path


@pytest.fixture(scope="module")
def report(db):
    with open_source(None, db=db, read_only=True) as src:
        sections, failures = build_sections(ReportContext(Workspace(src)))
    assert failures == {}
    return {s.key: s.summary for s in sections}


@pytest.fixture(scope="module")
def api(db, live_server_cls):
    application = create_app(db, token="t" * 24, read_limit=HIGH, write_limit=HIGH, warm=False)
    with live_server_cls(application) as server, httpx.Client(base_url=server.url,
                                                              timeout=120) as client:
        yield client


def cli_json(*args: str, db) -> dict:
    res = runner.invoke(cli, [*args, "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def roundtrip(x):
    return json.loads(json.dumps(x))


def test_stress(db, report, api):
    doc = cli_json("stress", db=db)
    via_cli = doc["summary"]
    body = api.get("/api/stress").json()
    via_api = body["summary"]
    assert via_cli == via_api == roundtrip(report["stress"])
    assert via_cli["regime"] in ("calm", "elevated", "crisis")
    # the API's latest reading carries both ranks the regime is read from
    assert body["latest"]["percentile_longrun"] == via_cli["percentile_longrun"] is not None
    assert body["latest"]["regime"] == via_cli["regime"]
    # the whole reading, when each input last reported included (the API dropped it)
    assert body["latest"] == doc["latest"]
    assert body["latest"]["inputs"]["ust10y"]["stale_after_days"] > 0
    # the history says when each row's inputs were all out, as `stress --out` does
    hist = body["history"]
    assert hist["columns"][0] == "known_on"
    with open_source(None, db=db, read_only=True) as src:
        ws = Workspace(src)
        from spillwatch.service import stress as stress_service
        known = stress_service.history(ws, stress_service.stress(ws))["known_on"]
    last_day, last_known = hist["index"][-1], hist["data"][-1][0]
    assert str(known.loc[last_day].date()) == str(last_known)[:10]


def test_spillover(db, report, api):
    doc = cli_json("spillover", db=db)
    via_cli = doc["summary"]
    served = api.get("/api/spillover").json()
    via_api = served["summary"]
    assert via_cli == via_api == roundtrip(report["spillover"])
    assert via_cli["net_rates_dollar_to_crypto"] is not None
    # the notes the CLI prints (a stale window, the headline's sampling) reach the API too
    assert served["notes"] == doc["notes"]
    # the dashboard's chart of the headline ends on the headline's number (it drew the daily
    # series under the headline's name)
    fig = api.get("/api/figures/spillover_net").json()["figure"]
    (line,) = [t for t in fig["data"] if "headline" in (t.get("name") or "")]
    assert _values(line["y"])[-1] == pytest.approx(via_api["net_rates_dollar_to_crypto"])
    assert str(_values(line["x"])[-1])[:10] == via_api["headline_date"]


def _values(v):
    """A plotly JSON array: a list, or numpy's bytes in base64 ({'dtype', 'bdata'})."""
    import base64

    import numpy as np

    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).tolist()
    return list(v)


@pytest.mark.slow
def test_risk(db, report, api):
    tail_doc = cli_json("risk", db=db)
    tail_cli = tail_doc["summary"]
    vol_doc = cli_json("volatility", db=db)
    vol_cli = vol_doc["volatility"]["table"]
    via_api = api.get("/api/risk").json()["summary"]
    assert tail_cli == via_api["tail_risk"] == roundtrip(report["risk"]["tail_risk"])
    # the TRUMP ΔCoVaR and the BTC 10-day forecast are one number everywhere
    assert "trump_pct@0.95" in tail_cli["delta_covar"]
    assert via_api["volatility"] == roundtrip(report["risk"]["volatility"])
    # the DCC parameters and the calm vs sell-off correlations the report shows (the API had
    # no correlation at all)
    assert via_api["correlation"] == roundtrip(report["risk"]["correlation"])
    # ... and the command shows the same table (it had none)
    assert vol_doc["correlation"]["summary"] == via_api["correlation"]
    assert via_api["correlation"]["calm_vs_selloff"]["ust10y_bp~btc_pct"]["selloff"] != \
        via_api["correlation"]["calm_vs_selloff"]["ust10y_bp~btc_pct"]["calm"]
    # the notes every interface prints: the demo is never stale
    # (the demo ends on a Friday: the volatility's notes are its crypto's weekend)
    assert via_api["notes"] == vol_doc["volatility"]["notes"] + tail_doc["notes"]
    assert all("spans 3 days of trading" in n for n in vol_doc["volatility"]["notes"])
    assert not any("staleness" in n for n in via_api["notes"])
    rows = {r[0]: dict(zip(vol_cli["columns"], r[1:], strict=False))
            for r in ([i, *d] for i, d in zip(vol_cli["index"], vol_cli["data"], strict=True))}
    assert rows["btc_pct"]["vol_10d"] == via_api["volatility"]["btc_pct"]["vol_10d"]
    assert rows["btc_pct"]["model"] == via_api["volatility"]["btc_pct"]["model"]
    # dated, and the 10-day change's volatility beside day 10's daily one (they were undated and
    # only the latter was given, under a name that reads as the former)
    assert via_api["volatility"]["btc_pct"]["as_of"] == str(rows["btc_pct"]["last_date"])[:10]
    assert rows["btc_pct"]["vol_cum_10d"] == via_api["volatility"]["btc_pct"]["vol_cum_10d"]
    # the mean or median path, as the CLI's table says (the API's summary lacked it)
    assert rows["btc_pct"]["forecast"] == via_api["volatility"]["btc_pct"]["forecast"]


def test_events(db, report, api):
    via_cli = cli_json("events", db=db)["summary"]
    via_api = api.get("/api/events").json()["summary"]
    assert via_cli == via_api == roundtrip(report["events"])
    assert "tariff_pause" in via_cli


def test_health(db, report, api):
    via_api = api.get("/api/health").json()["summary"]
    assert via_api == roundtrip(report["health"])
    rows = cli_json("data", "health", db=db)["rows"]
    assert len(rows) == via_api["series"] and sum(r["points"] for r in rows) == via_api["points"]


@pytest.mark.slow
def test_scenarios(db, report, api):
    via_api = api.get("/api/scenarios/summary").json()["summary"]
    assert via_api == roundtrip(report["scenario"])
    worst = via_api["worst"]
    res = runner.invoke(cli, ["scenario", worst["scenario"], "--db", str(db), "--json",
                              "--seed", str(via_api["seed"]), "--paths", str(via_api["paths"]),
                              "--no-alone"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["portfolio"]["var"]["0.99"] == pytest.approx(worst["book_var99_usd"], rel=1e-12)
    # the VaR's Monte Carlo interval: the command's, the report's and the API's (the report
    # had none)
    row = via_api["scenarios"][worst["scenario"]]
    assert [row["book_var99_ci95_lo_usd"], row["book_var99_ci95_hi_usd"]] == \
        pytest.approx(doc["portfolio"]["var_ci95"]["0.99"], rel=1e-12)
    assert row["book_var99_ci95_lo_usd"] < worst["book_var99_usd"] < row["book_var99_ci95_hi_usd"]
    # the response per +10 bp of the 10-year: one definition (the paths' cumulative response)
    resp = doc["response_per_10bp"]
    median = {k: row[resp["columns"].index("q0.5")]
              for k, row in zip(resp["index"], resp["data"], strict=True)}
    assert {k: v["median"] for k, v in via_api["response_per_10bp"].items()} == \
        pytest.approx(median, rel=1e-12)
    # which of them the identification imposes: one sentence in the three (a tight negative
    # S&P 500 band read as measured, where it is the sell-America shock's definition)
    assert via_api["assumed_signs"] == doc["assumed_signs"]
    assert "USD broad, USD/JPY, S&P 500 down" in doc["assumed_signs"]
    # what a probability counts (a close past the level on any of its days, not on the last
    # day alone: 0.52 for the S&P 500 read as a misprint beside a day-20 quartile of -14%)
    assert via_api["probabilities_note"] == doc["probabilities_note"]
    assert "at any close within N days, not on day N alone" in doc["probabilities_note"]



@pytest.mark.slow
def test_a_scenario_as_of_a_past_date_is_the_same_in_the_api(db, api):
    """POST /api/scenarios took no as_of, horizon, method or band, so a CLI `--as-of` run
    could not be reproduced in the dashboard, and its headline said nothing of the market
    state it started from or of its warnings."""
    args = ["--seller", "japan:300e9:4w", "--as-of", "2026-06-30", "--horizon", "40",
            "--method", "fhs", "--band", "upper", "--paths", "1000", "--seed", "9"]
    doc = cli_json("scenario", *args, "--no-alone", db=db)
    got = api.post("/api/scenarios", headers={"Authorization": "Bearer " + "t" * 24},
                   json={"sellers": ["japan:300e9:4w"], "as_of": "2026-06-30", "horizon": 40,
                         "method": "fhs", "band": "upper", "paths": 1000, "seed": 9})
    assert got.status_code == 200, got.text
    head = got.json()["headline"]
    assert head["horizon_bdays"] == 40 == doc["horizon"]["horizon_days"]
    assert head["book_var99_usd"] == pytest.approx(doc["portfolio"]["var"]["0.99"], rel=1e-12)
    assert head["as_of"] == doc["fit"]["as_of"] == doc["as_of"] <= "2026-06-30"
    assert head["warnings"] == doc["warnings"]
    assert head["assumed_signs"] == doc["assumed_signs"]
    # the upper band's flow effect is the top of Beltran et al.'s range, not above it
    assert "the flow effect at the top of Beltran et al.'s 40–60 bp" in " ".join(
        doc["explain"].split())
    # Japan alone beside Japan + China: the CLI's table, now the API's too (it had none)
    both = ["japan:300e9:4w", "china:100e9:4w@2w"]
    doc = cli_json("scenario", "--seller", ",".join(both), "--as-of", "2026-06-30",
                   "--paths", "500", "--seed", "9", db=db)
    got = api.post("/api/scenarios", headers={"Authorization": "Bearer " + "t" * 24},
                   json={"sellers": both, "as_of": "2026-06-30", "paths": 500, "seed": 9})
    assert got.status_code == 200, got.text
    side = got.json()["result"]["side_by_side"]
    assert side["what"] == doc["side_by_side"]["what"] == "portfolio P&L (USD)"
    assert side["table"] == doc["side_by_side"]["table"]
    assert len(side["table"]["columns"]) == 2
    assert set(head["book_last_dates"]) == set(doc["portfolio"]["positions_usd"])
    # before TRUMP's data the default book goes without it: the CLI said so, the API gave
    # "$950,000" with no word of why
    doc = cli_json("scenario", "japan-10pct", "--as-of", "2024-06-03", "--paths", "200",
                   "--no-alone", db=db)
    got = api.post("/api/scenarios", headers={"Authorization": "Bearer " + "t" * 24},
                   json={"preset": "japan-10pct", "as_of": "2024-06-03", "paths": 200})
    assert got.status_code == 200, got.text
    assert got.json()["headline"]["book_note"] == doc["book_note"] == (
        "$950,000: the default $1m book without trump (the store's figures of it begin later: "
        "trump 2025-01-20)")
    assert got.json()["headline"]["book_gross_usd"] == 950_000
    bad = api.post("/api/scenarios", headers={"Authorization": "Bearer " + "t" * 24},
                   json={"preset": "japan-10pct", "as_of": "2099-01-01"})
    assert bad.status_code == 409 and "as_of 2099-01-01 is after the newest data" in bad.text


def test_spillover_of_named_assets_is_the_cli_s(db, api):
    """/api/spillover took no assets: TRUMP's connectedness (`spillover --assets ...,trump`)
    was the CLI's and the library's only, and the dashboard's API could not ask for it."""
    assets = "ust10y,usd_broad,btc,trump"
    body = api.get("/api/spillover", params={"assets": assets}).json()
    doc = cli_json("spillover", "--assets", assets, db=db)
    assert body["summary"] == doc["summary"]
    assert body["summary"]["assets"] == ["ust10y_bp", "usd_broad_pct", "btc_pct", "trump_pct"]
    assert body["notes"] == doc["notes"] and any("trump_pct begins" in n for n in body["notes"])
    assert body["summary"] != api.get("/api/spillover").json()["summary"]
    # one side only: the connectedness without a headline, as the CLI prints it
    rates = api.get("/api/spillover", params={"assets": "ust2y,ust10y"}).json()
    assert rates["summary"] == cli_json("spillover", "--assets", "ust2y,ust10y",
                                        db=db)["summary"]
    assert rates["rolling_net"]["data"] == []
    # replayed on a past evening as `--as-of` does
    when = "2026-03-17"
    dated = api.get("/api/spillover", params={"assets": assets, "as_of": when}).json()
    assert dated["summary"] == cli_json("spillover", "--assets", assets, "--as-of", when,
                                        db=db)["summary"]
    # the caller's mistakes are named: an unknown id 404, one listed twice or a span too
    # short for the window 409 (the CLI's message)
    unknown = api.get("/api/spillover", params={"assets": "ust10y,nope"})
    assert unknown.status_code == 404 and "unknown asset 'nope'" in unknown.text
    twice = api.get("/api/spillover", params={"assets": "btc,ust10y,btc"})
    assert twice.status_code == 409 and "btc listed more than once" in twice.text
    short = api.get("/api/spillover", params={"assets": "ust10y,trump", "as_of": "2025-03-01"})
    assert short.status_code == 409 and "trump_pct starts on" in short.text
    one = api.get("/api/spillover", params={"assets": "ust10y"})
    assert one.status_code == 422
    # read as the CLI reads --assets: spaces around an id dropped; a repeat refused by both
    # (the CLI ran on the series once, without a word)
    spaced = api.get("/api/spillover", params={"assets": "ust10y, usd_broad ,btc,trump"})
    assert spaced.status_code == 200 and spaced.json()["summary"] == body["summary"]
    again = runner.invoke(cli, ["spillover", "--assets", "ust10y,btc,ust10y", "--db", str(db)])
    assert again.exit_code == 2 and "lists ust10y more than once" in again.stderr


@pytest.mark.slow
def test_the_views_as_of_a_past_date_are_the_cli_s(db, api):
    """GET /api/stress, signals, spillover, demand and risk took no as_of: what the monitor
    said on a past evening could be replayed by every command (--as-of), not by the API."""
    when = "2026-03-17"
    stress = api.get("/api/stress", params={"as_of": when}).json()
    stress_doc = cli_json("stress", "--as-of", when, db=db)
    assert stress["summary"] == stress_doc["summary"]
    assert stress["summary"]["date"] <= when and stress["history"]["index"][-1][:10] <= when
    assert stress["summary"]["date"] < api.get("/api/stress").json()["summary"]["date"]
    signals = api.get("/api/signals", params={"as_of": when, "days": 30}).json()
    assert signals["date"] == stress["latest"]["date"]
    # the signals table is the command's (it listed the stale signals the command leaves out)
    table = signals["table"]
    rows = [{"name": name, **dict(zip(table["columns"], values, strict=True))}
            for name, values in zip(table["index"], table["data"], strict=True)]
    listed = stress_doc["signals"]
    assert [r["name"] for r in rows] == [r["name"] for r in listed]
    assert [r["value"] for r in rows] == [r["value"] for r in listed]
    assert all(r["state"] == "available" for r in rows)
    spill = api.get("/api/spillover", params={"as_of": when}).json()["summary"]
    assert spill == cli_json("spillover", "--as-of", when, db=db)["summary"]
    served = api.get("/api/demand", params={"as_of": when}).json()
    demand = served["summary"]
    doc = cli_json("demand", "--as-of", when, db=db)
    assert demand == doc["summary"]
    # the detail is the command's: the latest reading and the signals table (it was empty)
    assert served["detail"] == {k: v for k, v in doc.items() if k != "summary"}
    assert demand["date"] <= when
    risk = api.get("/api/risk", params={"as_of": when}).json()["summary"]
    vol = cli_json("volatility", "--as-of", when, db=db)
    assert risk["correlation"] == vol["correlation"]["summary"]
    table = vol["volatility"]["table"]
    btc = dict(zip(table["columns"], table["data"][table["index"].index("btc_pct")],
                   strict=True))
    assert risk["volatility"]["btc_pct"]["vol_10d"] == btc["vol_10d"]
    assert risk["volatility"]["btc_pct"]["as_of"] == str(btc["last_date"])[:10] <= when
    # a replay of the future, or a date not written YYYY-MM-DD, is refused with the reason
    bad = api.get("/api/demand", params={"as_of": "2099-01-01"})
    assert bad.status_code == 409 and "as_of 2099-01-01 is after the newest data" in bad.text
    assert api.get("/api/stress", params={"as_of": "2026-3-17"}).status_code == 422


@pytest.mark.realdata
def test_panel(real_db, live_server_cls):
    # `data panel --asset btc` is the watch-list panel's column, as /api/panel serves it (a
    # panel of the named assets alone had its own calendar: bitcoin's move over Martin Luther
    # King Day 2025 was one +1.97 on 01-21 in the CLI, -1.76 on 01-20 and +3.73 in the API)
    window = ["--start", "2025-01-13", "--end", "2025-01-24"]
    res = runner.invoke(cli, ["data", "panel", "--asset", "btc", "--asset", "ust10y", *window,
                              "--db", str(real_db), "--json"])
    assert res.exit_code == 0, res.output
    cli_rows = {r["date"]: [r["btc_pct"], r["ust10y_bp"]] for r in json.loads(res.stdout)["rows"]}
    application = create_app(real_db, token="t" * 24, read_limit=HIGH, write_limit=HIGH,
                             warm=False)
    with live_server_cls(application) as server, httpx.Client(base_url=server.url,
                                                              timeout=120) as client:
        got = client.get("/api/panel", params={"columns": "btc_pct,ust10y_bp",
                                               "start": "2025-01-13", "end": "2025-01-24"})
    assert got.status_code == 200, got.text
    frame = got.json()["frame"]
    api_rows = dict(zip(frame["index"], frame["data"], strict=True))
    assert "2025-01-20" in cli_rows and cli_rows["2025-01-20"][1] is None
    assert roundtrip(cli_rows) == roundtrip(api_rows)
