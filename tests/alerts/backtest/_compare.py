"""The truncated reference: the normal monitor on the data published by a day, vs the replay."""

from __future__ import annotations

import math

import pandas as pd

from spillwatch.alerts.backtest.lifecycle import ABSENT, ACTIVE, INACTIVE, UNKNOWN
from spillwatch.alerts.backtest.vintage import VintageSource
from spillwatch.alerts.facts import compute_facts
from spillwatch.service.workspace import Workspace

CODE = {True: ACTIVE, False: INACTIVE, None: UNKNOWN}
#: Values are compared to 1e-9 (relative) / 1e-9 (absolute): the replay sums and ranks the same
#: numbers in another order (one pass over all days instead of one run per day).
TOL = 1e-9


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=TOL, abs_tol=TOL)
    return a == b


def differences(rp, rules, ws, day, cache) -> tuple[list[str], int, int]:
    """Mismatches between the replay and a truncated run on ``day``; facts and evaluations seen.

    The truncated run is the monitor itself: ``compute_facts`` on a workspace over the store
    cut at what was published by the end of ``day`` (VintageSource, an evening of ``ws``),
    ``today = day``, then every rule's ``evaluate``.
    """
    day = pd.Timestamp(day)
    i = rp.dates.get_loc(day)
    # an evening made from ``ws``, as ``alerts test --as-of`` makes it: what the store holds
    # whatever the evening (each series' first date, the demand inputs' starts) is read once
    # for all the days compared
    fs = compute_facts(Workspace(VintageSource.of(ws.source, day, cache), whole=ws),
                       today=day.date())
    out = []
    for name, f in fs.facts.items():
        if name not in rp.facts.values or not rp.facts.exists[name][i]:
            out.append(f"{day.date()} {name}: in the truncated run, not in the replay")
            continue
        got = rp.facts.at(name, i)
        if not same(got, f.value):
            out.append(f"{day.date()} {name}: replay {got!r}, truncated {f.value!r}")
        # the date a value describes (alert summaries print it), where the replay records one
        # (the spillover facts must: the replay's summaries said "3.5 on n/a")
        if f.value is not None and name.startswith("spillover.") and \
                name not in rp.facts.as_of:
            out.append(f"{day.date()} {name}: the replay records no date, truncated {f.as_of}")
        if f.value is not None and name in rp.facts.as_of and (
                ".chg_" in name or name.endswith(".level")
                or name.startswith(("demand.", "stress.", "spillover."))):
            d = rp.facts.as_of[name]
            when = None if d[i] < 0 else pd.Timestamp(int(d[i]), unit="D").date()
            if when != f.as_of:
                out.append(f"{day.date()} {name}: replay as of {when}, truncated {f.as_of}")
    for name in rp.facts.values:
        if rp.facts.exists[name][i] and name not in fs.facts:
            out.append(f"{day.date()} {name}: in the replay, not in the truncated run")
    evals = {(e.rule, e.key): e for r in rules.rules for e in r.evaluate(fs)}
    mine = {(x.rule.name, x.key): x for x in rp.instances}
    for key, inst in mine.items():
        a = int(inst.active[i])
        if key in evals:
            e = evals[key]
            if a != CODE[e.active]:
                out.append(f"{day.date()} rule {key}: replay {a}, truncated {e.active}")
            for name, v in e.values.items():
                got = inst.values[name][i] if name in inst.values else None
                got = None if isinstance(got, float) and math.isnan(got) else got
                if not (got is None and v is None) and not same(
                        float(got) if isinstance(v, float) and got is not None else got, v):
                    out.append(f"{day.date()} rule {key} {name}: replay {got!r}, truncated {v!r}")
        elif a != ABSENT:
            out.append(f"{day.date()} rule {key}: evaluated in the replay only")
    out += [f"{day.date()} rule {k}: evaluated in the truncated run only" for k in evals
            if k not in mine]
    return out, len(fs.facts), len(evals)
