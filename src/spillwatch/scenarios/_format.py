"""Text, tables and JSON of a scenario result: one formatting for the CLI, report, API and PDF.

:func:`scenario_table` is the one formatted scenario table: a DataFrame of strings with units
in the column names and fixed rounding (bp to 0.1, % to 0.01), narrow enough that its
``to_string()`` fits 100 columns. Interfaces render that frame (rich table, HTML table, PDF);
none re-formats the numbers. :func:`explain` is the plain-language statement of how the
scenario was built.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Collection, Sequence
from typing import Any

import numpy as np
import pandas as pd

from spillwatch._results import beside
from spillwatch.scenarios._market import rises_over

WIDTH = 100

_NAMES = {"ust2y": "UST 2y", "ust5y": "UST 5y", "ust10y": "UST 10y", "ust30y": "UST 30y",
          "usd_broad": "USD broad", "usdjpy": "USD/JPY", "gold": "gold", "spx": "S&P 500",
          "btc": "BTC", "eth": "ETH", "trump": "TRUMP"}


def wrap(text: str, indent: str = "  ") -> list[str]:
    """``text`` wrapped to :data:`WIDTH` columns (continuation lines indented)."""
    return textwrap.wrap(text, WIDTH, subsequent_indent=indent, break_on_hyphens=False) or [""]


def name(key: str) -> str:
    """Display name of an asset key."""
    return _NAMES.get(key, key)


def num(x: float, unit: str) -> str:
    """``+45.3`` (bp) or ``-1.23`` (%); empty for NaN."""
    if x is None or not np.isfinite(x):
        return ""
    return f"{x:+.1f}" if unit == "bp" else f"{x:+.2f}"


def usd(x: float) -> str:
    """``$118.6bn``, ``$3.75bn``, ``$1.13tn`` or ``$1,000,000``.

    In billions one decimal, or two when one moves the figure by more than 1% (as
    :func:`~spillwatch._results.sale_size` rounds): japan:1.5bn with china:2.25bn read "the
    whole sale ($3.8bn" beside the label's $1.5bn and $2.25bn and the observed line's $3.75 bn.
    """
    if abs(x) >= 1e12:
        return f"${x / 1e12:,.2f}tn"
    if abs(x) < 1e9:
        return f"${x:,.0f}"
    bn = x / 1e9
    return f"${bn:,.1f}bn" if abs(bn - round(bn, 1)) <= 0.01 * abs(bn) else f"${bn:,.2f}bn"


def var_interval_text(pr: Any, alpha: float = 0.99) -> str:
    """``Monte Carlo 95% interval 187,643–203,515 over 2,000 paths`` (or why it has no top)."""
    lo, hi = pr.var_interval(alpha)
    if hi is None:
        return (f"Monte Carlo 95% interval from {lo:,.0f}, no upper bound: {pr.n:,} paths leave "
                "too few in the tail")
    return f"Monte Carlo 95% interval {lo:,.0f}–{hi:,.0f} over {pr.n:,} paths"


#: How to read the tail probabilities (every interface): ``P(spx<-10%@20d)`` counts a path
#: whose close passes the level on any day within the first 20, not on day 20 alone (read as
#: "on day 20", 0.52 looked like a misprint beside a day-20 fan whose quartile was -14%).
PROBABILITY_NOTE = ("each P(asset<level@Nd) or P(asset>level@Nd) is the share of paths whose "
                    "close passes the level on at least one of the first N business days (at "
                    "any close within N days, not on day N alone)")
#: How to read :func:`scenario_table`'s columns (printed under it in every interface): the "1%"
#: column is the lowest percentile on every row, which for a yield is a fall, beside a
#: "worst 5%" that is the holder's adverse tail (a yield's rise); the "99%" column is the
#: highest, a short position's adverse tail at the horizon.
TABLE_NOTE = ("median, 5%, 95%, 1%, 99%: percentiles of each asset's change at the horizon, a "
              "price's a simple return in %, a yield's in bp (the"
              " 1% is the low end on every row: for a yield a fall, for a price a fall; the 99%"
              " the high end: a price's rise is a short holder's 1% tail, a yield's rise a bond"
              " holder's); worst 5%: "
              "the adverse 5% tail of the worst close within the horizon for a holder (a "
              "yield's highest, a price's lowest); per +10bp 10y: the identified response (a "
              "price's as a log change in %) summed over the days of its kernel (21 by "
              "default: what the paths use; the "
              "impact alone is the identification's table), median [16-84%]; models: the "
              "share of the change's variance at the horizon that is the admissible models' "
              "disagreement on the response (which way and how far the asset answers the "
              "shock: what the sample cannot tell), the rest market noise and the sale's size"
              " (n/a where its sampling error passes 5 points: too few paths for the models)")


def scenario_table(res: Any) -> pd.DataFrame:
    """The formatted scenario table (module docstring), one row per asset.

    Columns: unit, median, 5%, 95%, 1% and 99% of the change at the horizon, the 5% tail of the
    worst close within the horizon for a holder (a yield's highest close, a price's lowest),
    and the identified response per +10 bp of the 10-year (median [16–84%]). Yields in bp,
    the rest in % (simple returns; the response in % log change).
    """
    resp = res.market.response_per_10bp((0.16, 0.5, 0.84))
    shares, ses = res.model_share, res.model_share_se
    rows = []
    for i, key in enumerate(res.market.assets):
        unit = res.market.unit(i)
        q = res.quantiles(key, (0.01, 0.05, 0.5, 0.95, 0.99))
        worst = res.worst_close(key)
        r = resp.loc[key]
        rows.append({"asset": name(key), "unit": unit, "median": num(q["q0.5"], unit),
                     "5%": num(q["q0.05"], unit), "95%": num(q["q0.95"], unit),
                     "1%": num(q["q0.01"], unit), "99%": num(q["q0.99"], unit),
                     "worst 5%": num(worst, unit),
                     "per +10bp 10y": f"{num(r['q0.5'], unit)} "
                                      f"[{num(r['q0.16'], unit)}, {num(r['q0.84'], unit)}]",
                     "models": share_text(shares[key], ses[key])})
    return pd.DataFrame(rows).set_index("asset")


#: Largest standard error of a model share that the table shows (else "n/a").
SHARE_SE_MAX = 0.05


def share_text(share: float | None, se: float | None = None) -> str:
    """A model share as a whole percent; "n/a" when not estimated or too noisy to read."""
    if share is None or share != share or (se is not None and not se <= SHARE_SE_MAX):
        return "n/a"
    return f"{100 * share:.0f}%"


def _share(x: float) -> str:
    """A share as a whole percent, or to one decimal under 1% ("$1.2bn of $300.0bn (0%)")."""
    return f"{x:.0%}" if x == 0 or x >= 0.01 else f"{x:.1%}"


def coverage_line(res: Any) -> str:
    """How much of the sale the horizon covers."""
    h = res.horizon_info
    sold = usd(h["sold_usd"])
    if h["covers_sale"]:
        return (f"horizon {h['horizon_days']} business days: the whole sale ({sold}, ends day "
                f"{h['sale_end_day']}) plus {h['horizon_days'] - h['sale_end_day']} days")
    return (f"horizon {h['horizon_days']} business days (asked; default "
            f"{h['default_horizon_days']}): only {usd(h['sold_within_horizon_usd'])} of {sold} "
            f"({_share(h['share_within_horizon'])}) is sold within it; the sale ends on day "
            f"{h['sale_end_day']}")


def state_line(res: Any) -> str:
    """As-of date and stale series."""
    info = res.market.info
    stale = [f"{name(k)} (last {v['last_date']}, limit {v['stale_after_days']}d; its state is "
             "as of that date)" for k, v in info["series"].items() if v["stale"]]
    later = {k: v["observations_after_as_of"] for k, v in info["series"].items()
             if v["observations_after_as_of"]}
    joint = info.get("joint_end", info["as_of"])
    # where the fit's joint sample and the identified shock really end: a stale series of
    # the VAR (gold's file, ending 2025-10-03) ends them on its last date, before the date
    # every fresh asset reports (as of 2025-12-31 this said "end on 2025-12-26" over a fit
    # to 2025-10-03)
    svar = info.get("svar") or {}
    ends = [str(e) for e in ((info.get("sample") or (None, None))[1], svar.get("end")) if e]
    fit_end = min(ends) if ends else joint
    out = f"state as of {info['as_of']} (each asset's volatility as of its own last date"
    if fit_end < joint:
        held = svar.get("ends_at") if svar.get("end") == fit_end else None
        whose = f"{name(held)}'s last date" if held else "the last date they share"
        out += (f"; the joint sample and the identified shock end on {fit_end}, {whose}: a "
                f"stale series in them holds them back from {joint}, the last date every "
                "asset that is not stale reports")
    elif joint != info["as_of"]:
        out += (f"; the joint sample and the identified shock end on {joint}, the last date "
                "every asset that is not stale reports")
    out += ")"
    if stale:
        out += "; stale vs the newest: " + ", ".join(stale)
    if later:
        out += f"; changes after {joint}, in each asset's own state only: " + ", ".join(
            f"{name(k)} {n}" for k, n in later.items())
    return out


def joint_start(res: Any) -> str | None:
    """The series that start the dependence's sample, when it starts after the shock's.

    The copula (or FHS pool) is fitted on the days every asset with enough history reports;
    a series that begins later (crypto before 2021) moves that start for every asset, without
    a word: a book line in PAXG (from 2020-08-31) cut it from 1,800 days to 1,141 and moved
    the rest of the book's ES. A series of the user's does not: it is mapped on the others
    and stays out of that sample. The identified shock keeps its own sample.
    """
    info = res.market.info
    svar = info.get("svar") or {}
    joint = (info.get("sample") or (None,))[0]
    if not svar.get("start") or not joint or str(joint) <= str(svar["start"]):
        return None
    sparse = {*(info.get("sparse_assets") or ()), *(info.get("own_assets") or ())}
    firsts = {k: v.get("first") for k, v in (info.get("margins") or {}).items()
              if res.market.columns[res.market.index(k)] not in sparse and v.get("first")}
    if not firsts:
        return None
    late = max(firsts.values())
    names = [name(k) for k, v in firsts.items() if v == late]
    return (f"dependence fitted on {info['days']:,} days from {joint}, where "
            f"{', '.join(names)} begin{'s' if len(names) == 1 else ''} (the identified shock "
            f"on {svar.get('days', 0):,} days from {svar['start']})")


def beyond_history(res: Any) -> str | None:
    """A warning when the 10-year target rises further than the fitting sample ever did.

    On each day ``t`` up to its peak, the target's median rise is compared with the largest
    rise of the 10-year over ``t`` business days in the sample (:meth:`FittedMarket.
    largest_rises`; a market without its levels reads the shortest recorded window at least
    as long), and the day it passes history by most is named. Compared once with the largest
    rise over the whole horizon, a longer horizon hid it: japan:200e9:4w as of 2016-12-30
    (+90 bp by day 20, when the sample's largest 20-day rise was 66 bp) was flagged at the
    default 40 days (86 bp) and not at 60 (104 bp), and a one-day sale of $100bn (+45 bp on
    day 1, the sample's largest one-day rise 29 bp) not at all. Beyond it, every
    other asset's path is a linear extrapolation of responses estimated on daily moves of a
    few basis points: a +480 bp target multiplies the models' spread of per-10 bp responses
    by 48, and crypto's tails grow without any limit the data could show.
    """
    fan = res.impact_fan((0.5,), tenor="ust10y")["q0.5"].to_numpy(dtype=float)
    top = int(fan.argmax())         # the first day of the peak: no later day rises further
    if top < 1 or not fan[top] > 0:
        return None
    rises = _rises_by_day(res, top)
    if rises is None:
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(rises > 0, fan[1:top + 1] / rises, np.nan)
    if not np.isfinite(ratio).any():
        return None
    t = int(np.nanargmax(ratio)) + 1
    most, got, peak = float(rises[t - 1]), float(fan[t]), float(fan[top])
    if not got > most:
        return None
    lo, hi = res.market.info.get("ust10y_range") or _moves_range(res)
    # the 10-year's own rows (its margin's data) may begin before the joint sample, which
    # starts with its latest-starting asset: said, not left to look like another period
    joint = res.market.info.get("sample")
    also = (f"; the joint sample starts {joint[0]}, with its latest-starting series"
            if joint and str(joint[0]) != lo else "")
    # the digits that keep the rise past the rise it passes ("+164 bp, is 1.00x ... (+164
    # bp" for 164.04 against 163.97)
    d, r = beside((got, most)), beside((got / most, 1.0), least=2, most=8)
    what = (f"median peak, {got:+.{d}f} bp," if t == top else
            f"median rise, {got:+.{d}f} bp by day {t} (its peak {peak:+.{d}f} bp on day "
            f"{top}),")
    return (f"beyond history: the 10-year target's {what} is "
            f"{got / most:.{r}f}x the largest rise of the 10-year over {t} business "
            f"day{'' if t == 1 else 's'} in "
            f"its own data of the fit ({most:+.{d}f} bp, {lo} to {hi}{also}); the other assets' "
            "moves "
            "extrapolate daily responses linearly, so their tails (crypto's above all) are not "
            "to be read literally")


def _rises_by_day(res: Any, days: int) -> np.ndarray | None:
    """The 10-year's largest rise over each of 1..``days`` business days in its data of the fit.

    From its levels (:meth:`FittedMarket.largest_rises`); without them, each day reads the
    shortest recorded window at least as long (``info["max_moves"]``, else
    ``info["ust10y_max_rise_bp"]``), else ``None``.
    """
    got = res.market.largest_rises("ust10y", days)
    if got is not None:
        return got
    moves = (res.market.info.get("max_moves") or {}).get("ust10y")
    table = ({w: v[1] for w, v in moves.items()} if moves
             else res.market.info.get("ust10y_max_rise_bp"))
    if not table:
        return None
    windows = sorted(int(w) for w in table)
    return np.array([float(table[str(next((x for x in windows if x >= t), windows[-1]))])
                     for t in range(1, days + 1)])


def assumed_signs(res: Any) -> str | None:
    """The assets whose direction on impact the identification imposes (sign restrictions).

    The S&P 500's "per +10 bp" band is tight and negative because the sell-America shock is
    defined that way; on the same sample its plain regression on the 10-year is positive. The
    sizes, and every day after the impact, are estimated.
    """
    ident = getattr(res.market, "identification", None)
    spec = getattr(ident, "spec", None)
    if ident is None or spec is None:
        return None
    shock = next((s for s in getattr(spec, "shocks", ()) if s.name == spec.target), None)
    if shock is None:
        return None
    held = set(ident.variables)
    up = [name(k) for k, s in shock.signs.items() if s > 0 and k in held]
    down = [name(k) for k, s in shock.signs.items() if s < 0 and k in held]
    if not up and not down:
        return None
    parts = "; ".join(p for p in (f"{', '.join(up)} up" if up else "",
                                  f"{', '.join(down)} down" if down else "") if p)
    return (f"signs assumed, not measured: the {shock.label or shock.name} shock is defined "
            f"by its signs on impact ({parts}: the sign restrictions that tell it apart); "
            "their sizes, and every other asset's direction, are estimated")


def unmeasured_direction(res: Any) -> str | None:
    """The assets whose direction in the sell-off the sample does not tell apart from zero.

    An asset whose cumulative response per +10 bp of the 10-year has a 16%–84% band (over the
    admissible models, with their estimation uncertainty) on both sides of zero: its median
    move is the models' centre, not a measured direction (bitcoin's +8.7% median as of
    2018-12-24, from a +2.3% response per 10 bp whose band runs from -0.9% to +5.5%).
    """
    try:
        band = res.market.unmeasured_directions()
    except Exception:        # a market without responses (no identified shock): nothing to say
        return None
    loose = [(str(a), r) for a, r in band.iterrows()]
    if not loose:
        return None
    parts = ", ".join(f"{a} ({r['q0.16']:+.2f} to {r['q0.84']:+.2f} {r['unit']})"
                      for a, r in loose)
    days = res.market.kernels.shape[1]
    return (f"direction not measured: the response per +10 bp of the 10-year summed over the "
            f"shock's first {days} days of {parts} (16%-84% over the admissible models; its "
            "impact may be signed) lies on both sides of zero on this sample; "
            "their medians are the models' centre, not a measured move in a sell-off")


def _window(res: Any, by_window: dict[str, Any]) -> int:
    """The shortest recorded window at least as long as the horizon (else the longest)."""
    windows = sorted(int(w) for w in by_window)
    return next((x for x in windows if x >= res.horizon), windows[-1])


def _largest(res: Any, key: str) -> tuple[int, float, float] | None:
    """``(days, fall, rise)``: ``key``'s largest moves over the horizon in its data of the fit.

    Over exactly the horizon's business days (:meth:`FittedMarket.largest_moves`); a market
    without its levels reads the shortest recorded window at least as long (the horizon of 61
    days was measured against 120 days' moves, and one more day dropped the warning).
    """
    got = res.market.largest_moves(key, res.horizon)
    if got is not None:
        return res.horizon, got[0], got[1]
    moves = (res.market.info.get("max_moves") or {}).get(key)
    if not moves:
        return None
    w = _window(res, moves)
    fall, rise = moves[str(w)]
    return w, fall, rise


def _moves_range(res: Any) -> tuple[str, str]:
    """First and last row the largest moves were read from."""
    lo, hi = res.market.info.get("moves_range") or res.market.info["sample"]
    return str(lo), str(hi)


#: How far past the sample's largest move (in the model's units) an asset's 1% or 99% point
#: must reach before it is flagged: a tail that far out is the linear response extrapolated,
#: not a move the data ever showed.
BEYOND_FACTOR = 1.5


def _beyond(res: Any, factor: float = BEYOND_FACTOR, *, target: bool = False
            ) -> dict[str, str]:
    """Asset → its range beside its history, for the assets :func:`beyond_history_assets` names.

    The 10-year (the target, warned of by :func:`beyond_history`) only with ``target``: a book
    holding it is judged on its range as any other position.
    """
    out = {}
    for key in res.market.assets:
        got = None if key == "ust10y" and not target else _largest(res, key)
        if got is None:
            continue
        _, fall, rise = got
        is_yield = bool(res.market.is_yield[res.market.index(key)])
        q01, q99 = (float(v) for v in res.quantiles(key, (0.01, 0.99)))
        to_model = (lambda v: v) if is_yield else (lambda v: 100.0 * math.log1p(v / 100.0))
        show = (lambda v: v) if is_yield else (lambda v: 100.0 * math.expm1(v / 100.0))
        if to_model(q99) > factor * rise or -to_model(q01) > factor * fall:
            unit = " bp" if is_yield else "%"
            # the line itself, in the units shown: a price's is 1.5x its largest move in log
            # terms (BTC's -61% of history makes -76%, not -92%), so "-80% to +313% (history
            # -61% to +313%)" read as no breach at all
            low, high = show(-factor * fall), show(factor * rise)
            # the points and their lines with the decimals that keep each on its side: whole
            # numbers read "ust2y -138 bp ... the line -138 bp" for -138.33 past -138.27
            d = beside((q01, low), (q99, high))
            out[key] = (f"{key} {q01:+.{d}f}{unit} to {q99:+.{d}f}{unit} (history "
                        f"{show(-fall):+.0f}{unit} to {show(rise):+.0f}{unit}; the line "
                        f"{low:+.{d}f}{unit} to {high:+.{d}f}{unit})")
    return out


def book_beyond_history(res: Any, factor: float = BEYOND_FACTOR) -> list[str]:
    """The book's positions whose simulated 1%–99% range passes ``factor`` times their history.

    A book holding one has a VaR and ES that are the model's extrapolation, not a risk the
    data show: short TRUMP and ETH in ``full-dump`` read a 99% VaR of $1.05bn on $1m (bitcoin's
    95% point +1,913%), printed as plainly as any other.
    """
    if res.portfolio_ is None:
        return []
    held = {k for k, v in res.portfolio_.positions.items() if v}
    # the 10-year too: a $10m 10-year book as of 2019-12-31 read +166 bp at 99% against a
    # largest rise of +62 bp, and its VaR (44% lower held to 1.5x) carried no caveat
    return [k for k in _beyond(res, factor, target=True) if k in held]


#: How much the book's 99% VaR may move when its positions beyond history are held to
#: :data:`BEYOND_FACTOR` times their largest move before it is no measured risk.
BOOK_SENSITIVITY = 0.10
#: A 99% VaR below this share of the book's gross notional is none to move (a hedged book:
#: a copy of the S&P 500 against the S&P 500 reads 0, its clipped VaR a few cents of float
#: rounding, which stopped the scenario on "float division by zero").
BOOK_VAR_FLOOR = 1e-6


def _var_floor(res: Any) -> float:
    """:data:`BOOK_VAR_FLOOR` of the book's gross notional (USD)."""
    return BOOK_VAR_FLOOR * float(np.abs(res.portfolio_.vector(res.market.assets)).sum())


def book_var_held(res: Any, held: Sequence[str], factor: float = BEYOND_FACTOR
                  ) -> tuple[float, float]:
    """The book's 99% VaR on the kept paths, as simulated and with ``held``'s moves clipped.

    Each named asset's terminal move is held within ``factor`` times its largest fall and rise
    over the horizon in the fit's data (:func:`_largest`, the model's units), every
    other move as simulated: how much of the VaR rests on moves the data never showed.
    """
    from spillwatch.scenarios.portfolio import pnl, var_es

    term = np.array(res.kept_paths[:, -1, :], dtype=float)
    for key in held:
        got = _largest(res, key)
        if got is None:
            continue
        _, fall, rise = got
        i = res.market.index(key)
        term[i] = np.clip(term[i], -factor * fall, factor * rise)
    w = res.portfolio_.vector(res.market.assets)
    plan = res.plan
    args = (plan.log_assets, plan.years, plan.coupons, plan.per_usd, plan.held, plan.forward)
    base = pnl(res.kept_paths[:, -1, :], w, *args)
    return var_es(base, 0.99)[0], var_es(pnl(term, w, *args), 0.99)[0]


def book_lines_note(res: Any) -> str | None:
    """What the book's lines rest on when the caveat (:func:`book_caveat`) does not fire.

    Lines whose range passes their history but barely move the VaR when held to it (a long
    crypto line cannot lose more than its size: BTC's 1% point of -77% against a worst of -61%
    moved a crypto book's VaR by little), said with the move they make; and lines whose
    volatility is constant (too few days for GARCH: TRUMP in 2025). The JSON listed them; the
    text said nothing.
    """
    if res.portfolio_ is None:
        return None
    parts = []
    held = book_beyond_history(res)
    var, clipped = book_var_held(res, held) if held else (0.0, 0.0)
    if held and abs(var) > _var_floor(res) and book_caveat(res) is None:
        one = len(held) == 1
        parts.append(f"{', '.join(held)} pass{'es' if one else ''} {BEYOND_FACTOR:g}x the "
                     f"largest move in {'its' if one else 'their'} data at 1% or 99%, but "
                     f"holding {'it' if one else 'them'} to it moves the 99% VaR by "
                     f"{100 * (clipped / var - 1):+.0f}% (within "
                     f"{100 * BOOK_SENSITIVITY:.0f}%)")
    margins = res.market.info.get("margins") or {}
    flat = [f"{k} ({str(v['model']).removeprefix('constant').strip(' ()')}; {v['days']} days)"
            for k, v in margins.items()
            if res.portfolio_.positions.get(k) and str(v.get("model", "")).startswith("constant")]
    if flat:
        parts.append("constant volatility: " + ", ".join(flat))
    return ("book lines: " + "; ".join(parts)) if parts else None


def _apart(a: float, b: float) -> tuple[str, str]:
    """``a`` and ``b`` (USD) to the dollar, or to the cents (or finer) their gap needs.

    Rounded to the unit of the whole dollar, 0.01, … 0.000001 whose half is at most 5% of
    ``|a - b|``: the two amounts tell their gap within 10%.
    """
    gap = abs(a - b)
    places = 0
    for places in (0, 2, 3, 4, 5, 6):
        if not gap or gap >= 10.0 ** (1 - places):
            break
    return f"{a:,.{places}f}", f"{b:,.{places}f}"


def book_caveat(res: Any) -> str | None:
    """The sentence printed beside a book's VaR when it rests on moves beyond history.

    When the book holds positions :func:`book_beyond_history` names and holding their moves
    to :data:`BEYOND_FACTOR` times their history moves its 99% VaR by more than
    :data:`BOOK_SENSITIVITY` (short TRUMP and ETH in ``full-dump``: $1.05bn on $1m); a small
    line whose tail passes its history but barely moves the VaR is not flagged.
    """
    held = book_beyond_history(res)
    if not held:
        return None
    var, clipped = book_var_held(res, held)
    floor = _var_floor(res)
    if abs(var - clipped) <= BOOK_SENSITIVITY * max(abs(var), floor):
        return None
    # the headline VaR is read from every path (a histogram when not all were kept), the
    # clipped one from the kept paths: the sentence quotes the headline and scales the clipped
    # VaR by the kept paths' ratio (it said "instead of 491,168" beside a headline $490,472)
    head = res.var(0.99)
    held_var = head * clipped / var if abs(var) > floor else clipped
    moved = (f" ({100 * (clipped / var - 1):+.0f}%)" if abs(var) > floor else "")
    # to the dollar, or to the cents that tell them apart: a hedged book's $1.87 and $1.64
    # (or $2.02 and $1.71, -16%) read "about 2 instead of 2"
    said, was = _apart(held_var, head)
    return (f"not a measured risk: the book holds {', '.join(held)}, whose 1%–99% range in "
            f"this scenario passes {BEYOND_FACTOR:g}x the largest move in its data of the fit; "
            f"with those moves held to {BEYOND_FACTOR:g}x its 99% VaR would be about "
            f"{said} instead of {was}{moved}: the "
            "VaR and ES extrapolate the daily responses and volatility, not a loss the data "
            "could support")


def fallback_holdings(res: Any) -> str | None:
    """A warning when a preset is sized on the fallback holdings, not on the data's TIC.

    A store without TIC holdings by then (a folder of 2016 without ``tic/``) sized China's
    10% on the spring-2025 $760bn ($76bn) where TIC read $1,240.8bn, without a word.
    """
    from spillwatch.scenarios.inputs import FALLBACK_HOLDINGS_USD, FALLBACK_LABEL

    sc = res.scenario
    # a preset (or one of its sellers alone) is sized as shares of the holdings; a custom
    # scenario's amounts are given in dollars
    if sc.name in ("custom", "baseline") or sc.holdings_source != FALLBACK_LABEL:
        return None
    held = ", ".join(f"{k.capitalize() if k != 'uk' else 'UK'} ${v / 1e9:,.0f}bn"
                     for k, v in FALLBACK_HOLDINGS_USD.items())
    when = res.market.info.get("as_of")
    return (f"sized on the fallback holdings of spring 2025 ({held}): the data hold no TIC "
            f"holdings{' by ' + str(when) if when else ''}; the preset's shares are of those "
            "figures, not of what the sellers held then (import tic/ or give the sellers' "
            "amounts with --seller)")


def stale_assets(res: Any) -> str | None:
    """A warning naming the series past their staleness limit against the newest data.

    The state line names them with their dates; the JSON's ``warnings`` did not (its
    ``stale`` list did): on 2026-03-31 seven of the eleven series started from weeks-old
    states with no warning a reader of ``warnings`` would see.
    """
    series = res.market.info.get("series") or {}
    old = [name(k) for k, v in series.items() if v.get("stale")]
    if not old:
        return None
    return (f"{len(old)} of {len(series)} series past their staleness limit against the "
            f"newest data ({res.market.info['as_of']}): {', '.join(old)}; each starts from "
            "its own last date's state and moves with the others from there (the state line "
            "gives each one's last date and limit)")


#: Fewest kept paths whose 1% and 99% points per day :func:`_beyond_before` reads.
BEFORE_MIN_PATHS = 200


def _beyond_before(res: Any, named: Collection[str], factor: float = BEYOND_FACTOR
                   ) -> dict[str, str]:
    """Assets not named at the horizon whose 1%–99% range passes their history on a day before.

    On each day ``t`` before the horizon, the 1% and 99% points of the kept paths' change
    against ``factor`` times the asset's largest fall and rise over ``t`` business days in its
    data of the fit (:meth:`FittedMarket.largest_rises` of the level and of its negative); the
    day it passes most is named. Read at the horizon alone, a longer horizon hid a breach the
    same paths made earlier (``japan:200e9:4w`` as of 2016-12-30: the 5-year's −47 to +149 bp
    at day 40 passes its 40-day line, +129; at ``--horizon 120`` it was not named). Needs the
    fit's levels and :data:`BEFORE_MIN_PATHS` kept paths; the 10-year has its own warning.
    """
    m = res.market
    days = res.horizon - 1
    if days < 1 or m.levels is None:
        return {}
    kept = res.kept_paths
    if kept is None or kept.shape[-1] < BEFORE_MIN_PATHS:
        return {}
    out = {}
    for key in m.assets:
        if key == "ust10y" or key in named or key not in m.levels:
            continue
        i = m.index(key)
        is_yield = bool(m.is_yield[i])
        rises = m.largest_rises(key, days)
        falls = rises_over(-m.levels[key], days)
        q = np.quantile(kept[i, :days].astype(np.float64), (0.01, 0.99), axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.fmax(np.where(rises > 0, q[1] / (factor * rises), np.nan),
                            np.where(falls > 0, -q[0] / (factor * falls), np.nan))
        if not np.isfinite(ratio).any() or not np.nanmax(ratio) > 1.0:
            continue
        t = int(np.nanargmax(ratio)) + 1
        show = (lambda v: v) if is_yield else (lambda v: 100.0 * math.expm1(v / 100.0))
        q01, q99 = show(float(q[0, t - 1])), show(float(q[1, t - 1]))
        fall, rise = float(falls[t - 1]), float(rises[t - 1])
        low, high = show(-factor * fall), show(factor * rise)
        unit = " bp" if is_yield else "%"
        d = beside((q01, low), (q99, high))
        out[key] = (f"{key} by day {t}: {q01:+.{d}f}{unit} to {q99:+.{d}f}{unit} (its largest "
                    f"over {t} days {show(-fall):+.0f}{unit} to {show(rise):+.0f}{unit}; the "
                    f"line {low:+.{d}f}{unit} to {high:+.{d}f}{unit})")
    return out


def beyond_history_assets(res: Any, factor: float = BEYOND_FACTOR) -> str | None:
    """A warning naming the assets whose 1%–99% range passes their history.

    Each asset's 1% and 99% points of the terminal change against ``factor`` times its own
    largest fall and rise over the horizon in its data of the fit (:func:`_largest`; log
    changes for prices, so a fall and a rise compare alike), and, for the assets that do not
    pass it there, each day before the horizon against its largest moves over as many days
    (:func:`_beyond_before`, on the kept paths), so a longer horizon does not hide a breach.
    The 10-year has its own warning (:func:`beyond_history`).
    """
    beyond = _beyond(res, factor)
    before = _beyond_before(res, beyond, factor)
    if not beyond and not before:
        return None
    lo, hi = _moves_range(res)
    fit = (f"in each asset's data of the fit ({lo} to {hi}, each to its own last day; a "
           f"price's as a log change, so its line is not {factor:g}x the percent)")
    early = ("; ".join(before.values()) + " (the kept paths' 1% and 99% points, on the day "
             "each passes its line most)") if before else ""
    tail = (": those tails come from the model (its volatility and the daily responses "
            "extrapolated), not from moves the data showed")
    if not beyond:
        return (f"beyond history: before day {res.horizon}, the 1%–99% range passes "
                f"{factor:g}x the largest fall or rise over as many business days {fit} for "
                f"{early}{tail}")
    out = list(beyond.values())
    w = _largest(res, next(iter(beyond)))[0]  # type: ignore[index]
    return (f"beyond history: the 1%–99% range at day {res.horizon} passes "
            f"{factor:g}x the largest fall or rise over {w} business days {fit} for "
            f"{'; '.join(out)}" + (f"; and before day {res.horizon}, against as many business "
                                   f"days, for {early}" if early else "") + tail)


def summary_lines(res: Any) -> list[str]:
    """The text summary: header, coverage, state, table, probabilities, portfolio."""
    m = res.market
    t10 = res.impact_fan((0.05, 0.5, 0.95), tenor="ust10y")
    peak = int(t10["q0.5"].to_numpy().argmax())
    # the admissible models the identification counts, less those whose 10-year response
    # cannot be inverted ("2,420 models" beside "Admissible models: 2,426" without a word)
    gone = int(m.info.get("non_invertible_models", 0) or 0)
    dropped = (f" ({gone:,} of the {m.info['models'] + gone:,} admissible left out: their "
               "10-year response cannot be inverted)" if gone else "")
    lines = [*wrap(res.scenario.label()),
             *wrap(f"{res.paths:,} paths, seed {res.seed}, noise {m.method}, "
                   f"{m.info['models']:,} identified models{dropped}; holdings: "
                   f"{res.scenario.holdings_source}"),
             *wrap(coverage_line(res)), *wrap(state_line(res)),
             *(wrap(late) if (late := joint_start(res)) else []),
             *wrap(f"10y target (literature impact): median {t10['q0.5'].iloc[peak]:+.1f} bp "
                   f"at its peak (day {peak}), {t10['q0.5'].iloc[-1]:+.1f} bp "
                   f"[5–95%: {t10['q0.05'].iloc[-1]:+.1f}, {t10['q0.95'].iloc[-1]:+.1f}] at day "
                   f"{res.horizon}")]
    if res.observed is not None:
        lines += wrap("observed: " + str(res.observed["sentence"]))
    for warn in res.warnings():
        lines += wrap("WARNING: " + warn)
    lines += ["", scenario_table(res).to_string(), *wrap(TABLE_NOTE)]
    signs = assumed_signs(res)
    if signs:
        lines += wrap(signs)
    lines += ["", "probabilities (all paths; ± one Monte Carlo standard error):",
              *wrap(PROBABILITY_NOTE)]
    for (text, p), se in zip(res.probabilities.items(), res.probabilities_se, strict=True):
        lines.append(f"  P({text}) = {p:.3f} ± {se:.3f}")
    if res.portfolio_ is not None:
        pr = res.portfolio()
        gross = usd(pr.portfolio.gross_usd)
        lines += ["", *wrap(f"portfolio ({gross} gross), over the {res.horizon} business "
                            f"days: VaR 99% {pr.var(0.99):,.0f} USD "
                            f"({var_interval_text(pr)}), ES 99% {pr.es(0.99):,.0f} USD, "
                            f"VaR 95% {pr.var(0.95):,.0f} USD")]
        caveat = book_caveat(res)
        if caveat:
            lines += wrap("BOOK: " + caveat)
        for note in book_notes(res):
            lines += wrap(note)
    return lines


def book_notes(res: Any) -> list[str]:
    """What the book's lines rest on, a sentence each (under its VaR in every interface).

    Lines past their history that barely move the VaR and lines of constant volatility
    (:func:`book_lines_note`), each currency per dollar's forward (:func:`fx_forward_lines`),
    the Treasuries' coupons (:func:`bond_coupons`).
    """
    if res.portfolio_ is None:
        return []
    note = book_lines_note(res)
    out = ([note] if note else []) + fx_forward_lines(res)
    coupons = bond_coupons(res)
    if coupons:
        known = res.market.info.get("start_yields_pct") or {}
        out.append("Treasuries held as par bonds at their yields on the first day, to the "
                   "horizon with their coupon accrued: "
                   + ", ".join(f"{k} {v:.2f}%" + ("" if k in known else
                                                  " (assumed: the fit had no level)")
                               for k, v in coupons.items()))
    return out


def fx_forwards(res: Any) -> dict[str, dict[str, Any] | None]:
    """Each currency per dollar the book holds: its forward's rates and points, or None.

    ``points_pct``: what the forward points put in a long position over the horizon, in % of
    its notional (:math:`1 - F/S_0`; the portfolio module's docstring); None where the
    market carries no rates for it (no points in its P&L).
    """
    if res.portfolio_ is None:
        return {}
    held = {k for k, v in res.portfolio().portfolio.notional_usd.items() if v}
    rates = res.market.info.get("fx_rates_pct") or {}
    fwd = res.plan.forward
    out: dict[str, dict[str, Any] | None] = {}
    for i, a in enumerate(res.market.assets):
        if res.plan.per_usd[i] and a in held:
            r = rates.get(a)
            out[a] = None if r is None or fwd is None else {
                **r, "points_pct": 100.0 * (1.0 - float(fwd[i]))}
    return out


def fx_forward_lines(res: Any) -> list[str]:
    """What each currency per dollar of the book carries (a sentence each)."""
    lines = []
    held = res.portfolio().portfolio.notional_usd if res.portfolio_ is not None else {}
    for a, f in fx_forwards(res).items():
        side = "long" if held.get(a, 0.0) > 0 else "short"
        if f is None:
            lines.append(f"{name(a)} held without forward points: no fresh short rates of both "
                         f"currencies on the scenario's first day "
                         f"({res.market.info.get('as_of')}); its carry is not in the P&L")
        else:
            lines.append(f"{name(a)} held as a forward struck on the first day: the dollar's "
                         f"{f['usd_pct']:.2f}% ({f['usd_source']}) against "
                         f"{f['ccy_pct']:.2f}% ({f['ccy_source']}) as read on {f['date']} add "
                         f"{f['points_pct'] * (1 if side == 'long' else -1):+.2f}% of its "
                         f"notional to the book's {side} position over the {res.horizon} "
                         "business days (forward points by covered interest parity, before "
                         "the cross-currency basis)")
    return lines


def bond_coupons(res: Any) -> dict[str, float]:
    """The coupon (%) of each Treasury the book holds: its yield on the scenario's first day."""
    if res.portfolio_ is None:
        return {}
    held = {k for k, v in res.portfolio().portfolio.notional_usd.items() if v}
    return {a: float(c) * 100.0 for a, c, t in zip(res.market.assets, res.plan.coupons,
                                                   res.plan.years, strict=True)
            if t > 0 and a in held}


def _curve_note(res: Any) -> str:
    """What the literature's 5-year figure becomes on the simulated 5-year (one sentence).

    The literature sets the 10-year's path only; the 5-year then answers through the
    identified responses, so its median move is the loading times its response per +10 bp of
    the 10-year, not the literature's 5-year figure itself.
    """
    m = res.market
    if "ust5y" not in m.assets:
        return ""
    r5 = float(m.response_per_10bp((0.5,)).loc["ust5y", "q0.5"]) / 10.0
    share = res.impact.loading("ust10y") * r5
    return (f" The 5-year is not held to the literature's figure: it follows the 10-year "
            f"through the identified responses ({10 * r5:+.1f} bp per +10 bp of the 10-year, "
            f"median), so it moves about {share:.2f} of that figure; the curve's other tenors "
            "likewise.")


def _measured_note(res: Any, per100: float) -> str:
    """The data's own slope of the 10-year on the week's selling, beside the paths' impact.

    From ``observed_selling["ust10y_on_selling_measured"]`` (the service layer's
    :func:`~spillwatch.analytics.demand.yield_impact.yield_on_selling`); "" without the
    observed selling (no store), and a sentence saying the data give neither slope when it is
    empty (the explanation left the slope out without a word on a store without MOF's weekly
    flows or custody, or with under two years of them by the evening).
    """
    if res.observed is None or "ust10y_on_selling_measured" not in res.observed:
        return ""
    got = res.observed.get("ust10y_on_selling_measured") or {}
    parts = []
    for key, what in (("japan", "Japanese residents' net sales of foreign long-term bonds "
                       "(MOF's weekly figures: all foreign bonds, not Treasuries alone)"),
                      ("custody", "the fall of the Fed's custody holdings for foreign official "
                       "accounts")):
        g = got.get(key)
        if not g:
            continue
        ratio = (f", {g['bp_per_100bn'] / per100:.2f}x the paths'"
                 if math.isfinite(per100) and per100 > 0 else "")
        parts.append(f"on {what}, {g['bp_per_100bn']:+.1f} bp per $100bn (Newey–West SE "
                     f"{g['se']:.1f}; {g['weeks']:,} weeks {g['start']} to {g['end']}{ratio})")
    if not parts:
        from spillwatch.analytics.demand.yield_impact import MIN_WEEKS

        return (" Not measured on these data: the 10-year's weekly change on the week's "
                f"published selling needs {MIN_WEEKS} weeks of MOF's weekly flows or of the "
                "Fed's custody holdings, which these data do not give by then.")
    return (" Measured on these data, not used in the paths: the 10-year's weekly change "
            + "; ".join(parts) + ". Flows answer yields too: neither slope is a causal effect "
            "or a bound on one.")


def explain(res: Any) -> str:
    """How the scenario was built, in words (identification, sample, bands, literature band)."""
    m, imp, ident = res.market, res.impact, res.market.identification
    flow, stock, hl = imp.flow_bp, imp.stock_bp, imp.half_life_days
    band = ("Beltran, Kretchmer, Márquez & Thomas (2013): 40–60 bp short run, about 20 bp long "
            "run" if imp.band == "central" else
            "the upper band, this module's choice: the flow effect at the top of Beltran et "
            "al.'s 40–60 bp, the lasting effect above their about 20 bp (Warnock & Warnock "
            "2009 find official flows' effect smaller than all foreign flows', not larger)")
    literature = ("That band is one paper's, in dollars of the market before 2008 (foreign "
                  "holdings of Treasuries $2.2tn in June 2007, TIC), not rescaled to today's; "
                  "published estimates per $100bn of official sales run from about 2 bp (IMF "
                  "WP/17/174) to over 100 bp on impact (Ahmed & Rebucci 2022).")
    t10 = res.impact_fan((0.05, 0.5, 0.95), tenor="ust10y")
    peak = int(t10["q0.5"].to_numpy().argmax())
    sold = res.horizon_info["sold_within_horizon_usd"]
    per100 = t10["q0.5"].iloc[-1] / (sold / 100e9) if sold else float("nan")
    shock_sd = np.median(m.shock_per_bp) * t10["q0.5"].iloc[-1]
    paras = [
        f"Scenario: {res.scenario.label()}. {coverage_line(res)}.",
        f"Impact: each $100bn sold within a month lifts the 5-year yield by {flow[0]:g}–"
        f"{flow[1]:g} bp at the peak and {stock[0]:g}–{stock[1]:g} bp for good, the excess "
        f"decaying with a half-life of {hl[0]:g}–{hl[1]:g} business days (drawn per path); "
        f"band '{imp.band}': {band}. The 10-year takes {imp.loading('ust10y'):g} of the 5-year "
        f"impact: median {t10['q0.5'].iloc[peak]:+.1f} bp at the peak (day {peak}), "
        f"{t10['q0.5'].iloc[-1]:+.1f} bp [5–95%: {t10['q0.05'].iloc[-1]:+.1f}, "
        f"{t10['q0.95'].iloc[-1]:+.1f}] at the horizon, i.e. {per100:.1f} bp per $100bn sold. "
        + literature + _measured_note(res, per100),
        f"Shock: that 10-year path is produced by the identified sell-America shock, scaled day "
        f"by day (about {shock_sd:.1f} standard deviations of the daily shock in all, median "
        f"over models). Every other asset follows the shock's impulse responses from one "
        f"admissible model drawn per path ({m.info['models']:,} models, responses over "
        f"{m.info['kernel_lags']} days), plus residual noise ({m.method}, variance-"
        f"targeting GARCH(1,1)-t margins, each path's variance capped at the highest its fit "
        f"read on the data) and, for "
        f"{', '.join(name(k) for k in m.info['jumps']) or 'no asset'}, jumps."
        + _curve_note(res),
    ]
    lines: list[str] = []
    for p in paras:
        lines += [*wrap(p), ""]
    lines += [str(ident.explain()), "",
              "Cumulative response per +10 bp of the 10-year used in the paths (median [16–84%]):"]
    resp = m.response_per_10bp((0.05, 0.16, 0.5, 0.84, 0.95))
    for key, r in resp.iterrows():
        unit = r["unit"]
        lines.append(f"  {name(key):<10} {num(r['q0.5'], unit):>7} {unit:<2} "
                     f"[{num(r['q0.16'], unit)}, {num(r['q0.84'], unit)}]  5–95%: "
                     f"[{num(r['q0.05'], unit)}, {num(r['q0.95'], unit)}]")
    for key, a in m.info["auxiliary"].items():
        lines += wrap(f"  ({name(key)} is outside the VAR: regression on the structural shocks "
                      f"{a['start']} to {a['end']}, {a['nobs']} days, R² {a['r2']:.2f})", "   ")
    for key, a in m.info.get("mapped", {}).items():
        lines += wrap(f"  ({name(key)} moves with the simulated assets: regression of its daily "
                      f"changes on theirs {a['start']} to {a['end']}, {a['nobs']} days, R² "
                      f"{a['r2']:.2f}, plus a residual of its own)", "   ")
    # the series that end the fitting sample, named (gold's file, ending 2025-10-03, cut
    # TRUMP's regression to 178 days and left BTC's and ETH's later crashes out, unnamed)
    ends = [name(k) for k, v in m.info["series"].items()
            if v.get("last_date") == m.info["sample"][1]]
    cut = (f"; {', '.join(ends)} end{'s' if len(ends) == 1 else ''} there"
           if ends and m.info["sample"][1] != m.info["as_of"] else "")
    lines += ["", *wrap(f"Sample: noise fitted {m.info['sample'][0]} to "
                        f"{m.info['sample'][1]} ({m.info['days']:,} joint days{cut}); "
                        f"{state_line(res)}.")]
    return "\n".join(lines)


def to_dict(res: Any, jsonable: Callable[[Any], Any]) -> dict[str, Any]:
    """JSON-safe dict of a result (the API's and ``--json``'s body)."""
    m = res.market
    info = {k: v for k, v in m.info.items() if k not in ("margins",)}
    out: dict[str, Any] = {
        "title": res.title, "scenario": res.scenario.name, "label": res.scenario.label(),
        "sellers": [{"country": s.country, "amount_usd": s.amount_usd, "weeks": s.weeks,
                     "start_weeks": s.start_weeks} for s in res.scenario.sellers],
        "holdings_source": res.scenario.holdings_source,
        "paths": res.paths, "horizon_days": res.horizon, "horizon": jsonable(res.horizon_info),
        "seed": res.seed, "method": m.method, "regime": m.regime, "backend": res.backend,
        "as_of": m.info["as_of"], "stale": m.info["stale"], "fit": jsonable(info),
        "table": jsonable(res.table()),
        "display_table": jsonable(scenario_table(res)),
        "probabilities": jsonable(res.probabilities),
        "probabilities_se": jsonable(res.probabilities_se),
        "tail": jsonable(res.tail_table()),
        "impact_5y_bp": jsonable(res.impact_fan()),
        "impact_10y_bp": jsonable(res.impact_fan(tenor="ust10y")),
        "response_per_10bp": jsonable(m.response_per_10bp()),
        "identification": jsonable(m.identification.to_dict()),
        "fan": {k: jsonable(res.fan(k)) for k in m.assets},
        "explain": explain(res),
        "warnings": res.warnings(),
        "probabilities_note": PROBABILITY_NOTE,
        "assumed_signs": assumed_signs(res),
        # the series that start the dependence's sample later than the shock's
        "sample_note": joint_start(res),
        # the published selling beside the scenario's size (the service layer attaches it)
        "observed_selling": jsonable(res.observed),
    }
    if res.portfolio_ is not None:
        coupons = bond_coupons(res)
        out["portfolio"] = {
            **res.portfolio().to_dict(), "bond_coupons_pct": coupons,
            # each currency per dollar held: its forward's rates and points (None: no points)
            "fx_forwards": fx_forwards(res),
            # positions whose simulated range passes their history: the VaR extrapolates
            "beyond_history": book_beyond_history(res), "caveat": book_caveat(res),
            # lines beyond history that barely move the VaR, lines of constant volatility
            "lines_note": book_lines_note(res),
            # tenors whose coupon is PAR_COUPON because no yield level reached the fit
            "bond_coupons_assumed": sorted(set(coupons)
                                           - set(res.market.info.get("start_yields_pct") or {}))}
    return out
