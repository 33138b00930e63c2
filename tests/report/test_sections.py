"""Report sections on the simulated demo market: they format what the service layer returns."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from spillwatch.data.source import open_source
from spillwatch.report.context import ReportContext
from spillwatch.report.sections import SECTIONS
from spillwatch.report.sections import spillover as spill_section
from spillwatch.report.sections import stress as stress_section
from spillwatch.service import spillover as spill_service
from spillwatch.service import stress as stress_service
from spillwatch.service.workspace import Workspace


@pytest.fixture(scope="module")
def demo_sections(ctx):
    """Every section of the demo report and the failures, built once for the tests that read
    all of them (each built the whole report again, about 3 s of figures each)."""
    from spillwatch.report.html import build_sections

    return build_sections(ctx)


def test_sections_in_page_order():
    keys = list(SECTIONS)
    assert keys[:2] == ["summary", "stress"] and keys.index("stress") < keys.index("market")
    assert {"spillover", "risk", "events", "scenario", "health"} <= set(keys)


def test_spillover_section_on_demo(ctx):
    sec = spill_section.build(ctx)
    assert sec is not None and sec.key == "spillover"
    assert len(sec.figures) == 4
    assert "SIMULATED" in sec.figures[0].layout.title.text
    s = sec.summary
    json.dumps(s)
    assert 0 <= s["tci"] <= 100
    assert s["window"] == spill_service.WINDOW
    rep = spill_service.spillover(ctx.workspace)  # memoised: the section's own result
    assert s == rep.summary_dict()
    assert s["net_rates_dollar_to_crypto"] == pytest.approx(rep.headline.iloc[-1])
    assert "<table" in sec.html
    assert "rates + dollar" in sec.intro
    # the table is of the daily window, under a headline of two-day changes: it says so, with
    # its own net (a +3.47 pp headline sat over a daily table reading -14.5 without a word)
    own = rep.daily_headline.iloc[-1]
    assert (f"daily changes (the headline above is on {rep.sync.sampling_label}; this table's "
            f"net, rates + dollar to crypto, is {own:+.2f} pp)") in sec.html


def test_spillover_section_says_why_without_crypto(tmp_path):
    from spillwatch.exceptions import DataError
    from spillwatch.report.html import build_sections

    csv = tmp_path / "DGS10.csv"
    csv.write_text("date,DGS10\n" + "".join(f"2024-01-{d:02d},{4 + d / 100}\n"
                                            for d in range(1, 29)))
    src = open_source(csv)
    try:
        ctx = ReportContext(Workspace(src))
        with pytest.raises(DataError, match=r"needs both blocks; .* holds no crypto series"):
            spill_section.build(ctx)
        built, failures = build_sections(ctx, ["spillover", "risk", "scenario", "events"])
        assert built == [] and set(failures) == {"spillover", "risk", "scenario", "events"}
        # the reason `risk` and /api/risk give (h_par1), with the command that measures it
        assert failures["risk"].startswith("DataError: no asset to measure: ")
        assert failures["risk"].endswith("holds none of btc, eth, trump (spillwatch risk "
                                         "--assets measures what it holds)")
    finally:
        src.close()


def test_stress_section_on_demo(ctx):
    sec = stress_section.build(ctx)
    assert sec is not None and sec.key == "stress"
    assert len(sec.figures) == 2
    assert "light-" in sec.html
    res = stress_service.stress(ctx.workspace)
    assert sec.summary == stress_service.summary(ctx.workspace, res)
    assert sec.summary["regime"] in {"calm", "elevated", "crisis"}
    days = res.sell_america_days
    assert days.dtype == bool and days.loc["2026-08-10":"2026-08-25"].any()


def test_the_header_says_what_its_date_is():
    import datetime as dt

    from spillwatch.report.html import render

    doc = render([], {}, title="t", source="store x", simulated=False,
                 generated_at=dt.datetime(2026, 11, 30, 8, 0), as_of=dt.date(2026, 1, 2))
    assert ("market as of 2026-01-02 (the last day half the watch list reports; each section "
            "states its own date)") in doc


def test_every_figure_has_plotly_whites_look_for_what_it_draws(demo_sections):
    import plotly.io as pio

    from spillwatch.plotting.style import TRACE_TYPES

    white = pio.templates["plotly_white"]
    sections, failures = demo_sections
    assert failures == {}
    figures = [f for s in sections for f in s.figures]
    assert len(figures) >= 20
    for fig in figures:
        tpl = fig.layout.template
        assert tpl.layout == white.layout, fig.layout.title.text
        for trace in fig.data:
            assert trace.type in TRACE_TYPES, (fig.layout.title.text, trace.type)
            assert getattr(tpl.data, trace.type) == getattr(white.data, trace.type)


def test_the_events_section_counts_its_unmeasured_pairs_by_reason(ctx):
    # it said "outside the data (e.g. crypto before 2018, TRUMP before 2025)" for pairs that
    # ran past the end of data cut in 2019
    import re

    from spillwatch.report.sections import events as events_section
    from spillwatch.service import events as events_service

    res = events_service.events(ctx.workspace)
    sec = events_section.build(ctx)
    assert sec is not None and len(res.failures)
    m = re.search(r"(\d+) \(event, series\) pairs are not measured: ([^(]*)\(", sec.html)
    assert m and int(m.group(1)) == len(res.failures)
    counted = sum(int(n) for n in re.findall(r"(\d+) [a-z]", m.group(2)))
    assert counted == len(res.failures)
    assert "crypto before 2018" not in sec.html


def test_real_dates_on_the_simulated_market_say_so_in_their_sections(ctx):
    """The demo's scorecard scored real episodes (svb_2023, liberation_day_2025: hit rate
    0.09) and its event table gave real events simulated moves ("covid_oil_crash ... spx
    +0.74"), with only the page's banner saying the market was simulated."""
    from spillwatch.report.sections import backtest as backtest_section
    from spillwatch.report.sections import events as events_section

    for build in (backtest_section.build, events_section.build):
        sec = build(ctx)
        assert sec is not None and sec.html.startswith("<p><b>SIMULATED market:</b>"), build


def test_a_second_y_axis_has_its_own_title(demo_sections):
    # the custody figure titled its level axis "4-week change ($bn)" like the bars' axis: the
    # $2,637bn line read as a change
    sections, _ = demo_sections
    seen = 0
    for fig in (f for s in sections for f in s.figures):
        if not any(getattr(t, "yaxis", None) == "y2" for t in fig.data):
            continue
        right = fig.layout["yaxis2"]
        if right.overlaying != "y" or right.visible is False or not any(
                getattr(t, "yaxis", None) == "y2" for t in fig.data):
            continue
        seen += 1
        assert right.title.text and right.title.text != fig.layout.yaxis.title.text, (
            fig.layout.title.text)
    assert seen >= 2          # the 10y against the dollar, custody's level


def test_the_sampling_offset_of_one_hour_for_all_is_none(ctx):
    # the demo samples every series at 21:00 UTC: "The latest (ust2y_bp) is 0 hours after the
    # earliest (ust2y_bp)" (h_mut21); the two ends on real data: the spillover charts' test
    sec = spill_section.build(ctx)
    hours = spill_service.spillover(ctx.workspace).sync.asynchrony["hours_utc"]
    assert len({h for h in hours.values() if h is not None}) == 1
    assert "Every series is sampled at that hour: no offset" in sec.html
    assert "hours after the earliest" not in sec.html


def test_the_var_table_states_its_window(ctx):
    # BTC's historical 99% VaR is of the last 500 days (7.59 on the shared data; 12.97 over
    # all 2,020): the table showed nobs only
    import re

    from spillwatch.report.sections import risk as risk_section
    from spillwatch.service import risk as risk_service

    html = risk_section.build(ctx).html
    table = risk_service.tail_risk(ctx.workspace).var_es.table()
    win = int(table.loc[("btc_pct", "historical"), "window"])
    row = re.search(r"<tr><td>btc_pct</td><td>historical</td>((?:<td>[^<]*</td>)+)</tr>", html)
    assert row and re.findall(r"<td>([^<]*)</td>", row[1])[-2:] == [
        f"{win:,}", f"{int(table.loc[('btc_pct', 'historical'), 'nobs']):,}"]
    assert "<i>window</i>: the latest days whose tail the historical VaR reads" in html


@pytest.mark.slow
def test_the_fan_chart_says_it_is_drawn_from_the_kept_paths(ctx):
    # its 1% point of the 10-year read -30.1 bp where the table said -31.4 (all 20,000 paths
    # against the 10,000 kept), without a word
    from spillwatch.report.sections import scenario as scenario_section
    from spillwatch.service import scenarios as scenario_service

    both = scenario_service.presets(ctx.workspace).results["japan-china-coordinated"]
    kept, paths = both.kept_paths.shape[2], both.paths
    assert kept < paths
    sec = scenario_section.build(ctx)
    fan = next(f for f in sec.figures if f.layout.title.text.startswith("Fan charts"))
    # the book in dollars with each share of the book priced ("Book of $950,000: ust10y 40%"
    # gave weights of the default $1m when a position was left out)
    ps = scenario_service.presets(ctx.workspace)
    shares = [v / sum(abs(x) for x in ps.book.values()) for v in ps.book.values()]
    assert f"Book of ${ps.book_usd:,.0f}: " + ", ".join(
        f"{k} ${abs(v) * 1e6:,.0f} ({w:.0%})" for (k, v), w in
        zip(ps.book.items(), shares, strict=True)) in sec.html
    notes = " ".join(a.text for a in fan.layout.annotations if a.text)
    assert f"Bands from the {kept:,} kept paths; the tables' quantiles are of all " \
           f"{paths:,}" in notes.replace("<br>", " ")


def test_an_event_car_is_bold_on_the_cli_s_test_not_the_normal_s():
    """The CLI stars p < 0.05 of the t with the estimation's degrees of freedom (|t| >= 1.98 at
    117); the report bolded |t| >= 1.96: a CAR with t 1.97 was bold there and unstarred in the
    CLI."""
    import types

    import pandas as pd
    from scipy import stats

    from spillwatch.report.sections import events as events_section

    df = 117
    rows = [{"event": "e1", "event_date": pd.Timestamp("2024-01-02"), "series": s, "car": 2.0,
             "t": t, "p": float(2 * stats.t.sf(t, df)), "car_mean_model": 1.5,
             "t_mean_model": 1.0, "raw_sum": 2.5, "n_est": 120}
            for s, t in (("a_pct", 1.97), ("b_pct", 1.99))]
    res = types.SimpleNamespace(car=pd.DataFrame(rows), names={"e1": "an event"},
                                spec=types.SimpleNamespace(estimation=120))
    page = events_section._car_html(res)
    assert "<b>+2.00 (+2.0)</b>" in page          # t 1.99, p 0.049: bold, as starred
    assert "<td>+2.00 (+2.0)<br>" in page         # t 1.97, p 0.051: plain, as unstarred


@pytest.mark.realdata
@pytest.mark.slow
def test_the_sell_off_days_are_counted_before_crypto_too(real_db):
    # a report of 2018-01-01 (BTC too short for the joint estimation) said "0 days" beside
    # the JSON's selloff_days 57: the count came from the crypto pairs' (empty) table
    from spillwatch.alerts.backtest.vintage import vintage_workspace
    from spillwatch.report.sections import risk as risk_section
    from spillwatch.service import risk as risk_service

    with Workspace(open_source(real_db, read_only=True)) as ws:
        then = vintage_workspace(ws, pd.Timestamp("2018-01-01").date())
        sec = risk_section.build(ReportContext(then))
        corr = risk_service.correlation(then)
        n = risk_service.correlation_summary(corr)["selloff_days"]
    assert n > 0 and f"at or above its 95th percentile, {n} days)" in sec.html
    # with the reason the correlation gives (BTC is in the data, too short for the joint
    # fit: "not in the data then" was false)
    assert "No crypto pair in the correlation (" in sec.html
    assert f"btc_pct: {corr.left_out['btc_pct']}" in sec.html.split("No crypto pair")[1]


def test_out_names_the_report_file_or_its_folder_and_a_file_in_the_way_stops_first(ctx, tmp_path):
    """``--out today.html`` made a folder ``today.html/`` holding ``report.html``; an existing
    file as --out failed only after the report was computed, with "File exists"."""
    from typer.testing import CliRunner

    from spillwatch.cli import app
    from spillwatch.exceptions import ConfigError
    from spillwatch.report.html import report_target, write_report

    assert report_target(tmp_path / "today.html") == tmp_path / "today.html"
    assert report_target(tmp_path / "dir") == tmp_path / "dir" / "report.html"
    (tmp_path / "old.html").mkdir()            # an existing folder keeps its meaning
    assert report_target(tmp_path / "old.html") == tmp_path / "old.html" / "report.html"
    # a trailing separator names a folder (it wrote the file new.html)
    assert report_target(f"{tmp_path}/new.html/") == tmp_path / "new.html" / "report.html"
    rep = write_report(ctx, tmp_path / "sub" / "Today.HTML", sections=["health"])
    assert rep.path == tmp_path / "sub" / "Today.HTML" and rep.path.is_file()
    assert sorted(p.name for p in (tmp_path / "sub").iterdir()) == ["Today.HTML"]
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    for out, says in ((blocker, "is a file, not a folder"),
                      (blocker / "x", "is a file, so no folder can be made in it"),
                      (blocker / "r.html", "is a file, so no folder can be made in it")):
        with pytest.raises(ConfigError, match=says):
            report_target(out)
        for cmd in (["report", "--demo"], ["run", "--demo"]):
            res = CliRunner().invoke(app, [*cmd, "--out", str(out)], env={"COLUMNS": "400"})
            assert res.exit_code == 2 and f"error: --out {out}: " in res.output, res.output
            assert "SIMULATED" not in res.output   # nothing was computed
    assert blocker.read_text() == "x"
    # the CLI keeps the separator: an existing file named as a folder is refused, not replaced
    page = tmp_path / "page.html"
    page.write_text("x")
    res = CliRunner().invoke(app, ["report", "--demo", "--out", f"{page}/"])
    assert res.exit_code == 2 and f"--out {page}/: is a file, not a folder" in res.output, \
        res.output
    assert page.read_text() == "x"
    # a folder no file can be made in stopped only after the report, naming a temp file
    if Path("/proc/self").is_dir():
        with pytest.raises(ConfigError, match="cannot write in /proc"):
            report_target("/proc/x.html")


def test_the_impact_chart_draws_the_10_year_target_the_paths_follow(ctx):
    """The chart drew only the literature's 5-year impact, labelled "5-year impact (median)":
    72 bp at day 70 over a table whose UST 5y moved +53 bp (the paths' 5-year follows the
    10-year target through the identified responses) and UST 10y +65 bp."""
    from spillwatch.report.sections import scenario as scenario_section
    from spillwatch.service import scenarios as scenario_service

    both = scenario_service.presets(ctx.workspace).results["japan-china-coordinated"]
    sec = scenario_section.build(ctx)
    fig = next(f for f in sec.figures if f.layout.title.text.startswith("Yield impact"))
    names = [t.name for t in fig.data]
    assert "10-year target (median)" in names
    target = next(t for t in fig.data if t.name == "10-year target (median)")
    want = both.impact_fan(tenor="ust10y")["q0.5"].to_numpy()
    assert list(target.y) == pytest.approx(list(want))
    # the 5-year line says it is the scenario's input, not the paths' 5-year
    assert "5-year impact, the literature's input (median)" in names
    assert "5-year impact (median)" not in names


def test_every_figure_of_the_demo_report_says_simulated(demo_sections):
    """The scenario section's response chart (identification.plot) was the one figure of the
    demo report whose title lacked "SIMULATED": saved from the page, it passed for real data."""
    built, failures = demo_sections
    assert failures == {}
    titles = [f.layout.title.text for sec in built for f in sec.figures]
    assert len(titles) >= 20
    assert [t for t in titles if "SIMULATED" not in t] == []


def test_headings_tables_and_figures_are_named_for_a_screen_reader(ctx, tmp_path):
    """The report went h1 > h2 > h4 (no h3), gave 19 of its 20 tables no thead (a table running
    over a printed page did not repeat its header either) and its 28 charts no name: a screen
    reader read each SVG as a heap of tick labels."""
    import itertools
    import re

    from spillwatch.report.html import write_report

    rep = write_report(ctx, tmp_path, sections=["summary", "stress", "spillover", "risk"])
    assert rep.failures == {}
    page = rep.path.read_text()
    body = page.split("</head>", 1)[1]
    levels = [int(n) for n in re.findall(r"<h([1-6])\b", body)]
    assert levels[0] == 1 and 3 in levels
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    tables = re.findall(r"<table\b.*?</table>", body, flags=re.S)
    assert len(tables) >= 5
    assert [t[:60] for t in tables if "<thead>" not in t] == []
    titles = [f.layout.title.text for s in rep.sections for f in s.figures]
    labels = re.findall(r'<div role="figure" aria-label="([^"]*)"><div[^>]*>\s*<div id="fig\d+"',
                        body)
    assert len(labels) == len(titles) >= 4
    assert all(lab and lab.split(" (")[0] in html_unescape(t)
               for lab, t in zip(labels, titles, strict=True))


def html_unescape(text):
    import html as _html

    return _html.unescape(text)


def test_a_section_that_failed_stands_in_its_place_and_in_the_contents():
    """A section that could not be computed came last, after "Data health", titled by its key
    ("risk"), and was not in the contents: a reader skimming the contents did not see that the
    risk section was missing."""
    import datetime as dt
    import re

    from spillwatch.report.context import Section
    from spillwatch.report.html import render

    built = [Section(k, f"Title of {k}", html="<p>ok</p>")
             for k in ("summary", "stress", "spillover", "health")]
    doc = render(built, {"risk": "DataError: no bitcoin by 2017-01-02"}, title="t",
                 source="s", simulated=False, generated_at=dt.datetime(2026, 1, 2),
                 as_of="2026-01-02")
    ids = re.findall(r"<section id='([a-z]+)'>", doc)
    assert ids == ["summary", "stress", "spillover", "risk", "health"]
    nav = doc[doc.index("<nav>"):doc.index("</nav>")]
    assert re.findall(r"href='#([a-z]+)'", nav) == ids
    assert "Volatility, correlation and tail risk (not computed)" in nav
    risk = doc[doc.index("<section id='risk'>"):doc.index("<section id='health'>")]
    assert "<h2>Volatility, correlation and tail risk</h2>" in risk
    assert "could not be computed: DataError: no bitcoin by 2017-01-02" in risk


def test_the_terms_list_spells_out_the_abbreviations_the_sections_use():
    """TCI, VaR, ES, AUROC, OAS, MOF and bp were used and never spelt out. The report ends with
    the terms its sections use (whole words only: "ES" is not in "ESTIMATES")."""
    import datetime as dt

    from spillwatch.report.context import Section
    from spillwatch.report.format import GLOSSARY
    from spillwatch.report.html import render

    doc = render([Section("risk", "Tail risk", html="<p>VaR 99% 7.6%, ES 9.4%; +12 bp; "
                                                   "ESTIMATES of MOVE</p>")], {}, title="t",
                 source="s", simulated=False, generated_at=dt.datetime(2026, 1, 2),
                 as_of="2026-01-02")
    terms = doc[doc.index("<section id='terms'>"):doc.index("<footer>")]
    assert [t for t in GLOSSARY if f"<dt>{t}</dt>" in terms] == ["bp", "VaR", "ES", "MOVE"]
    assert "<dd>expected shortfall: the mean loss beyond the VaR</dd>" in terms
    assert "<a href='#terms'>Terms</a>" in doc[doc.index("<nav>"):doc.index("</nav>")]


def test_the_health_table_writes_its_counts_as_the_other_tables(ctx):
    """The data-health table printed "2924" where every other table prints 2,924."""
    import re

    from spillwatch.report.sections import health

    sec = health.build(ctx)
    cells = re.findall(r"<td>([0-9][0-9,]*)</td>", sec.html)
    big = [c for c in cells if len(c.replace(",", "")) > 3]
    assert big and all("," in c for c in big), big[:5]


def test_the_index_chart_s_hover_rounds_the_percentile_down_as_the_headline(ctx):
    """The chart's hover rounded the percentile to nearest (79.96 read "80" on a calm day)
    where the headline and the regime cut-offs read it rounded down."""
    import numpy as np

    from spillwatch.plotting.stress import stress_index

    res = stress_service.stress(ctx.workspace)
    fig = stress_index(res, days=None)
    line = next(t for t in fig.data if t.name == "stress index")
    got = np.asarray(line.customdata, dtype=float)[:, 0]
    raw = res.frame.loc[res.frame["stress"].notna(), "percentile"].to_numpy(float)
    assert np.array_equal(got, np.floor(raw), equal_nan=True)
    assert (raw[np.isfinite(raw)] % 1 >= 0.5).any()      # days where rounding would differ


def test_a_keyboard_reader_can_skip_to_the_report_and_it_is_one_main_region():
    """The report had no skip link and no ``<main>``: a keyboard reader crossed the header, the
    contents and (in the sections) each chart's toolbar buttons, and a screen reader had no
    main region to jump to. The first link skips to ``<main>``, which holds every section and
    the terms, not the header, contents or footer."""
    import datetime as dt
    import re

    from spillwatch.report.context import Section
    from spillwatch.report.html import render

    doc = render([Section("risk", "Tail risk", html="<p>VaR 99% 7.6%</p>"),
                  Section("market", "Market", html="<p>bp</p>")],
                 {"stress": "DataError: no data"}, title="t", source="s", simulated=False,
                 generated_at=dt.datetime(2026, 1, 2), as_of="2026-01-02")
    body = doc[doc.index("<body>"):]
    first = re.search(r"<a [^>]*href='([^']+)'[^>]*>([^<]+)</a>", body)
    assert first is not None and first.group(1) == "#main", body[:300]
    assert doc.count("<main") == 1 and doc.count("</main>") == 1
    main = doc[doc.index("<main id='main'"):doc.index("</main>")]
    for key in ("risk", "market", "stress", "terms"):
        assert f"<section id='{key}'>" in main, key
    assert "<header>" not in main and "<nav>" not in main and "<footer>" not in main
    # out of sight until it has the focus, then on screen
    assert re.search(r"a\.skip\{[^}]*left:-9999px", doc)
    assert re.search(r"a\.skip:focus\{[^}]*left:8px", doc)


def test_crisis_shading_differs_from_elevated_by_more_than_its_hue(ctx):
    """Amber (elevated) and red (crisis) shades at about a fifth of full opacity read alike to
    a reader with red-green colour blindness: crisis is hatched, elevated is plain, and the
    chart's own line says so."""
    from spillwatch.plotting.stress import stress_index

    fig = stress_index(stress_service.stress(ctx.workspace), days=None)
    shade = {t.name: t for t in fig.data if t.name in ("elevated", "crisis")}
    assert set(shade) == {"elevated", "crisis"}
    assert shade["crisis"].fillpattern.shape == "/"
    assert shade["elevated"].fillpattern.shape in (None, "")
    assert any("crisis (red, hatched)" in (a.text or "") for a in fig.layout.annotations)
