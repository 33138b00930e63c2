"""The headline a trader reads first: freshness of each input, stress, spillover, worst scenario.

:func:`headline` gathers, from the other service modules (so the numbers are the ones every
section shows), what goes at the top of the report, the dashboard and ``spillwatch run``'s
output: the date each input group last reported and whether it is stale (:mod:`spillwatch.timing`),
the stress level, percentile, regime and yield–dollar signature, the foreign-demand reading, the
net spillover from rates and the dollar into crypto, the worst preset's VaR/ES on the default
book, and every stale or missing input in plain words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from spillwatch import universe
from spillwatch._results import ResultBase, jsonable, whole_percentile
from spillwatch.exceptions import ConfigError, SpillwatchError
from spillwatch.plotting.demand import lead_phrase
from spillwatch.plotting.market import COINS, latest_curve_date
from spillwatch.service import demand as demand_service
from spillwatch.service import scenarios as scenario_service
from spillwatch.service import spillover as spillover_service
from spillwatch.service import stress as stress_service
from spillwatch.service._today import today_utc
from spillwatch.service.workspace import Workspace

#: Input groups of the headline, each with the assets that stand for it.
GROUPS: dict[str, tuple[str, ...]] = {
    "Treasury yields": ("ust2y", "ust10y", "ust30y"),
    "dollar": ("usd_broad", "usdjpy", "usdcny"),
    "equities and volatility": ("spx", "vix", "move"),
    # the stress index's other inputs: the freshness table left them out while the index
    # marked them stale
    "credit and term premium": ("ig_oas", "hy_oas", "term_premium"),
    "crypto": ("btc", "eth", "trump"),
    "gold": ("gold",),
    "foreign holdings": ("custody", "tic_japan", "tic_china"),
}


@dataclass(frozen=True, repr=False)
class Headline(ResultBase):
    """The headline block (see the module docstring).

    Attributes
    ----------
    today : str
        The date freshness is measured against (the data's last date for simulated data).
    inputs : list of dict
        Per asset: group, asset, name, last date, days since, staleness limit, stale.
    stress, demand, spillover, scenario : dict or None
        The summaries of the service modules (``None`` when unavailable, with the reason in
        ``problems``).
    problems : list of str
        Stale or missing inputs and unavailable analyses, in plain words.
    """

    today: str
    simulated: bool
    inputs: list[dict[str, Any]]
    stress: dict[str, Any] | None
    demand: dict[str, Any] | None
    spillover: dict[str, Any] | None
    scenario: dict[str, Any] | None
    problems: list[str] = field(default_factory=list)
    title: str = field(default="headline", init=False)

    def table(self) -> pd.DataFrame:
        """One row per input: its group, last report and whether it is stale."""
        return pd.DataFrame(self.inputs).set_index("asset") if self.inputs else pd.DataFrame()

    def lines(self) -> list[str]:
        """The headline in plain words, most important first."""
        out: list[str] = []
        s = self.stress
        if s is not None:
            pct, lr = s.get("percentile"), s.get("percentile_longrun")
            whole = stress_service.whole_percentile
            line = (f"Stress {s['regime'] or 'n/a'} (percentile "
                    f"{'n/a' if pct is None else whole(pct)}"
                    f"{'' if lr is None else f', all history {whole(lr)}'}, index "
                    f"{s['stress']:.3f}"
                    f"{'; ' + s['regime_held'] if s.get('regime_held') else ''}) on "
                    f"{s['date']}; yield–dollar signature "
                    f"{stress_service.signature_text(s)}")
            if s.get("unread_reason"):   # no reading or no percentile: why ("n/a" alone)
                line += f"; {s['unread_reason']}"
            if s.get("segments_flag"):
                # a segment at its own extreme that the composite averages away (2023-10-19,
                # the 10-year at 5%: "calm, percentile 72" beside rates 0.79)
                line += f"; in its own top decile: {s['segments_flag']}"
            if s.get("week_ago_percentile") is not None and pct is not None:
                # that day's reading as the same data read it now (the monitor that evening,
                # without the week's dollar, may have shown another: 92 against 95 in 2022)
                # the change rounded as the dial's delta is (round: -0.2 printed "-0")
                # no change in words, as the dial says it ("+0 percentile points" beside
                # "unchanged vs a week ago")
                moved = round(pct - s['week_ago_percentile'])
                line += (f"; {f'{moved:+d} percentile points' if moved else 'unchanged'} vs "
                         f"{s['week_ago_date']} (as read on these data)")
            # how old the reading is against today, as every other line counts (it said
            # "227 days before the data's last date" for a reading 328 days old), in the words
            # `stress` and its cards print: the line said "the last reading the inputs allow"
            # of today's evening, where they say to import or fetch newer data
            behind = stress_service.freshness_note(
                s["date"], simulated=self.simulated, today=dt.date.fromisoformat(self.today))
            if behind:
                line += f". STALE: {behind}"
                if s.get("data_end") and s.get("data_end") != s["date"]:
                    line += f" (the data's newest date is {s['data_end']})"
            elif any(n.startswith(stress_service.UNPUBLISHED) for n in s.get("notes") or ()):
                pass    # the reading is days behind: the note below says which input stopped it
            elif s.get("stale"):
                # a fresh reading without some inputs: what it rests on is narrower
                line += f"; read without stale inputs: {', '.join(s['stale'])}"
            # a weekend's crypto moves after the reading (a Sunday of -13% for ETH read as
            # Friday's index without a word); a reading held back by a required sub-index
            # and the short history the percentiles rank against (2 years of data read
            # "Stress calm (percentile 13, all history 13)" without a word of it)
            line += "".join(f"; {n}" for n in s.get("notes") or ()
                            if n.startswith((stress_service.WEEKEND_CRYPTO,
                                             stress_service.BOND_HOLIDAY_CRYPTO,
                                             stress_service.PENDING_CRYPTO,
                                             stress_service.UNPUBLISHED,
                                             stress_service.SHORT_HISTORY)))
            out.append(line + ".")
        d = self.demand
        if d is not None:
            pct = d.get("percentile")
            # a gauge without a reading has no lead: "percentile n/a on 2026-08-06, led by no
            # group" was said of a store without any of the gauge's inputs (h_data1)
            line = ("Foreign selling gauge percentile "
                    f"{'n/a' if pct is None else whole_percentile(pct)}"
                    f" on {d.get('date')}, "
                    + (lead_phrase(pct, d["top_group_label"],
                                   ranked=d.get("top_group_ranked", True))
                       if d.get("top_group_label") else "no reading"))
            if d.get("groups_unavailable"):     # the gauge rests on the other groups only
                # in `demand`'s words (it said "no current reading from China (...)")
                why = d.get("groups_why") or {}
                line += "; " + demand_service.unavailable_words(
                    {g: why.get(g) or "" for g in d["groups_unavailable"]})
            if d.get("observed"):
                line += f"; {d['observed']}"
            if d.get("partial"):        # a group read on part of its indicators
                line += f"; {d['partial'][0]}"
            if d.get("short_history") and pct is not None:  # ranked against a short base
                line += f"; {d['short_history']}"
            if d.get("ranked_without") and pct is not None:  # ranked without a group read
                line += f"; {d['ranked_without']}"
            if d.get("notes"):          # the gauge's reading behind today
                line += f". STALE: {d['notes'][0]}"
            out.append(line + ".")
        sp = self.spillover
        if sp is not None and sp.get("net_rates_dollar_to_crypto") is not None:
            net = sp["net_rates_dollar_to_crypto"]
            daily = sp.get("net_rates_dollar_to_crypto_daily")
            said = []
            # the headline's returns when they are not daily, and the daily model's net when
            # it runs the other way (2020-03-12: +3.47 on two-day returns, -10.16 on daily
            # ones, beside the daily window's TCI)
            if sp.get("sampling") and sp["sampling"] != "daily":
                said.append(f"{str(sp['sampling']).replace('_', '-')} returns")
            if daily is not None and net * daily < 0:
                said.append(f"daily returns read {daily:+.2f}, the other way")
            # the TCI is of the latest daily window, which may end days later
            said.append(f"TCI {sp['tci']:.1f}% of the daily window" + (
                f" on {sp['as_of']}" if sp.get("headline_date")
                and sp["headline_date"] != sp["as_of"] else ""))
            # the transmitting block as the data hold it: without the dollar's series the
            # line read "from rates + dollar" over the yields alone
            cols = list(sp.get("assets") or ())
            dollar = [c for c in cols if _block(c) == universe.AssetBlock.DOLLAR]
            block = ("rates + dollar" if not cols or dollar
                     else "rates (the data hold no dollar series)")
            line = (f"Net spillover from {block} into crypto {net:+.2f} pp on "
                    f"{sp.get('headline_date') or sp['as_of']} ({'; '.join(said)})")
            # and why (the series that stops every window), as `spillover` and its cards say
            behind = sp["stale_note"] if "stale_note" in sp else spillover_service.freshness_note(
                sp["as_of"], simulated=self.simulated, today=dt.date.fromisoformat(self.today))
            if behind:
                line += f". STALE: {'; '.join(behind.splitlines())}"
            out.append(line + ".")
        sc = self.scenario
        if sc is not None and sc.get("worst"):
            w = sc["worst"]
            on = f"on {sc['book_note']}" if sc.get("book_note") else "on $1m"
            when = (f" over {w['horizon_bdays']} business days"
                    if w.get("horizon_bdays") else "")
            state = f", from the market of {sc['as_of']}" if sc.get("as_of") else ""
            if sc.get("as_of"):
                # in the scenario's own words and by its rule (the line said "that market state
                # is N days before" beside its warning "the scenario's starting state is as of")
                behind = scenario_service.freshness_note(
                    str(sc["as_of"])[:10], simulated=self.simulated,
                    today=dt.date.fromisoformat(self.today))
                if behind:
                    state += f". STALE: {behind}"
                # book assets priced even earlier (the state date is the newest fresh one)
                older = {k: d for k, d in (sc.get("book_last_dates") or {}).items()
                         if str(d) < str(sc["as_of"])[:10]}
                if older:
                    held = sc.get("book") or {}
                    share = sum(abs(held.get(k, 0.0)) for k in older) / max(
                        sum(abs(v) for v in held.values()), 1e-12)
                    # one date when they share it: 2025-01-20 (a US holiday) read "starts from
                    # states of 2025-01-17 to 2025-01-17" of the 10-year and the S&P 500
                    first, last = min(older.values()), max(older.values())
                    span = (f"the state of {first}" if first == last
                            else f"states of {first} to {last}")
                    state += (f"; {share:.0%} of the book ({', '.join(sorted(older))}) starts "
                              f"from {span}")
            # the worst preset's own caveat (its target beyond history): the number is a bound
            # its own warnings and those every preset gives alike (said once in ``notes``:
            # the fallback holdings moved there, and the line lost its WARNING)
            warn = "".join(f" WARNING: {x}." for x in
                           [*(sc.get("warnings") or {}).get(w["scenario"], []),
                            *(sc.get("notes") or [])]
                           if x.startswith(("beyond history: the 10-year",
                                            "sized on the fallback holdings"))
                           or (w.get("sized_on_holdings") and x.startswith("sized on TIC")))
            if w.get("caveat"):     # the book's positions beyond their history
                warn += f" BOOK: {w['caveat']}."
            out.append(f"Worst preset {w['scenario']}: book VaR 99% ${w['book_var99_usd']:,.0f}, "
                       f"ES ${w['book_es99_usd']:,.0f} {on}{when}{state}.{warn}")
        out += self.problems
        return out

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"today": self.today, "simulated": self.simulated, "lines": self.lines(),
                         "inputs": self.inputs, "stress": self.stress, "demand": self.demand,
                         "spillover": self.spillover, "scenario": self.scenario,
                         "problems": self.problems})

    def _summary_lines(self) -> list[str]:
        return self.lines()


def _today(ws: Workspace, today: dt.date | None) -> dt.date:
    if today is not None:
        return today
    newest = ws.newest() if ws.simulated else None
    return newest.date() if newest is not None else today_utc()


def stale_note(ws: Workspace, keys: list[str], today: dt.date | None = None) -> str | None:
    """Which of ``keys`` are past their staleness limit on ``today``, with their last dates.

    Returns
    -------
    str or None
        e.g. ``"STALE as of 2026-11-30 (past each series' limit): Bitcoin, Ether last
        2026-01-02 (332 days); US Treasury 10y par yield last 2026-07-22 (131 days)"`` (oldest
        first); None when all are fresh.
    """
    ref = _today(ws, today)
    by_day: dict[str, list[str]] = {}
    for r in _ages(ws, [k for k in keys if k in universe.ASSETS], ref):
        if r["stale"]:
            by_day.setdefault(r["last"], []).append(r["name"])
    if not by_day:
        return None
    parts = [f"{', '.join(names)} last {d} ({(pd.Timestamp(ref) - pd.Timestamp(d)).days} days)"
             for d, names in sorted(by_day.items())]
    return f"STALE as of {ref} (past each series' limit): " + "; ".join(parts)


def curve_note(ws: Workspace, today: dt.date | None = None) -> str | None:
    """``"STALE as of 2026-12-01: the latest curve is of 2026-07-22 (132 days; ...)"`` or None.

    For the yield-curve figure, whose legend says "latest" (the dashboard's card, titled "now,
    a week and a month ago", showed a curve 132 days old without a word).
    """
    ref = _today(ws, today)
    tenors = ws.have([k for k in universe.CURVE_TENORS if k in universe.ASSETS])
    if not tenors:
        return None
    # the date of the curve drawn (at least half the tenors): one FRED 10-year print moved the
    # note to a date whose "curve" the chart did not draw
    last = latest_curve_date(ws.panel(tenors, transform="levels"))
    if last is None:
        return None
    days = (pd.Timestamp(ref) - last.normalize()).days
    limit = max(universe.ASSETS[k].timing.stale_after_days for k in tenors)
    if days <= limit:
        return None
    return (f"STALE as of {ref}: the latest curve is of {last.date()} ({days} days; past the "
            "Treasury yields' staleness limit)")


def coin_levels(ws: Workspace) -> pd.DataFrame:
    """The coins' closes on their own calendar: every day, a weekend's and a holiday's too.

    For the crypto figure. The business-day panel stopped a Sunday evening's chart at Friday's
    close while the headline beside it gave the weekend's fall (BTC −6.5 % and ETH −13 % to
    2025-04-06). An empty frame when no coin is held.
    """
    keys = ws.have(list(COINS))
    if not keys:
        return pd.DataFrame()
    return ws.panel(keys, transform="levels", calendar="every_day")


def coins_note(ws: Workspace) -> str | None:
    """Why the crypto figure draws no coin, or ``None`` when it draws one.

    The chart of an evening before the coins' data (2016-06-01 on ../shared/data, whose
    Binance closes begin 2018-01-01) was an empty frame, a price axis of 0.1 to 10k and a time
    axis of -1 to 6, titled "no coin in the data" without a word of why, while the spillover
    cards beside it said the store's coins begin in 2018.
    """
    if ws.have(list(COINS)):
        return None
    later = ws.begins_later(list(COINS), advice=False)
    return (f"{ws.label} holds no coin ({', '.join(COINS)})"
            + (f": {later}" if later else ""))


def freshness(ws: Workspace, today: dt.date) -> list[dict[str, Any]]:
    """Per headline asset the store holds: its last date and whether it is past its limit."""
    return [{"group": group, **r} for group, keys in GROUPS.items()
            for r in _ages(ws, list(keys), today)]


def _ages(ws: Workspace, keys: list[str], today: dt.date) -> list[dict[str, Any]]:
    """Per asset of ``keys`` the store holds: last date, days old, limit, past it."""
    last = ws.last_dates()
    rows = []
    for k in keys:
        d = last.get(k)
        if d is None:
            continue
        t = universe.ASSETS[k].timing
        days = (pd.Timestamp(today) - d.normalize()).days
        rows.append({"asset": k, "name": universe.ASSETS[k].name,
                     "last": d.date().isoformat(), "days_old": days,
                     "limit_days": t.stale_after_days, "stale": bool(days > t.stale_after_days)})
    return rows


def _spillover(ws: Workspace, today: dt.date) -> dict[str, Any]:
    """The spillover's summary, with its note of a window older than ``today`` and why."""
    rep = spillover_service.spillover(ws)
    return {**rep.summary_dict(),
            "stale_note": spillover_service.stale_note(rep, simulated=ws.simulated,
                                                       today=today)}


def _try(problems: list[str], what: str, fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except SpillwatchError as exc:
        problems.append(f"{what} unavailable: {exc.message}")
        return None


def _block(column: str) -> universe.AssetBlock | None:
    """The asset block of a panel column (``None`` for a column of the user's own)."""
    try:
        return universe.asset_of_column(column).block
    except ConfigError:
        return None


def headline(ws: Workspace, *, today: dt.date | None = None, scenarios: bool = True
             ) -> Headline:
    """The headline block on the workspace's data (memoised per workspace).

    Parameters
    ----------
    ws : Workspace
    today : date, optional
        Reference date for staleness (default: the clock; the data's last date when simulated).
    scenarios : bool
        Include the worst preset's VaR/ES (runs the presets once per workspace).
    """
    def run() -> Headline:
        ref = _today(ws, today)
        problems: list[str] = []
        inputs = freshness(ws, ref)
        held = {r["asset"] for r in inputs}
        missing = []      # a whole group by its name; part of one by the assets it lacks
        for group, keys in GROUPS.items():
            lack = [k for k in keys if k not in held]
            if lack:
                missing.append(group if len(lack) == len(keys) else
                               f"{group} ({', '.join(lack)})")
        stale = []
        for group in GROUPS:
            old = [r for r in inputs if r["group"] == group and r["stale"]]
            if old:
                days = sorted({r["last"] for r in old})
                when = days[0] if len(days) == 1 else f"{days[0]} to {days[-1]}"
                stale.append(f"{group} ({', '.join(r['asset'] for r in old)}: last {when})")
        dm = _try(problems, "Foreign demand", lambda: demand_service.headline(ws, ref))
        if dm:   # the gauge's inputs off the watch list join the freshness table
            inputs += [{"group": "foreign-demand inputs", **r}
                       for r in dm.get("freshness") or []]
        if dm and dm.get("stale_inputs"):   # MOF's weekly flows, China's reserves, auctions
            stale.append(f"foreign-demand inputs ({'; '.join(dm['stale_inputs'])})")
        if stale:
            problems.append(f"Stale inputs as of {ref}, past their limits: {'; '.join(stale)}.")
        st = None
        if "ust10y" in ws.have(["ust10y"]):
            res = _try(problems, "The stress index", lambda: stress_service.stress(ws, today=ref))
            if res is not None and not len(res.valid):
                # no reading at all (a year of data, or no dollar): the headline had no
                # stress line and no word of why
                why = stress_service.summary(ws, res, today=ref).get("unread_reason")
                problems.append("The stress index unavailable: "
                                + (why or "no reading on these data"))
            if res is not None and len(res.valid):
                st = stress_service.summary(ws, res, today=ref)
                grouped = {k for keys in GROUPS.values() for k in keys}
                extra = [k for k in st.get("missing") or [] if k not in grouped]
                if extra:   # the index reads its other inputs: its level moves without them
                    missing.append(f"stress index ({', '.join(extra)})")
        else:
            problems.append("The stress index needs the 10-year yield, which the data lack.")
        if missing:
            # on a past evening, an asset the store holds from later on is no missing feed:
            # "Missing inputs: crypto (trump) (none in store … as published by 2019-07-15)"
            # read as a gap in the data, beside the book's "(the store's figures of it begin
            # later: trump 2025-01-19)" in the same headline
            lacking = [k for keys in GROUPS.values() for k in keys if k not in held]
            later = ws.begins_later(lacking, advice=False) if lacking else None
            problems.insert(0, f"Missing inputs: {'; '.join(missing)} (none in {ws.label}"
                               + (f"; {later}" if later else "") + ").")
        sp = _try(problems, "Spillover", lambda: _spillover(ws, ref))
        sc = None
        if scenarios and "ust10y" in ws.have(["ust10y"]):
            sc = _try(problems, "Scenarios",
                      lambda: scenario_service.presets(ws).summary_dict())
        return Headline(ref.isoformat(), ws.simulated, inputs, st, dm, sp, sc, problems)

    return ws.memo(("headline", str(today), scenarios), run)
