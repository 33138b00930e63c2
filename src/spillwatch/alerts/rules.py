"""Alert rules in TOML: parsing, validation with line numbers, and evaluation against facts.

A rule file has an optional ``[defaults]`` table, any number of ``[[receiver]]`` tables and
``[[rule]]`` tables (the packaged ``default_rules.toml`` documents every field)::

    [[rule]]
    name = "btc_daily_drop"
    fact = "btc.chg_1d_pct"          # one condition: fact, op, value (or ref = another fact)
    op = "<="
    value = -8
    for = "0m"                       # pending this long before firing
    keep_firing_for = "0m"           # firing this long after the conditions stop holding
    repeat_interval = "1d"           # re-notify a firing alert this often
    renotify_on = "btc.chg_1d_pct"   # ... and at once when this fact has a new observation
    severity = "critical"
    summary = "Bitcoin fell {btc.chg_1d_pct:.1f}% in one day"

    [[rule]]
    name = "yields_up_dollar_down"   # several conditions, all must hold
    when = [{ fact = "stress.signature_ust10y_chg_5d_bp", op = ">=", value = 25 },
            { fact = "stress.signature_usd_broad_chg_5d_pct", op = "<=", value = -1.5 }]

A rule ``inhibited_by = [{ rule = "btc_daily_drop", equal = ["asset"] }]`` holds its alerts
back while an alert of the rule named fires with the same ``asset``: recorded as firing and
inhibited, not delivered (Alertmanager's inhibition, stated per rule; one move told once).

(the changes of an H.10 series, ``usd_broad``, ``usdjpy``, ``usdcny``, published a week at a
time, cannot be ANDed with those of a series published daily: the legs end on different days;
a ``*`` rule's instances for those series are not evaluated, with that reason)

A fact name may put ``*`` in place of the series (``"*.stale_bdays"``): the rule then makes one
alert per series, labelled ``asset=<key>``, filtered by ``match = { frequency = "daily" }``
(the staleness facts) or ``match = { block = "crypto" }`` (``*.z_1d``); a list matches any of
its values (``match = { asset = ["btc", "trump"] }``).

A summary names facts as ``{fact:format}``, the date a fact's value describes as
``{fact@date}``, and ``{value}``, ``{asset}``, ``{as_of}`` (the first condition's date).

``tomllib`` reports the line of a syntax error; for a semantic error (unknown field, bad
threshold, unknown series) this module finds the line of the offending key by scanning the text,
and every :class:`~spillwatch.exceptions.ConfigError` it raises names ``file:line``.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import numbers
import re
import string
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from spillwatch import universe
from spillwatch.alerts._packaged import default_rules_text
from spillwatch.alerts.facts import NUMBER, FactKind, FactSet, fact_kind
from spillwatch.alerts.schema import (
    ConditionSpec,
    DefaultsSpec,
    InhibitSpec,
    RuleSpec,
)
from spillwatch.analytics.demand import FACTS as DEMAND_FACTS
from spillwatch.analytics.stress import SUBINDEX_COLUMNS
from spillwatch.config import settings
from spillwatch.exceptions import ConfigError

log = logging.getLogger(__name__)

RECEIVER_TYPES = ("console", "webhook", "email")
WEBHOOK_FORMATS = ("json", "slack", "discord")

_TOP = {"defaults", "receiver", "rule"}
_RECEIVER = {
    "console": {"name", "type", "stream"},
    "webhook": {"name", "type", "url", "url_env", "format", "timeout", "headers"},
    "email": {"name", "type", "host", "port", "from", "to", "starttls", "ssl", "username",
              "password_env", "timeout", "subject_prefix"},
}
_SPECIAL_FIELDS = {"value", "asset", "as_of", "rule", "severity"}


def webhook_url_ok(url: object) -> bool:
    """Whether ``url`` is an http(s) address in printable ASCII (no space, no line break)."""
    return isinstance(url, str) and bool(re.fullmatch(
        r"https?://[!-~]+", url)) and bool(re.fullmatch(
            r"https?://[^\s/?#\[\]]+(?::\d{1,5})?(?:[/?#]\S*)?", url))


def headers_ok(headers: object) -> bool:
    """Whether ``headers`` maps HTTP token names to values in printable ASCII."""
    return isinstance(headers, dict) and all(
        isinstance(k, str) and re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", k)
        and isinstance(v, str) and re.fullmatch(r"[ \t!-~]*", v)
        for k, v in headers.items())


# -- locating lines -----------------------------------------------------------------------------
def toml_error_line(text: str, exc: tomllib.TOMLDecodeError) -> int:
    """The 1-based line of a TOML syntax error.

    tomllib's "(at line N, ...)"; for an error "(at end of document)" (an unclosed string,
    table or value) the last line with text (it was line 0, which no editor shows).
    """
    m = re.search(r"at line (\d+)", str(exc))
    if m:
        return int(m.group(1))
    return text.rstrip().count("\n") + 1


class _Locator:
    """Find the line of a table or key in TOML text (tomllib keeps no positions)."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\"-]+)\s*\]\]?\s*(#.*)?$")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: list[tuple[int, str]] = []  # (line index, table name)
        # the headers of each table name, by their place in ``headers``: a lookup per rule
        # scanned every header, and a file of 10,000 rules took 13 s to parse
        self._by_name: dict[str, list[int]] = {}
        for i, line in enumerate(self.lines):
            m = self._HEADER.match(line)
            if m:
                name = m.group(2).replace('"', "")
                self._by_name.setdefault(name, []).append(len(self.headers))
                self.headers.append((i, name))

    def table(self, name: str, index: int = 0) -> tuple[int, int]:
        """Line range ``[start, end)`` of the ``index``-th table ``name`` (with its sub-tables)."""
        found = self._by_name.get(name, [])
        if index >= len(found):
            return 0, len(self.lines)
        k = found[index]
        start = self.headers[k][0]
        end = len(self.lines)
        for j in range(k + 1, len(self.headers)):
            i, n = self.headers[j]
            if not n.startswith(name + "."):
                end = i
                break
        return start, end

    def after(self, line: int, needle: str, table: str, index: int = 0) -> int:
        """1-based line of ``needle`` at or after ``line`` within the table; else ``line``.

        A condition of ``when = [...]``: its op and value are on its own line or after it,
        not at the first ``value`` after ``when`` (the third condition's bad value was
        reported on the first's line).
        """
        _, end = self.table(table, index)
        for i in range(max(line - 1, 0), end):
            if needle in self.lines[i]:
                return i + 1
        return line

    def condition(self, index: int, k: int, key: str | None = None) -> int | None:
        """1-based line of the ``k``-th ``when`` condition of a rule (or of its ``key``).

        ``None`` when it cannot be found. A condition is an inline table of ``when = [...]``
        (the ``k``-th ``{`` of the array, outside strings) or a ``[[rule.when]]`` sub-table.
        Schema errors inside a condition (a bad op, a value that is not a number, an unknown
        key) were reported on the ``when =`` line, or the rule's header, whichever condition
        they were in.
        """
        start, end = self.table("rule", index)
        subs = [i for i, n in self.headers if n == "rule.when" and start <= i < end]
        key_pat = (re.compile(rf"(^|[{{,\s])\"?{re.escape(key)}\"?\s*=") if key
                   else None)
        if subs:
            if k >= len(subs):
                return None
            first = subs[k]
            stop = next((i for i, _ in self.headers if i > first), end)
            if key_pat is not None:
                for i in range(first + 1, min(stop, end)):
                    if key_pat.search(self.lines[i]):
                        return i + 1
            return first + 1
        when = self.line("rule", index, "when") - 1
        if not re.match(r"^\s*\"?when\"?\s*=", self.lines[when] if when < len(self.lines)
                        else ""):
            return None
        depth, seen, quote = 0, -1, ""
        for i in range(when, end):
            text = self.lines[i]
            j = text.index("=") + 1 if i == when else 0
            while j < len(text):
                c = text[j]
                if quote:
                    if c == "\\" and quote == '"':
                        j += 2
                        continue
                    if c == quote:
                        quote = ""
                elif c in "\"'":
                    quote = c
                elif c == "#":
                    break
                elif c == "[":
                    depth += 1
                elif c == "]":
                    depth -= 1
                    if depth == 0:
                        return None
                elif c == "{" and depth == 1:
                    seen += 1
                    if seen == k:
                        if key_pat is not None:
                            close = text.find("}", j)
                            m = key_pat.search(text, j, close if close >= 0 else len(text))
                            if m is None:
                                return i + 1
                        return i + 1
                j += 1
        return None

    def line(self, table: str | None = None, index: int = 0, key: str | None = None,
             needle: str | None = None) -> int:
        """1-based line of ``key`` (then of ``needle`` after it) in a table; else the table's."""
        start, end = self.table(table, index) if table else (0, len(self.lines))
        pos = start
        if key is not None:
            # `key = ...`, a dotted `key.sub = ...` or a `[table.key]` sub-table (`labels.desk
            # = 5` was blamed on the rule's header)
            pat = re.compile(rf"^\s*(\"?){re.escape(key)}\1\s*[=.]")
            sub = f"{table}.{key}" if table else key
            for i in range(start, end):
                if pat.match(self.lines[i]) or (
                        (m := self._HEADER.match(self.lines[i])) is not None
                        and m.group(2).replace('"', "") == sub):
                    pos = i
                    break
        if needle is not None:
            for i in range(pos, end):
                if needle in self.lines[i]:
                    return i + 1
        return pos + 1


# -- the model ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Condition:
    """``fact op value`` (or ``fact op ref``, another fact)."""

    fact: str
    op: str
    value: float | str | None = None
    ref: str | None = None
    kind: FactKind = NUMBER

    def resolve(self, key: str) -> tuple[str, str | None]:
        """Fact names with ``*`` replaced by the series key of one alert instance."""
        return (self.fact.replace("*", key, 1) if key else self.fact,
                self.ref.replace("*", key, 1) if (key and self.ref) else self.ref)

    def against(self, key: str, values: Mapping[str, Any]
                ) -> tuple[tuple[float, ...], tuple[float, ...]]:
        """The numbers the fact of one instance is compared with: its threshold or its ref.

        The threshold as the rule gives it, or the ref's value in ``values``, for
        :func:`shown` (the default summary reads the same through :func:`default_pairs`).
        """
        ref = self.resolve(key)[1]
        if ref is not None:
            v = values.get(ref)
            return (), ((float(v),) if isinstance(v, numbers.Real)
                        and not isinstance(v, bool) else ())
        if (self.kind.kind == "number" and isinstance(self.value, numbers.Real)
                and not isinstance(self.value, bool)):
            return (float(self.value),), ()
        return (), ()

    def holds(self, left: float | str, right: float | str) -> bool:
        """Whether ``left op right`` holds (regimes compare by their order)."""
        if self.kind.kind == "ordered":
            a, b = self.kind.levels.index(str(left)), self.kind.levels.index(str(right))
        elif self.kind.kind == "category":
            a, b = str(left), str(right)  # type: ignore[assignment]
        else:
            a, b = float(left), float(right)  # type: ignore[assignment]
        return {">": a > b, ">=": a >= b, "<": a < b, "<=": a <= b, "==": a == b,
                "!=": a != b}[self.op]

    def __str__(self) -> str:
        return f"{self.fact} {self.op} {self.ref if self.ref else repr(self.value)}"


@dataclass(frozen=True)
class Inhibition:
    """Alerts of ``rule`` inhibit the owning rule's alerts that carry the same ``equal`` labels."""

    rule: str
    equal: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.rule + (f" (same {', '.join(self.equal)})" if self.equal else "")

    def holds(self, labels: Mapping[str, str], name: str, other: Mapping[str, str]
              ) -> str | None:
        """Whether a firing alert of rule ``name`` with ``other`` labels inhibits ``labels``.

        Returns ``"btc_daily_drop for asset=btc"`` (the rule and the labels they share) when
        it does, else ``None``.
        """
        if name != self.rule or any(other.get(k) != labels.get(k) for k in self.equal):
            return None
        shared = ", ".join(f"{k}={labels.get(k)}" for k in self.equal)
        return self.rule + (f" for {shared}" if shared else "")


def inhibitor(rule: Rule, labels: Mapping[str, str],
              firing: Sequence[tuple[str, Mapping[str, str]]]) -> str | None:
    """Which firing alert inhibits an alert of ``rule`` with ``labels``, if one does.

    Parameters
    ----------
    rule : Rule
        The rule of the alert (its ``inhibited_by``).
    labels : mapping
        The alert's labels.
    firing : sequence of (rule name, labels)
        The alerts firing at the same evaluation.

    Returns
    -------
    str or None
        ``"btc_daily_drop for asset=btc"``: the inhibiting rule and the labels they share.
    """
    for inh in rule.inhibited_by:
        for name, other in firing:
            by = inh.holds(labels, name, other)
            if by is not None:
                return by
    return None


@dataclass(frozen=True)
class Receiver:
    """Where notifications go: ``console``, ``webhook`` or ``email`` with its options."""

    name: str
    type: str
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Evaluation:
    """One alert instance of a rule at one evaluation."""

    rule: str
    key: str
    labels: dict[str, str]
    active: bool | None  # None: a fact was unavailable
    value: float | str | None
    values: dict[str, Any]
    reason: str | None = None
    summary: str = ""
    news: str | None = None  # the observation of the rule's renotify_on fact (value@date)
    #: ``value`` as the summaries print it: with the digits that keep its order against the
    #: first condition's threshold or ref (:meth:`Condition.against`); "" when there is none
    value_text: str = ""


@dataclass(frozen=True)
class Rule:
    """One alert rule (see the module docstring for the fields)."""

    name: str
    conditions: tuple[Condition, ...]
    for_: dt.timedelta = dt.timedelta(0)
    repeat_interval: dt.timedelta = dt.timedelta(hours=4)
    severity: str = "warning"
    summary: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    group_by: tuple[str, ...] = ("rule",)
    receivers: tuple[str, ...] = ("console",)
    match: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)
    send_resolved: bool = True
    line: int = 0
    renotify_on: str | None = None
    keep_firing_for: dt.timedelta = dt.timedelta(0)
    inhibited_by: tuple[Inhibition, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The rule as JSON-ready fields (what ``alerts rules --json`` and the API list)."""
        return {"name": self.name, "conditions": [str(c) for c in self.conditions],
                "for_seconds": self.for_.total_seconds(),
                "keep_firing_for_seconds": self.keep_firing_for.total_seconds(),
                "repeat_interval_seconds": self.repeat_interval.total_seconds(),
                "severity": self.severity, "summary": self.summary, "labels": dict(self.labels),
                "group_by": list(self.group_by), "receivers": list(self.receivers),
                "send_resolved": self.send_resolved,
                # a wildcard rule's filter and the fact whose news re-notifies at once (the
                # listing left both out: a rule read as watching every series, every day)
                "match": {k: v if isinstance(v, str) else list(v)
                          for k, v in self.match.items()},
                "renotify_on": self.renotify_on,
                "inhibited_by": [{"rule": x.rule, "equal": list(x.equal)}
                                 for x in self.inhibited_by]}

    @property
    def wildcard(self) -> bool:
        """Whether the rule makes one alert per series (``*`` in a fact name)."""
        return "*" in self.conditions[0].fact

    @property
    def label_names(self) -> frozenset[str]:
        """The labels each alert of this rule carries (a silence or ``group_by`` can use)."""
        return frozenset({"rule", "severity", *self.labels,
                          *(("asset",) if self.wildcard else ())})

    def evaluate(self, facts: FactSet) -> list[Evaluation]:
        """Evaluate the rule: one :class:`Evaluation` per alert instance."""
        if self.wildcard:
            keys = []
            for key, f in facts.expand(self.conditions[0].fact):
                if all(f.labels.get(k) in _values(v) for k, v in self.match.items()):
                    keys.append(key)
        else:
            keys = [""]
        return [self._one(facts, key) for key in keys]

    def apart(self, key: str) -> str | None:
        """Why the instance ``key`` of a wildcard rule cannot be evaluated, if it cannot.

        The rule file's check sees ``*`` where the series goes: ``*.chg_1d_pct <= -1.5`` with
        ``ust10y.chg_1d_bp >= 5`` paired each day's 10-year with the last day of USD/JPY's
        week before (evening of Monday 2024-05-06: the Friday's −0.60%).
        """
        legs = [leg for c in self.conditions for leg in _change_legs(c.resolve(key))]
        batched = [n for n, weekly in legs if weekly]
        daily = [n for n, weekly in legs if not weekly]
        return _apart(daily[0], batched[0]) if batched and daily else None

    @property
    def fixed_labels(self) -> dict[str, str]:
        """The labels every alert of the rule carries (a ``*`` rule's add its ``asset``)."""
        return {"rule": self.name, "severity": self.severity, **self.labels}

    def _one(self, facts: FactSet, key: str) -> Evaluation:
        labels = self.fixed_labels
        if key:
            labels["asset"] = key
        apart = self.apart(key) if key else None
        if apart is not None:
            return Evaluation(self.name, key, labels, None, None, {}, f"not evaluated: {apart}",
                              f"not evaluated for {key}: {apart}")
        values: dict[str, Any] = {}
        results: list[bool | None] = []
        reasons = []
        first = None
        for i, c in enumerate(self.conditions):
            name, ref = c.resolve(key)
            left = facts.get(name)
            right_val: float | str | None = c.value
            values[name] = left.value
            if i == 0:
                first = left
            if ref is not None:
                r = facts.get(ref)
                values[ref] = r.value
                right_val = r.value
                if not r.available:
                    reasons.append(f"{ref}: {r.reason}")
            if not left.available:
                reasons.append(f"{name}: {left.reason}")
            if left.value is None or right_val is None:
                results.append(None)
                continue
            nan = [n for n, v in ((name, left.value), (ref, right_val))
                   if isinstance(v, float) and math.isnan(v)]
            if nan:
                reasons += [f"{n}: NaN" for n in nan]
                results.append(None)
                continue
            results.append(c.holds(left.value, right_val))
        # three-valued AND (Kleene): one false condition is enough; else unknown stays unknown
        active = False if False in results else (None if None in results else True)
        value = first.value if first is not None else None
        ctx = {"value": value, "asset": key, "rule": self.name, "severity": self.severity,
               "as_of": first.as_of if first is not None and first.as_of else "n/a"}
        summary = render(self.summary or default_summary(self.conditions), values, ctx,
                         facts, default_pairs(self.conditions, refs_only=bool(self.summary)))
        news = None
        if self.renotify_on is not None:
            f = facts.get(self.renotify_on.replace("*", key, 1) if key else self.renotify_on)
            if f.available:
                news = f"{f.value}@{f.as_of.isoformat() if f.as_of else ''}"
        text = ("" if value is None else shown(value, *self.conditions[0].against(key, values))
                if isinstance(value, float) else str(value))
        return Evaluation(self.name, key, labels, active, value, values,
                          "; ".join(reasons) or None, summary, news, text)


def _change_legs(names: tuple[str | None, ...]) -> list[tuple[str, bool]]:
    """The change facts of daily assets among ``names``, each with whether it is an H.10 one.

    The extremes of the last five 1-day changes (``min_chg_1d_…_5d``) end on the series' last
    day as its changes do: ``usd_broad``'s week to Friday with the 10-year's day of the
    Wednesday after was accepted.
    """
    out = []
    for name in names:
        head, _, quantity = (name or "").partition(".")
        a = universe.ASSETS.get(head)
        if (a is None or a.frequency != "daily"
                or not quantity.removeprefix("min_").removeprefix("max_").startswith("chg_")):
            continue
        out.append((name or "", a.timing.weekday is not None))
    return out


def _apart(daily: str, batched: str) -> str:
    """Why a daily change fact and an H.10 one cannot be ANDed."""
    week = universe.ASSETS[batched.partition(".")[0]]
    return (f"{daily} and {batched} end on different days: {week.key} comes out a week at a "
            f"time ({week.timing.note}), so the rule would pair the latest day of the one with "
            "a day up to a week earlier of the other")


def default_summary(conditions: tuple[Condition, ...]) -> str:
    """The summary template of a rule that gives none: each condition with its value and date.

    It was the conditions alone ("ust10y.chg_1d_bp >= 15.0"): the alert a desk read in the
    console or Slack said neither the value that fired it (+20 bp) nor the day it describes.
    """
    parts = []
    for c in conditions:
        spec = ":.4g" if c.kind.kind == "number" else ""
        # a wildcard rule's alert names its series ("btc.days_past_limit"): the notice's line
        # gives the rule, not the asset, and read "*.days_past_limit = 2"
        fact, ref = (None if n is None else n.replace("*", "{asset}", 1)
                     for n in (c.fact, c.ref))
        right = (f"{{{c.ref}{spec}}} ({ref})" if c.ref is not None
                 else repr(c.value) if isinstance(c.value, str) else threshold_text(c.value))
        parts.append(f"{fact} = {{{c.fact}{spec}}} (rule: {c.op} {right}) on "
                     f"{{{c.fact}@date}}")
    return "; ".join(parts)


def default_pairs(conditions: tuple[Condition, ...], *, refs_only: bool = False
                  ) -> dict[str, list[float | str]]:
    """What each number of the default summary is read against: its threshold or its ref.

    A fact's field maps to the rule's numeric thresholds (``> 2433``) and the facts it is
    compared with; a ref's field to its fact. :func:`render` prints such a number with the
    digits that keep its comparison as it is (see :func:`_digits_against`). ``refs_only``: a
    rule's own summary, which prints no threshold but may print both facts it compares.
    """
    out: dict[str, list[float | str]] = {}
    for c in conditions:
        if c.kind.kind != "number":
            continue
        if c.ref is not None:
            out.setdefault(c.fact, []).append(c.ref)
            out.setdefault(c.ref, []).append(c.fact)
        elif (not refs_only and isinstance(c.value, numbers.Real)
              and not isinstance(c.value, bool)):
            # the threshold as the summary prints it: the rule's own number
            out.setdefault(c.fact, []).append(float(threshold_text(c.value)))
    return out


def threshold_text(value: Any) -> str:
    """A rule's threshold as the rule gives it: ``{:g}`` when that is the number, else all of it.

    ``{:g}`` keeps six significant figures: ``stress.index > 0.1521197`` fired on 0.15211998
    and read "stress.index = 0.1521 (rule: > 0.15212)", ``custody.chg_1w_usd_bn < 9.633904``
    on 9.6339025 "9.634 (rule: < 9.6339)", and ``btc.level < 145636.9`` printed "< 145637".
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        v = float(value)
        if v.is_integer() and abs(v) < 1e16:
            return str(int(v))              # 1234567, not 1.23457e+06
        text = f"{v:g}"
        return text if float(text) == v else repr(v)
    return repr(value)


_G_SPEC = re.compile(r"\.(\d+)g")
_F_SPEC = re.compile(r"([+ ]?,?)\.(\d+)f")


def _digits_against(value: float, thresholds: Sequence[float], refs: Sequence[float],
                    format_spec: str) -> str | None:
    """``value`` with the digits that keep its order against each number it is compared with.

    ``thresholds`` are printed as they are (:func:`threshold_text`), ``refs`` (other facts) as the
    value is. None: ``format_spec`` (``.4g``) already prints the value on the right side of
    each, in plain digits. Else the value is written in fixed point with the fewest
    significant digits (from the spec's up to 17) that do: an alert of ``custody.level > 2433``
    that fired on 2,433.41 read "custody.level = 2433 (rule: > 2433)", and ``btc.level >
    145600`` on 145,636.90 "1.456e+05 (rule: > 145600)", each a comparison that does not hold
    as printed; they read 2433.4 and 145637 (a level of 10,000 or more is printed whole rather
    than as ``1.456e+05``).
    """
    m = _G_SPEC.fullmatch(format_spec)
    f = _F_SPEC.fullmatch(format_spec)
    if (m is None and f is None) or not math.isfinite(value):
        return None
    thresholds = [t for t in thresholds if math.isfinite(t)]
    refs = [r for r in refs if math.isfinite(r)]

    def order(a: float, b: float) -> int:
        return (a > b) - (a < b)

    def kept(text: str, ref_text: Callable[[float], str]) -> bool:
        shown = float(text.replace(",", ""))
        return (all(order(shown, t) == order(value, t) for t in thresholds)
                and all(order(shown, float(ref_text(r).replace(",", ""))) == order(value, r)
                        for r in refs))

    if f is not None:
        # a summary's own fixed point (``{x:.1f} vs its 95th percentile {p95:.1f}``): the
        # decimals that keep the order, with the spec's sign and grouping ("9.7 ... vs its
        # one-year 95th percentile 9.7" for 9.708 over 9.690 on 2025-09-22)
        flags, d0 = f.group(1), int(f.group(2))
        for d in range(d0, 18):
            spec = f"{flags}.{d}f"
            text = format(value, spec)
            if kept(text, lambda r: format(r, spec)):    # noqa: B023 (called at once)
                return None if d == d0 else text
        return None
    assert m is not None
    p0 = int(m.group(1))
    plain = format(value, format_spec)
    # the magnitude as printed: 9,999.6 rounds to "1e+04" at four figures, a level of 10,000
    if ("e" not in plain or not (abs(float(plain)) >= 1e4 and abs(value) < 1e15)) and kept(
            plain, lambda r: format(r, format_spec)):
        return None
    top = max([abs(value), *map(abs, thresholds), *map(abs, refs)])
    lead = math.floor(math.log10(top)) if top > 0 else 0
    for p in range(p0, 18):
        fixed = f".{max(0, p - 1 - lead)}f"
        text = format(value, fixed)
        if kept(text, lambda r: format(r, fixed)):    # noqa: B023 (called at once)
            return text
    return repr(value)


def shown(value: Any, thresholds: Sequence[float] = (), refs: Sequence[float] = (),
          format_spec: str = ".4g") -> str:
    """A fact's number as a summary prints it.

    ``format_spec``, with the digits :func:`_digits_against` adds to keep its order against
    ``thresholds`` and ``refs`` (and a level of 10,000 or more whole).
    """
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, numbers.Integral)):
        text = _digits_against(float(value), thresholds, refs, format_spec)
        if text is not None:
            return text
    return _format_field(value, None, format_spec if isinstance(value, float) else "")


def _format_field(value: Any, conversion: str | None, format_spec: str) -> str:
    if value is None:
        return "n/a"
    if conversion == "r":
        value = repr(value)
    elif conversion == "a":
        value = ascii(value)
    elif conversion == "s":
        value = str(value)
    # ``{stress.percentile:d}``: a whole number rounded down (toward minus infinity: -0.2 is
    # -1), as the headline prints a percentile (``:.0f`` read 94.6 as "95" in an alert beside
    # a headline's 94); Python's ``d`` refuses a float, which printed the value's every digit
    if (format_spec.endswith("d") and isinstance(value, numbers.Real)
            and not isinstance(value, numbers.Integral) and math.isfinite(value)):
        value = math.floor(value)
    try:
        return format(value, format_spec)
    except (TypeError, ValueError):
        return str(value)


def render(template: str, values: Mapping[str, Any], ctx: Mapping[str, Any],
           facts: FactSet | None = None,
           against: Mapping[str, Sequence[float | str]] | None = None) -> str:
    """Fill a summary template: ``{fact.name:fmt}`` and ``{value}``, ``{asset}``, ``{as_of}``.

    Field names are looked up as whole strings (``stress.level`` is a fact, not an attribute);
    an unknown fact, or a bare ``{}``, reads ``n/a``. ``{fact.name@date}`` is the date the
    fact's value describes (two legs of one alert may be of different weeks: the broad dollar
    is published a week late). A value its spec does not fit is written plainly instead of
    failing the evaluation.

    ``against`` (the default summary's :func:`default_pairs`) maps a field to the thresholds
    and the facts it is compared with: a number there is printed with the digits that keep
    its order against each (:func:`_digits_against`).
    """
    def lookup(name: str) -> Any:
        if name in values:
            return values[name]
        if name in ctx:
            return ctx[name]
        if name and facts is not None:
            return facts.get(name.replace("*", str(ctx.get("asset", "")), 1)).value
        return None

    def number(v: Any) -> float | None:
        return (float(v) if isinstance(v, numbers.Real) and not isinstance(v, bool)
                else None)

    out: list[str] = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        out.append(literal)
        if name is None:
            continue
        if name.endswith("@date"):
            f = (facts.get(name[:-5].replace("*", str(ctx.get("asset", "")), 1))
                 if facts is not None else None)
            when = f.as_of if f is not None and f.available else None
            out.append(_format_field(None if when is None else when.isoformat(), conversion,
                                     spec or ""))
            continue
        value = lookup(name)
        if against and name in against and conversion is None and number(value) is not None:
            refs = [number(lookup(o)) for o in against[name] if isinstance(o, str)]
            text = _digits_against(float(value),
                                   [o for o in against[name] if not isinstance(o, str)],
                                   [r for r in refs if r is not None], spec or "")
            if text is not None:
                out.append(text)
                continue
        out.append(_format_field(value, conversion, spec or ""))
    return "".join(out)


@dataclass(frozen=True)
class RuleSet:
    """A parsed rule file: rules and receivers, and where they came from."""

    rules: tuple[Rule, ...]
    receivers: Mapping[str, Receiver]
    path: str = "<default>"

    def to_dict(self) -> dict[str, Any]:
        """Rules and receivers as JSON-ready fields.

        A receiver is given by name and type only: its options can hold a token or a password.
        """
        return {"path": self.path, "rules": [r.to_dict() for r in self.rules],
                "receivers": [{"name": r.name, "type": r.type}
                              for r in self.receivers.values()]}

    def rule(self, name: str) -> Rule:
        """The rule called ``name``."""
        for r in self.rules:
            if r.name == name:
                return r
        raise ConfigError(f"no rule {name!r} in {self.path}; rules: "
                          f"{', '.join(r.name for r in self.rules)}")

    def fact_names(self) -> set[str]:
        """Every fact name a rule reads (``*`` patterns kept).

        Its conditions' facts and refs, its summary's fields and its ``renotify_on``.
        """
        out: set[str] = set()
        for r in self.rules:
            for c in r.conditions:
                out |= {c.fact, *((c.ref,) if c.ref else ())}
            out |= {f.removesuffix("@date") for _, f, _, _ in
                    string.Formatter().parse(r.summary or default_summary(r.conditions))
                    if f and f not in _SPECIAL_FIELDS}
            if r.renotify_on:
                out.add(r.renotify_on)
        return out


# -- parsing ------------------------------------------------------------------------------------
class _Parser:
    def __init__(self, text: str, path: str) -> None:
        self.text, self.path = text, path
        self.loc = _Locator(text)

    def fail(self, line: int, message: str) -> ConfigError:
        return ConfigError(f"{self.path}:{line}: {message}", path=self.path, line=line)

    def parse(self) -> RuleSet:
        try:
            doc = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            raise self.fail(toml_error_line(self.text, exc), f"not valid TOML: {exc}") from None
        for key in doc:
            if key not in _TOP:
                raise self.fail(self.loc.line(key=key) if key not in self._tables() else
                                self.loc.line(key), f"unknown top-level field {key!r}; valid "
                                f"fields: {', '.join(sorted(_TOP))}")
        defaults = self._defaults(doc.get("defaults", {}))
        receivers = self._receivers(doc.get("receiver", [{"name": "console",
                                                          "type": "console"}]))
        raw_rules = doc.get("rule", [])
        if not isinstance(raw_rules, list):
            raise self.fail(self.loc.line(key="rule"), "'rule' must be an array of tables "
                            "([[rule]])")
        rules: list[Rule] = []
        seen: set[str] = set()
        for i, raw in enumerate(raw_rules):
            r = self._rule(i, raw, defaults, receivers)
            if r is None:
                continue
            if r.name in seen:
                raise self.fail(self.loc.line("rule", i, "name"), f"duplicate rule name "
                                f"{r.name!r}")
            seen.add(r.name)
            rules.append(r)
        self._inhibitions(rules, raw_rules)
        return RuleSet(tuple(rules), receivers, self.path)

    def _inhibitions(self, rules: list[Rule], raw_rules: list[Any]) -> None:
        """Check each ``inhibited_by``: a rule of the file, sharing the ``equal`` labels, no loop.

        A rule named nowhere, or a label one side never carries, inhibited nothing (or, with
        no label, everything) without a word; so did a label whose values never meet
        (``equal = ["rule"]``, severities or fixed labels that differ, an asset outside the
        other's ``match`` list); rules inhibiting each other would both go quiet.
        """
        by_name = {r.name: r for r in rules}
        index = {raw.get("name"): i for i, raw in enumerate(raw_rules) if isinstance(raw, dict)}
        for r in rules:
            i = index.get(r.name, 0)
            line = self.loc.line("rule", i, "inhibited_by")
            what = f"rule {r.name!r}: inhibited_by"
            for inh in r.inhibited_by:
                src = by_name.get(inh.rule)
                if inh.rule == r.name:
                    raise self.fail(line, f"{what}: a rule cannot inhibit itself")
                if src is None and inh.rule in index:
                    continue          # a disabled rule: it fires never, and inhibits nothing
                if src is None:
                    raise self.fail(line, f"{what}: no rule {inh.rule!r} in the file; rules: "
                                    f"{', '.join(by_name)}")
                for k in inh.equal:
                    for side in (r, src):
                        if k not in side.label_names:
                            raise self.fail(line, f"{what}: equal {k!r}: the alerts of rule "
                                            f"{side.name!r} carry the labels "
                                            f"{', '.join(sorted(side.label_names))}")
                    # a label both carry with values that never meet (`rule`, a severity
                    # or a fixed label of another value, an asset outside the other's match
                    # list): the inhibition never applied, without a word
                    mine, theirs = _label_values(r, k), _label_values(src, k)
                    if mine is not None and theirs is not None and not mine & theirs:
                        raise self.fail(line, f"{what}: equal {k!r}: the alerts of rule "
                                        f"{r.name!r} carry {k} = {_one_of(mine)} and those of "
                                        f"rule {src.name!r} {k} = {_one_of(theirs)}: never the "
                                        "same, so it would hold nothing back")
        # a loop (a inhibited by b inhibited by a) would hold both back on a day both fire
        def loop(name: str, path: list[str]) -> list[str] | None:
            for x in by_name[name].inhibited_by:
                if x.rule not in by_name:
                    continue
                if x.rule == path[0]:
                    return [*path, x.rule]
                if x.rule not in path:
                    found = loop(x.rule, [*path, x.rule])
                    if found:
                        return found
            return None

        for r in rules:
            cycle = loop(r.name, [r.name])
            if cycle:
                raise self.fail(self.loc.line("rule", index.get(r.name, 0), "inhibited_by"),
                                f"rule {r.name!r}: inhibited_by: a loop "
                                f"({' inhibited by '.join(cycle)}): on a day they all fire, "
                                "none would be told")

    def _tables(self) -> set[str]:
        return {n for _, n in self.loc.headers}

    def _check_fields(self, raw: Mapping[str, Any], allowed: set[str], table: str, index: int,
                      what: str) -> None:
        for key in raw:
            if key not in allowed:
                raise self.fail(self.loc.line(table, index, key),
                                f"{what}: unknown field {key!r}; valid fields: "
                                f"{', '.join(sorted(allowed))}")

    def _validated(self, model: type[BaseModel], raw: Any, table: str, index: int,
                   what: str) -> Any:
        """Validate one table with the rule schema; a failure names its file and line."""
        if not isinstance(raw, dict):
            raise self.fail(self.loc.line(table, index), f"{what} must be a table")
        for dur in ("for", "keep_firing_for", "repeat_interval"):
            v = raw.get(dur)
            if isinstance(v, int | float) and not isinstance(v, bool) and v != 0:
                # a bare number is seconds (the API's JSON form): `for = 3` meant three days
                # and held the alert three seconds
                raise self.fail(self.loc.line(table, index, dur), f"{what}: {dur} = {v!r} "
                                f"is {v:g} seconds in a rule file; write the unit: "
                                f"'{v:g}d', '{v:g}h', '{v:g}m' or '{v:g}s'")
        try:
            return model.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = [str(x) for x in err["loc"]]
            key = {"for_": "for"}.get(loc[0], loc[0]) if loc else None
            line = self.loc.line(table, index, key) if key else self.loc.line(table, index)
            where = ".".join(["for" if x == "for_" else x for x in loc])
            fields = sorted(f.alias or n for n, f in model.model_fields.items())
            if (table == "rule" and len(loc) >= 2 and loc[0] == "when"
                    and isinstance(err["loc"][1], int)):
                # an error inside one condition of `when`: its own line (it was the `when =`
                # line, or the rule's header for [[rule.when]] tables), numbered from 1, and
                # a condition's fields (not the rule's) for an unknown key
                k = int(err["loc"][1])
                inner = loc[2] if len(loc) > 2 else None
                line = self.loc.condition(index, k, inner) or line
                where = ".".join([f"when condition {k + 1}", *loc[2:]])
                fields = sorted(ConditionSpec.model_fields)
            if (table == "rule" and len(loc) >= 2 and loc[0] == "inhibited_by"
                    and isinstance(err["loc"][1], int)):
                where = ".".join([f"inhibited_by #{int(err['loc'][1]) + 1}", *loc[2:]])
                fields = sorted(InhibitSpec.model_fields)
            if (table == "rule" and len(loc) >= 3 and loc[0] == "match"
                    and err["type"] != "extra_forbidden"):
                # a match value is a string or a list of them: pydantic's first error is its
                # string branch's ("match.asset.constrained-str: Input should be a valid
                # string", of `asset = []`); a list is told its own fault
                listed = [e for e in exc.errors() if len(e["loc"]) >= 3
                          and [str(x) for x in e["loc"][:2]] == loc[:2]
                          and str(e["loc"][2]).startswith("list[")]
                if isinstance(err["input"], list) and listed:
                    err = listed[0]
                    pos = err["loc"][3:4]
                    where = f"match.{loc[1]}" + (f" value #{int(pos[0]) + 1}" if pos else "")
                    err = {**err, "msg": {"too_short": "a list of values needs at least one"}
                           .get(err["type"], err["msg"])}
                elif not isinstance(err["input"], str):
                    where = f"match.{loc[1]}"
                    err = {**err, "msg": "give a value or a list of values (strings), got "
                           f"{err['input']!r}"}
                else:
                    where = f"match.{loc[1]}"
            if err["type"] == "extra_forbidden":
                msg = f"unknown field {loc[-1]!r}; valid fields: {', '.join(fields)}"
            elif err["type"] == "literal_error":
                msg = (f"{where} must be one of {err['ctx']['expected']}, got "
                       f"{err['input']!r}")
            else:
                msg = f"{where + ': ' if where else ''}" + str(err["msg"]).removeprefix(
                    "Value error, ")
            raise self.fail(line, f"{what}: {msg}") from None

    def _defaults(self, raw: Any) -> dict[str, Any]:
        d = self._validated(DefaultsSpec, raw, "defaults", 0, "[defaults]")
        return {"for": d.for_, "keep_firing_for": d.keep_firing_for,
                "repeat_interval": d.repeat_interval, "severity": d.severity,
                "group_by": tuple(d.group_by),
                "receivers": None if d.receivers is None else tuple(d.receivers),
                "send_resolved": d.send_resolved}

    def _choice(self, v: Any, choices: tuple[str, ...], table: str, i: int, key: str,
                what: str) -> str:
        if v not in choices:
            raise self.fail(self.loc.line(table, i, key), f"{what}: {key} must be one of "
                            f"{', '.join(map(repr, choices))}, got {v!r}")
        return str(v)

    def _receiver_values(self, r: dict[str, Any], kind: str, i: int, what: str) -> None:
        """Check the types and ranges of a receiver's settings when the file is read.

        A bad one would otherwise fail at the first delivery, with the notification queued.
        """

        def bad(key: str, want: str) -> Exception:
            return self.fail(self.loc.line("receiver", i, key),
                             f"{what}: {key} must be {want}; got {r[key]!r}")

        if "timeout" in r and (isinstance(r["timeout"], bool)
                               or not isinstance(r["timeout"], (int, float))
                               or not 0 < r["timeout"] <= 300):
            raise bad("timeout", "a number of seconds in (0, 300]")
        if kind == "webhook" and "url" in r and not webhook_url_ok(r["url"]):
            raise bad("url", "an http:// or https:// address")
        if kind == "webhook" and "headers" in r and not headers_ok(r["headers"]):
            # a header value outside ASCII (or with a line break) failed every delivery, and
            # the monitor with it; the values are not repeated (an authorization header)
            names = list(r["headers"]) if isinstance(r["headers"], dict) else []
            raise self.fail(self.loc.line("receiver", i, "headers"),
                            f"{what}: headers must be a table of header names to values in "
                            f"printable ASCII (names: {', '.join(map(str, names)) or 'none'})")
        if kind == "webhook" and "url_env" in r and not (
                isinstance(r["url_env"], str) and r["url_env"]):
            raise bad("url_env", "the name of an environment variable")
        if kind == "email":
            if "port" in r and (isinstance(r["port"], bool) or not isinstance(r["port"], int)
                                or not 0 < r["port"] < 65536):
                raise bad("port", "a TCP port number (1-65535)")
            to = r.get("to")
            if to is not None and not (isinstance(to, str) or (
                    isinstance(to, list) and to and all(isinstance(x, str) for x in to))):
                raise bad("to", "an address or a list of addresses")
            for key in ("host", "from"):
                if key in r and not (isinstance(r[key], str) and r[key]):
                    raise bad(key, "a non-empty string")

    def _receivers(self, raw: Any) -> dict[str, Receiver]:
        if not isinstance(raw, list):
            raise self.fail(self.loc.line(key="receiver"), "'receiver' must be an array of "
                            "tables ([[receiver]])")
        out: dict[str, Receiver] = {}
        for i, r in enumerate(raw):
            what = f"receiver #{i + 1}"
            if not isinstance(r, dict):
                raise self.fail(self.loc.line(key="receiver"), f"{what} must be a table "
                                "([[receiver]] with name = ..., type = ...)")
            name = r.get("name")
            if not isinstance(name, str) or not name:
                raise self.fail(self.loc.line("receiver", i, "name"), f"{what}: needs a name")
            what = f"receiver {name!r}"
            kind = self._choice(r.get("type"), RECEIVER_TYPES, "receiver", i, "type", what)
            self._check_fields(r, _RECEIVER[kind], "receiver", i, what)
            self._receiver_values(r, kind, i, what)
            if kind == "webhook":
                if not (r.get("url") or r.get("url_env")):
                    raise self.fail(self.loc.line("receiver", i), f"{what}: a webhook needs "
                                    "'url' or 'url_env'")
                self._choice(r.get("format", "json"), WEBHOOK_FORMATS, "receiver", i, "format",
                             what)
            if kind == "email":
                for req in ("host", "from", "to"):
                    if req not in r:
                        raise self.fail(self.loc.line("receiver", i), f"{what}: e-mail needs "
                                        f"{req!r}")
                if isinstance(r["to"], str):
                    r = {**r, "to": [r["to"]]}
            if name in out:
                raise self.fail(self.loc.line("receiver", i, "name"), f"duplicate receiver "
                                f"{name!r}")
            opts = {k: v for k, v in r.items() if k not in ("name", "type")}
            out[name] = Receiver(name, kind, opts)
        return out

    def _condition(self, c: ConditionSpec, i: int, what: str, key: str, k: int = 0
                   ) -> Condition:
        fact, op = c.fact, c.op
        fline = self.loc.line("rule", i, "fact" if key == "fact" else key, f'"{fact}"')
        if key == "when":
            # the k-th condition's own line: a search for the fact's name found the first
            # condition on that fact (two conditions on one fact, a range, blamed the first)
            fline = self.loc.condition(i, k, "fact") or fline
        try:
            kind = fact_kind(fact)
        except ConfigError as exc:
            raise self.fail(fline, f"{what}: {exc.message}") from None
        if kind.kind == "category" and op not in ("==", "!="):
            raise self.fail(self.loc.line("rule", i, "op") if key == "fact"
                            else self.loc.condition(i, k, "op")
                            or self.loc.after(fline, "op", "rule", i),
                            f"{what}: {fact} is a label; use op '==' or '!=', got {op!r}")
        if (c.value is None) == (c.ref is None):
            raise self.fail(fline, f"{what}: give exactly one of 'value' (a threshold) or "
                            "'ref' (another fact)")
        vline = (self.loc.line("rule", i, "value") if key == "fact"
                 else self.loc.condition(i, k, "value")
                 or self.loc.after(fline, "value", "rule", i))
        if c.ref is not None:
            rline = self.loc.line("rule", i, "ref" if key == "fact" else key, f'"{c.ref}"')
            if key == "when":
                rline = self.loc.condition(i, k, "ref") or rline
            try:
                rkind = fact_kind(c.ref)
            except ConfigError as exc:
                raise self.fail(rline, f"{what}: ref: {exc.message}") from None
            if rkind.kind != kind.kind:
                raise self.fail(rline, f"{what}: cannot compare {fact} ({kind.kind}) with "
                                f"{c.ref} ({rkind.kind})")
            u, ru = _unit(fact, kind), _unit(c.ref, rkind)
            if u and ru and u != ru:       # a % change against a bp change compares nothing
                raise self.fail(rline, f"{what}: cannot compare {fact} (in {u}) with "
                                f"{c.ref} (in {ru})")
            return Condition(fact, op, None, c.ref, kind)
        value = c.value
        if kind.kind == "number":
            if not isinstance(value, float):
                raise self.fail(vline, f"{what}: bad threshold {value!r} for {fact}: it must "
                                "be a finite number")
            never = _never(fact, op, value)
            if never:
                raise self.fail(vline, f"{what}: {fact} {op} {value:g} can never hold: {never}")
            if (_unit(fact, kind) == "bp" and 0 < abs(value) < 1
                    and fact.split(".")[0] not in _FINE_QUOTES):
                # a threshold in percentage points on a fact in basis points: `>= 0.15` read
                # 0.15 bp, and fired on every day the 10-year moved at all (not so of a series
                # quoted finer than 0.01%: the term premium's sub-bp moves are real)
                raise self.fail(vline, f"{what}: {fact} {op} {value:g}: {fact} is in basis "
                                f"points, and {value:g} bp is under the 1 bp a yield quoted "
                                f"to 0.01% moves by; for {value:g} percentage points write "
                                f"{value * 100:g}")
        elif not kind.levels:
            # a date or a text (demand.auction_date): the refusal read "choose one of " and
            # named nothing
            raise self.fail(vline, f"{what}: {fact} is a date or a text, with no fixed values "
                            "to compare a threshold with: name it in a summary or in "
                            "renotify_on, or compare it with another such fact (ref)")
        elif value not in kind.levels:
            raise self.fail(vline, f"{what}: bad threshold {value!r} for {fact}: choose one "
                            f"of {', '.join(map(repr, kind.levels))}")
        return Condition(fact, op, value, None, kind)

    def _same_days(self, conds: tuple[Condition, ...], i: int, what: str, key: str) -> None:
        """Refuse a rule that ANDs changes of an H.10 series with those of a daily-published one.

        H.10 (the broad dollar, USD/JPY, USD/CNY) comes out a week at a time, and each change
        fact ends on its own series' last date: "10-year up 15 bp in a day while the dollar
        falls" paired each day's 10-year with the dollar of the week before, and fired eight
        times from 2019 on days the dollar rose (2020-03-17: +1.28%), never on the two days
        both legs moved so (2022-03-21, 2023-03-27).
        """
        seen = [(k, name, weekly) for k, c in enumerate(conds)
                for name, weekly in _change_legs((c.fact, c.ref))]
        batched = [x for x in seen if x[2]]
        daily = [x for x in seen if not x[2]]
        if not batched or not daily:
            return
        k = max(batched[0][0], daily[0][0])
        line = (self.loc.condition(i, k) if key == "when" else None) or self.loc.line(
            "rule", i, key)
        raise self.fail(line, f"{what}: {_apart(daily[0][1], batched[0][1])}; for the 10-year "
                        "and the dollar over the same days use "
                        "stress.signature_ust10y_chg_5d_bp and "
                        "stress.signature_usd_broad_chg_5d_pct")

    def _rule(self, i: int, raw: Any, defaults: Mapping[str, Any],
              receivers: Mapping[str, Receiver]) -> Rule | None:
        head = self.loc.line("rule", i)
        name = raw.get("name") if isinstance(raw, dict) else None
        what = f"rule {name!r}" if isinstance(name, str) else f"rule #{i + 1}"
        spec: RuleSpec = self._validated(RuleSpec, raw, "rule", i, what)
        if not spec.enabled:
            return None
        try:
            raw_conds = spec.conditions()
        except ValueError as exc:
            raise self.fail(self.loc.line("rule", i, "when" if spec.when else None),
                            f"{what}: {exc}") from None
        key = "when" if spec.when is not None else "fact"
        conds = tuple(self._condition(c, i, what, key, k) for k, c in enumerate(raw_conds))
        self._same_days(conds, i, what, key)
        stars = [c for c in conds if "*" in c.fact or (c.ref and "*" in c.ref)]
        if stars and "*" not in conds[0].fact:
            k = conds.index(stars[0])
            raise self.fail(self.loc.condition(i, k) or head, f"{what}: with several "
                            "conditions, put the '*' series in the first one")
        opts = dict(defaults)
        if spec.for_ is not None:
            opts["for"] = spec.for_
        if spec.keep_firing_for is not None:
            opts["keep_firing_for"] = spec.keep_firing_for
        if spec.repeat_interval is not None:
            opts["repeat_interval"] = spec.repeat_interval
        if opts["repeat_interval"] <= dt.timedelta(0):
            # a zero in [defaults] was blamed on each rule's header, which holds none
            given = spec.repeat_interval is not None
            raise self.fail(self.loc.line("rule", i, "repeat_interval") if given
                            else self.loc.line("defaults", 0, "repeat_interval"),
                            f"{what}: repeat_interval must be positive" if given else
                            f"[defaults]: repeat_interval must be positive ({what} takes it)")
        severity = spec.severity or opts["severity"]
        group_by = tuple(spec.group_by) if spec.group_by is not None else opts["group_by"]
        # a rule's own `receivers = []` records its alerts and sends them nowhere (it went to
        # every receiver); unset, the defaults' receivers, else every receiver
        recv = (tuple(spec.receivers) if spec.receivers is not None
                else opts["receivers"] or tuple(receivers))
        def own_or_default(field: str) -> int:
            """The line of the rule's own ``field``, else of the defaults' it inherits."""
            return (self.loc.line("rule", i, field) if getattr(spec, field) is not None
                    else self.loc.line("defaults", 0, field))

        for rn in recv:
            if rn not in receivers:
                raise self.fail(own_or_default("receivers"),
                                f"{what}: unknown receiver {rn!r}; receivers: "
                                f"{', '.join(receivers) or '(none defined)'}")
        if spec.match and not stars:
            raise self.fail(self.loc.line("rule", i, "match"), f"{what}: 'match' filters the "
                            "series of a '*' fact; this rule has none")
        # a key the facts do not carry matched nothing, silently (`frequency` on a change
        # fact, a misspelt `frequncy`): zero alerts and no row in `alerts test`
        carried = _star_labels(conds[0].fact) if stars else frozenset()
        for mk in spec.match:
            if mk not in carried:
                raise self.fail(self.loc.line("rule", i, "match"), f"{what}: match key {mk!r}: "
                                f"the series of {conds[0].fact!r} carry the labels "
                                f"{', '.join(sorted(carried))}")
        # a value no series carries matched nothing, silently, as a misspelt key did
        # (`frequency = "Daily"`: a stale-data rule that watched no series, "1 rules OK")
        for mk, v in spec.match.items():
            values = _MATCH_VALUES.get(mk)
            for one in _values(v):
                if values is not None and one not in values:
                    raise self.fail(self.loc.line("rule", i, "match"), f"{what}: match {mk} = "
                                    f"{one!r} matches no series; {mk} is one of "
                                    f"{', '.join(sorted(values))}")
        # a label the engine sets itself: `labels = { rule = "x" }` renamed every alert of the
        # rule (its silences by rule name, its fingerprint and group followed the label), and
        # a '*' rule's `asset` was overwritten by each series' key without a word
        own = {"rule": "its name", "severity": "its severity field"}
        if stars:
            own["asset"] = "the series of each alert"
        for lk in spec.labels:
            if lk in own:
                raise self.fail(self.loc.line("rule", i, "labels"), f"{what}: labels.{lk}: "
                                f"the label {lk!r} of its alerts is {own[lk]}; pick another "
                                "label name")
        grouped = {"rule", "severity", *spec.labels, *(("asset",) if stars else ())}
        for gk in group_by:
            if gk not in grouped:
                raise self.fail(own_or_default("group_by"),
                                f"{what}: group_by {gk!r}: its alerts carry the labels "
                                f"{', '.join(sorted(grouped))}")
        for f in [f for _, f, _, _ in string.Formatter().parse(spec.summary) if f]:
            if f in _SPECIAL_FIELDS:
                continue
            try:
                fact_kind(f.removesuffix("@date"))     # {fact@date}: the date of its value
            except ConfigError as exc:
                raise self.fail(self.loc.line("rule", i, "summary"), f"{what}: summary field "
                                f"{{{f}}}: {exc.message}") from None
        send_resolved = (spec.send_resolved if spec.send_resolved is not None
                         else opts["send_resolved"])
        if spec.renotify_on is not None:
            if ("*" in spec.renotify_on) != bool(stars):
                raise self.fail(self.loc.line("rule", i, "renotify_on"), f"{what}: "
                                "renotify_on takes a '*' series exactly when the rule does")
            try:
                fact_kind(spec.renotify_on)
            except ConfigError as exc:
                raise self.fail(self.loc.line("rule", i, "renotify_on"),
                                f"{what}: renotify_on: {exc.message}") from None
        return Rule(spec.name, conds, opts["for"], opts["repeat_interval"], severity,
                    spec.summary, dict(spec.labels), group_by, recv,
                    {k: v if isinstance(v, str) else tuple(v) for k, v in spec.match.items()},
                    send_resolved, head, spec.renotify_on,
                    keep_firing_for=opts["keep_firing_for"],
                    inhibited_by=tuple(Inhibition(x.rule, tuple(x.equal))
                                       for x in spec.inhibited_by))


def parse_rules(text: str, *, path: str = "<string>") -> RuleSet:
    """Parse rule TOML text.

    Raises
    ------
    ConfigError
        ``"<path>:<line>: <what>"`` for a syntax error, an unknown field, a bad threshold, an
        unknown series or receiver.
    """
    return _Parser(text, path).parse()


#: The store table of the rules added through the API: ``[[rule]]`` TOML text per rule name,
#: accepted by :func:`parse_rules` together with the rule file before it was stored.
STORE_RULES_DDL = ("CREATE TABLE IF NOT EXISTS api_alert_rules (name VARCHAR PRIMARY KEY, "
                   "toml VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL)")


def store_rules(store: Any) -> dict[str, str]:
    """Rules kept in the store (added through the API), as TOML text by rule name."""
    if store.read_only:
        exists = store.query("SELECT count(*) AS n FROM information_schema.tables "
                             "WHERE table_name = 'api_alert_rules' "
                             "AND table_catalog = current_database()")["n"].iloc[0]
        if not exists:
            return {}
        frame = store.query("SELECT name, toml FROM api_alert_rules ORDER BY name")
        return dict(zip(frame["name"].astype(str), frame["toml"].astype(str), strict=True))
    with store.transaction() as con:
        con.execute(STORE_RULES_DDL)
        rows = con.execute("SELECT name, toml FROM api_alert_rules ORDER BY name").fetchall()
    return {str(n): str(t) for n, t in rows}


#: Facts with a bounded range: a threshold outside it makes a rule that can never fire.
_BOUNDS: dict[str, tuple[float, float, str]] = {
    "stress.index": (0.0, 1.0, "the index lies in [0, 1]"),
    "stress.percentile": (0.0, 100.0, "a percentile lies in [0, 100]"),
    "stress.percentile_longrun": (0.0, 100.0, "a percentile lies in [0, 100]"),
    **{f"stress.{g}_percentile": (0.0, 100.0, "a percentile lies in [0, 100]")
       for g in SUBINDEX_COLUMNS},
    "stress.yield_dollar_corr": (-1.0, 1.0, "a correlation lies in [-1, 1]"),
    "spillover.net_rates_dollar_to_crypto_pctile_252d": (
        0.0, 1.0, "this percentile is a fraction in [0, 1]"),
    "demand.percentile": (0.0, 100.0, "a percentile lies in [0, 100]"),
    "demand.gauge": (0.0, 1.0, "the gauge lies in [0, 1]"),
    "demand.long_auction_indirect_pct": (0.0, 100.0, "a share lies in [0, 100] %"),
    "demand.long_auction_dealer_pct": (0.0, 100.0, "a share lies in [0, 100] %"),
}
#: Series quoted finer than 0.01% (the ACM term premium to 0.000001%: a fifth of its daily
#: changes since 2015 are under 1 bp and not 0), whose sub-basis-point thresholds are kept.
_FINE_QUOTES: frozenset[str] = frozenset({"term_premium"})
#: Units read off a fact's name when its kind names none.
_SUFFIX_UNITS = ("bp", "pct", "usd_bn", "jpy_bn", "pp")


def _unit(name: str, kind: FactKind) -> str:
    """A number fact's unit: its kind's, else its name's suffix (``_bp``, ``_pct``, ...)."""
    if kind.unit:
        return {"pct_points": "pp"}.get(kind.unit, kind.unit)
    return next((u for u in _SUFFIX_UNITS if name.endswith("_" + u)), "")


def _never(fact: str, op: str, value: float) -> str | None:
    """Why ``fact op value`` can never hold (a threshold beyond the fact's range), or None."""
    lo, hi, why = _BOUNDS.get(fact, (None, None, ""))
    flag = lo is None and DEMAND_FACTS.get(fact, ("",))[0] == "bool"
    if flag:
        lo, hi, why = 0.0, 1.0, "a flag is 0 or 1 (false or true)"
    if lo is None or hi is None:
        return None
    if ((op == ">" and value >= hi) or (op == ">=" and value > hi)
            or (op == "<" and value <= lo) or (op == "<=" and value < lo)
            or (op == "==" and not lo <= value <= hi)
            # a flag between its two values (`demand.weak_auction == 0.5` was kept)
            or (op == "==" and flag and value not in (0.0, 1.0))):
        return why
    return None


def _label_values(rule: Rule, key: str) -> frozenset[str] | None:
    """The values the label ``key`` can take on the alerts of ``rule``; None: not known here.

    As :meth:`Rule._one` labels them: ``rule``, ``severity``, the rule's own ``labels``, and a
    ``*`` rule's ``asset`` (the series; known when its ``match`` names the assets).
    """
    if key == "asset" and rule.wildcard:
        names = rule.match.get("asset")
        return None if names is None else frozenset(_values(names))
    fixed = rule.fixed_labels
    return frozenset({fixed[key]}) if key in fixed else None


def _one_of(values: frozenset[str]) -> str:
    return " or ".join(map(repr, sorted(values)))


def _values(v: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """A ``match`` value as the values any of which matches (one, or a list)."""
    return (v,) if isinstance(v, str) else tuple(v)


#: The values a ``match`` label can take (``series`` is a store id, not known here).
_MATCH_VALUES: dict[str, frozenset[str]] = {
    "asset": frozenset(universe.ASSETS),
    "frequency": frozenset(a.frequency for a in universe.ASSETS.values()),
    "block": frozenset(a.block.value for a in universe.ASSETS.values()),
}


def _star_labels(fact: str) -> frozenset[str]:
    """The labels of the series facts a ``*.<quantity>`` fact expands to."""
    quantity = fact.partition(".")[2]
    if quantity in ("stale_bdays", "days_past_limit"):
        return frozenset({"asset", "frequency", "series"})
    if quantity == "z_1d":
        return frozenset({"asset", "block"})
    return frozenset({"asset"})


def read_rule_file(path: str | Path | None) -> tuple[str, str]:
    """The rule file's text and label: ``path``, else ``$SPILLWATCH_RULES``, else the defaults."""
    chosen = path if path is not None else settings().rules
    if chosen is None:
        return default_rules_text(), "<default rules>"
    p = Path(chosen).expanduser()
    if str(chosen) == "" or not p.exists():
        raise ConfigError(f"no rule file at {p}; write one (start from the defaults: "
                          "`spillwatch alerts rules > rules.toml`) or drop --rules to use "
                          "the defaults", path=str(p))
    if not p.is_file():
        raise ConfigError(f"{p} is not a file (the rules are one TOML file)", path=str(p))
    raw = p.read_bytes()
    try:   # a byte-order mark is not TOML, but editors write one
        return raw.decode("utf-8-sig"), str(p)
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ConfigError(f"{p}:{line}: not UTF-8 text (byte {raw[exc.start]:#04x}); save "
                          "the rule file as UTF-8", path=str(p)) from None


def _with_api(text: str, label: str, api: Mapping[str, str]) -> RuleSet:
    if api:
        text, label = "\n".join([text, *api.values()]), f"{label} + API rules"
    return parse_rules(text, path=label)


def load_rules(path: str | Path | None = None, *, store: Any = None) -> RuleSet:
    """Load the rule file plus, when ``store`` is given, the rules added through the API.

    The file is ``path``, else ``$SPILLWATCH_RULES``, else the packaged defaults. The store's
    rules are appended after the file's text, so errors in the file keep their line numbers.
    """
    text, label = read_rule_file(path)
    return _with_api(text, label, store_rules(store) if store is not None else {})


def rules_reloader(path: str | Path | None = None, *, store: Any) -> Callable[[], RuleSet]:
    """The monitor's rules at each cycle: the rule file as read now plus the API's as stored.

    Both are read at each call and re-parsed only when they changed: a rule added or deleted
    through the API, or an edit of the rule file, takes effect at the next cycle (a deleted
    rule's alerts resolve as "rule removed"). The receivers are built once: an edit that
    changes them is refused until a restart (the edited file ran nowhere, silently, while
    `alerts silence --rules` read it). The API validated each rule against the rule set before
    storing it; should the set still fail to parse, or the receivers change, the
    ``ConfigError`` propagates and the caller keeps the last good set (the monitor says so).
    """
    text, label = read_rule_file(path)
    seen: dict[str, Any] = {"api": store_rules(store), "text": text}
    seen["rules"] = _with_api(text, label, seen["api"])
    receivers = seen["rules"].receivers

    def current() -> RuleSet:
        api = store_rules(store)
        now, _ = read_rule_file(path)
        if api != seen["api"] or now != seen["text"]:
            rules = _with_api(now, label, api)     # a ConfigError keeps the last good set
            if dict(rules.receivers) != dict(receivers):
                raise ConfigError(f"{label}: its receivers changed; restart the monitor to "
                                  "send to them (its rules run as they were)", path=label)
            if now != seen["text"]:
                log.info("rule file %s changed: %d rules from now on", label, len(rules.rules))
            seen["api"], seen["text"], seen["rules"] = api, now, rules
        return seen["rules"]

    return current
