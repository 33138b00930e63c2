"""The report sections' sentences carry the numbers of their summaries, as the CLI prints them
(h_mut21's mutants of ``report/sections``: each figure below survived a change of its digits,
its label or its source)."""

from __future__ import annotations

import html
import re

import pytest

from spillwatch.report.sections import stress as stress_section
from spillwatch.service import stress as stress_service


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def test_the_stress_head_gives_the_index_to_three_decimals_and_the_regime_s_words(ctx):
    sec = stress_section.build(ctx)
    s = sec.summary
    text = _text(sec.html)
    pct = stress_service.whole_percentile(s["percentile"])
    assert f"{s['date']}: stress {s['stress']:.3f}, percentile {pct}," in text
    if s.get("regime_held"):                   # the demo's evening holds elevated
        assert f"regime {s['regime']} ({s['regime_held']})," in text
    # the signature with the words `stress` prints after it
    assert f"yield–dollar signature {stress_service.signature_text(s)}." in text


def test_each_signal_row_ends_with_the_day_its_inputs_last_reported(ctx):
    sec = stress_section.build(ctx)
    table = stress_service.stress(ctx.workspace).table()
    rows = re.findall(r"<tr><td>(.*?)</td>.*?<td>([^<]*)</td></tr>", sec.html)
    assert len(rows) == len(table)
    for (label, when), (_, r) in zip(rows, table.iterrows(), strict=True):
        assert html.unescape(label) == r["signal"]
        assert when == r["last_observed"].date().isoformat()     # e.g. 2026-10-28


@pytest.mark.slow
def test_the_risk_section_gives_the_dcc_parameters_the_days_and_every_note(ctx):
    from spillwatch._results import p_value
    from spillwatch.report.sections import risk as risk_section
    from spillwatch.service import risk as risk_service

    sec = risk_section.build(ctx)
    ws = ctx.workspace
    corr = risk_service.correlation(ws)
    a, b = corr.result.params["a"], corr.result.params["b"]
    n = sec.summary["correlation"]["selloff_days"]
    assert (f"at or above its 95th percentile, {n} days); a = {a:.4f}, b = {b:.4f}</h3>"
            in sec.html)
    tail = risk_service.tail_risk(ws)
    vol = risk_service.volatility(ws)
    # every note the service gives is said under the tables, as the CLI prints it
    for n_ in [*vol.notes, *corr.notes, *tail.notes,
               *(f"{k} left out of the correlation: {why}" for k, why in corr.left_out.items())]:
        assert html.escape(n_) in sec.html
    # the backtest's p-values on their side of 5%, as `risk` prints them
    tb = tail.backtest.table()
    for p in tb["kupiec_p"]:
        assert f"<td>{html.escape(p_value(p))}</td>" in sec.html
    spanning = [f"{m} {k} ({int(r['violations_spanning'])} of {int(r['days_spanning'])}"
                for (m, k), r in tb.iterrows() if r["kupiec_p_spanning"] < 0.05]
    for s in spanning:
        assert s in sec.html
    if not spanning:
        assert "Failing on those changes" not in sec.html


@pytest.mark.slow
def test_the_demand_section_lists_the_latest_weak_auctions_and_every_run_counted(ctx):
    from spillwatch._results import whole_percentile
    from spillwatch.report.sections import demand as demand_section
    from spillwatch.service import demand as demand_service

    sec = demand_section.build(ctx)
    s = sec.summary
    text = _text(sec.html)
    assert f"{s['date']}: gauge percentile {whole_percentile(s['percentile'])}," in text
    # the weak auctions shown are the last eight, not the first
    res = demand_service.demand(ctx.workspace)
    weak = res.auctions[res.auctions["weak"]]
    assert len(weak) > 8
    part = sec.html.split("The last weak auctions")[1].split("</table>")[0]
    shown = re.findall(r"<tr><td>(\d{4}-\d{2}-\d{2})</td>", part)
    assert shown == [d.date().isoformat() for d in weak["date"].tail(8)]
    # the runs since the first: every run, not the year's shown in the table
    v = s["sell_america"]
    assert v["runs"] > len(v["episodes"])
    assert f"{v['runs']:,} runs since {v['first']}" in text


def test_the_health_line_counts_series_points_and_quarantined_points(ctx):
    from spillwatch.report.sections import health as health_section

    sec = health_section.build(ctx)
    s = sec.summary
    assert s["points"] > 0 and s["points"] != s["quarantined"]
    assert (f"{s['series']} series, {s['points']:,} points, {s['quarantined']:,} quarantined"
            in sec.html)


def test_the_page_header_gives_the_market_s_day_not_a_time(ctx, tmp_path):
    from spillwatch.report.html import write_report

    res = write_report(ctx, tmp_path / "r.html", sections=["health"])
    page = res.path.read_text()
    day = ctx.as_of.date().isoformat()
    assert f"market as of {day} (the last day half the watch list reports;" in page


def test_a_lead_is_signed_and_dated_by_the_first_alert():
    from spillwatch.report.sections.backtest import _lead

    assert _lead(True, 12.0, "2020-02-20") == "+12 (2020-02-20)"
    assert _lead(True, -3.0, "2020-03-20") == "-3 (2020-03-20)"
    assert _lead(True, float("nan"), None) == "missed"
    assert _lead(False, None, None, still_open=True) == "not scored yet (its window is open)"
    assert _lead(False, None, None) == "n/a (no reading in the window)"


@pytest.mark.slow
def test_the_scenario_section_gives_coupons_labels_and_the_monte_carlo_error(ctx):
    from spillwatch.report.sections import scenario as scen_section
    from spillwatch.service import scenarios as scen_service

    sec = scen_section.build(ctx)
    s = sec.summary
    coupons = s["bond_coupons_pct"]
    assert coupons
    assert ("coupon accrued: " + ", ".join(f"{k} {v:.2f}%" for k, v in coupons.items()) + "."
            in html.unescape(sec.html))
    res = scen_service.presets(ctx.workspace).results
    worst = max(float(r.probabilities_se.max()) for r in res.values())
    assert min(float(r.probabilities_se.max()) for r in res.values()) < worst
    assert f"at most &plusmn;{worst:.3f} here." in sec.html
    # a note of TIC holdings concerns the presets sized on holdings; any other every preset
    for n in s.get("notes") or []:
        who = ("The presets sized on holdings" if n.startswith("sized on TIC")
               else "Every preset")
        assert f"<p><strong>{who}</strong>: {html.escape(n)}</p>" in sec.html
    # the side-by-side chart: each bar the quantile of its own run
    both, alone = res["japan-china-coordinated"], res["japan alone"]
    side = next(f for f in sec.figures if str(f.layout.title.text).startswith("Book P&L"))
    bars = {tr.name: list(tr.y) for tr in side.data}
    assert bars["Japan + China"] == list(both.portfolio().quantiles())
    assert bars["Japan alone"] == list(alone.portfolio().quantiles())
    assert bars["Japan + China"] != bars["Japan alone"]
    # the fan chart: yields in bp, prices in % return
    fan = next(f for f in sec.figures if str(f.layout.title.text).startswith("Fan charts"))
    titles = [a.text for a in fan.layout.annotations if a.text and "(" in a.text]
    assert any(t.endswith("(bp)") for t in titles), titles
    assert any("(% return" in t for t in titles), titles
    assert all(t.endswith("(bp)") == ("yield" in t) for t in titles if "return" in t or
               t.endswith("(bp)"))
