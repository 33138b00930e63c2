"""The one schema of alert rules (pydantic): read by the TOML loader and by the API.

A rule file's ``[defaults]``, ``[[receiver]]`` and ``[[rule]]`` tables and a rule posted to
``/api/alerts/rules`` are validated by the same models, with one duration grammar
(:func:`parse_duration`); the TOML loader (:mod:`spillwatch.alerts.rules`) turns a validation
error into ``file:line: ...`` and then checks what needs the facts (fact names, thresholds of the
right kind, receivers that exist).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import string
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    WithJsonSchema,
    field_validator,
)

from spillwatch.exceptions import ConfigError

#: A condition's comparison and an alert's severity, spelt once for every model's field
#: (``OPS``: the comparisons, as messages list them).
Op = Literal[">", ">=", "<", "<=", "==", "!="]
Severity = Literal["info", "warning", "critical"]
OPS: tuple[str, ...] = get_args(Op)
#: Longest summary template, and the widest field a template may ask for (characters).
SUMMARY_MAX_CHARS = 300
FIELD_MAX_WIDTH = 99
#: A summary template as a JSON-schema pattern: literal text, ``{{``/``}}`` escapes, and fields
#: ``{name!c:spec}`` with no brackets or braces in the name, a conversion of r/s/a, and a spec in
#: Python's format-spec grammar, ``[[fill]align][sign][z][#][0][width][grouping][.precision]
#: [type]``, whose numbers (width, precision) have at most two digits. The API documents it, so
#: a schema-valid summary is an accepted one (``{x:.2q}`` is neither). Digits are ``\d``:
#: Python's ``format`` reads any Unicode decimal digit as a width digit (``{:10𑜰}`` is 100
#: wide), and so does ``\d`` in Python's and pydantic's regexes (an ECMA-262 reader sees ASCII
#: digits only, a looser pattern; the server still refuses the wider field).
_SPEC = r"(?:[^{}]?[<>=^])?[+\- ]?z?#?0?\d{0,2}[,_]?(?:\.\d{1,2})?[bcdeEfFgGnosxX%]?"
TEMPLATE_PATTERN = (r"^(?:[^{}]|\{\{|\}\}|\{[^{}!:\[\]]*(?:![rsa])?"
                    r"(?::" + _SPEC + r")?\})*$")
_DURATION = re.compile(r"(?:(\d{1,4})d)?(?:(\d{1,5})h)?(?:(\d{1,6})m)?(?:(\d{1,7})s)?")
_NAME = r"^[A-Za-z0-9_.-]{1,64}$"
#: A label's key and value as a rule or a silence gives them (a 5,000-character value was
#: taken, stored and sent with every alert).
LabelKey = Annotated[str, Field(min_length=1, max_length=64)]
LabelValue = Annotated[str, Field(max_length=200)]


def parse_duration(text: object) -> dt.timedelta:
    """Parse ``"15m"``, ``"4h"``, ``"1d"``, ``"1h30m"``, ``"30s"`` or ``"0"`` into a timedelta.

    Raises
    ------
    ConfigError
        Anything else, with examples of the grammar.
    """
    if isinstance(text, dt.timedelta):
        return text
    if isinstance(text, int) and not isinstance(text, bool) and text >= 0:
        return dt.timedelta(seconds=text)
    s = str(text).strip().lower()
    if s == "0":
        return dt.timedelta(0)
    m = _DURATION.fullmatch(s)
    if not s or m is None or not any(m.groups()):
        raise ConfigError(f"bad duration {text!r}; write e.g. '30s', '15m', '4h', '1d', '1h30m'")
    d, h, mi, se = (int(g or 0) for g in m.groups())
    total = ((d * 24 + h) * 60 + mi) * 60 + se
    if total > MAX_DURATION_S:
        raise ConfigError(f"duration {text!r} is longer than ten years ({MAX_DURATION_S} s)")
    return dt.timedelta(seconds=total)


def format_duration(value: dt.timedelta) -> str:
    """The inverse of :func:`parse_duration` (``"1h30m"``; ``"0"`` for zero)."""
    total = int(value.total_seconds())
    if total == 0:
        return "0"
    d, rest = divmod(total, 86400)
    h, rest = divmod(rest, 3600)
    m, s = divmod(rest, 60)
    return "".join(f"{n}{u}" for n, u in ((d, "d"), (h, "h"), (m, "m"), (s, "s")) if n)


#: The duration grammar as a JSON-schema pattern (the API documents and enforces it). The
#: digit counts keep every match under :data:`MAX_DURATION_S` (999d9999h99999m9999999s is about
#: 4.4 years), so a schema-valid duration is never refused for its length.
DURATION_PATTERN = (r"^(0|\d{1,3}d(\d{1,4}h)?(\d{1,5}m)?(\d{1,7}s)?|\d{1,4}h(\d{1,5}m)?"
                    r"(\d{1,7}s)?|\d{1,5}m(\d{1,7}s)?|\d{1,7}s)$")


#: The longest duration a rule or silence may name, in seconds (ten years).
MAX_DURATION_S = 315_360_000


def _duration(value: object) -> dt.timedelta:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and not (
            0 <= value <= MAX_DURATION_S):
        raise ValueError(f"bad duration {value!r}: seconds from 0 to {MAX_DURATION_S}")
    if isinstance(value, str) and not re.fullmatch(DURATION_PATTERN, value):
        # only a duration of the grammar with a unit's digits past the pattern's is refused
        # for its size: '1H' and ' 15m' were told "at most 999d, 9999h, ... per unit", and
        # '99999d' "bad duration", where the one is the grammar and the other the length
        m = re.fullmatch(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", value)
        if not value or m is None:
            raise ValueError(f"bad duration {value!r}; write e.g. '30s', '15m', '4h', '1d', "
                             "'1h30m' (lower-case units, no spaces)")
        d, h, mi, se = (int(g or 0) for g in m.groups())
        if ((d * 24 + h) * 60 + mi) * 60 + se > MAX_DURATION_S:
            raise ValueError(f"duration {value!r} is longer than ten years "
                             f"({MAX_DURATION_S} s)")
        raise ValueError(f"bad duration {value!r}: at most 999d, 9999h, 99999m and 9999999s "
                         "per unit (and ten years in all)")
    try:
        return parse_duration(value)
    except ConfigError as exc:
        raise ValueError(exc.message) from None


Duration = Annotated[dt.timedelta, BeforeValidator(_duration), WithJsonSchema({
    "anyOf": [{"type": "string", "pattern": DURATION_PATTERN},
              {"type": "integer", "minimum": 0, "maximum": MAX_DURATION_S}],
    "description": "A duration: '30s', '15m', '4h', '1d', '1h30m', '0', or seconds."})]


def check_template(text: str) -> str:
    """Check a summary template: valid ``{field:spec}`` syntax and no field wider than allowed.

    Any Unicode is accepted; a width or precision above :data:`FIELD_MAX_WIDTH` is refused (a
    template like ``{rule:>20000000}`` would make every evaluation allocate megabytes).
    """
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ValueError(f"not a valid template: {exc}") from None
    for _, name, spec, _ in parsed:
        if name is None:
            continue
        for num in re.findall(r"\d+", spec or ""):
            if int(num) > FIELD_MAX_WIDTH:
                raise ValueError(f"field {{{name}:{spec}}} asks for {num} characters; at most "
                                 f"{FIELD_MAX_WIDTH}")
        if "{" in (spec or ""):
            raise ValueError(f"field {{{name}:{spec}}}: nested fields are not allowed")
    if not re.fullmatch(TEMPLATE_PATTERN, text):
        raise ValueError("not a valid template: a field is {name}, {name:spec} or {name!r}, "
                         "with no brackets in the name")
    return text


#: A threshold: a finite number, or a label such as 'elevated' or 'sell_america'.
Threshold = (Annotated[float, Field(allow_inf_nan=False)]
             | Annotated[str, Field(pattern=r"^[a-z_]{1,32}$")] | None)


def _no_bool(v: Any) -> Any:
    if isinstance(v, bool):
        raise ValueError("a threshold is a number or a label, not true/false")
    return v


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class ConditionSpec(_Strict):
    """``fact op value`` (a threshold) or ``fact op ref`` (another fact)."""

    fact: str = Field(pattern=r"^[A-Za-z0-9_*]{1,40}\.[a-z0-9_]{1,60}$",
                      description="Fact name, e.g. 'stress.percentile', 'btc.chg_5d_pct'.")
    op: Op
    value: Threshold = Field(default=None, description=(
        "Threshold: a number, or a label such as 'elevated' or 'sell_america'."))
    ref: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_*]{1,40}\.[a-z0-9_]{1,60}$",
                            description="Another fact to compare with (instead of value).")

    _value = field_validator("value", mode="before")(_no_bool)


def _check_right_side(fact: str, value: object, ref: object) -> None:
    if value is None and ref is None:
        raise ValueError(f"{fact}: give 'value' (a threshold) or 'ref' (another fact) to "
                         "compare with")
    if value is not None and ref is not None:
        raise ValueError(f"{fact}: give 'value' or 'ref', not both")


class InhibitSpec(_Strict):
    """An inhibition: the rule's alert is held back while an alert of ``rule`` fires.

    Both alerts carry the same values of the ``equal`` labels (Alertmanager's
    ``inhibit_rules``, stated per rule).
    """

    rule: str = Field(pattern=_NAME, description="The rule whose firing alerts inhibit this one.")
    equal: list[LabelKey] = Field(default_factory=list, max_length=8, description=(
        "Labels both alerts must carry with one value (e.g. ['asset']: bitcoin's alert "
        "inhibits bitcoin's only); empty: any firing alert of the rule inhibits."))


class RuleSpec(_Strict):
    """One alert rule: one condition (``fact``/``op``/``value`` or ``ref``) or ``when``."""

    name: str = Field(pattern=_NAME)
    fact: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_*]{1,40}\.[a-z0-9_]{1,60}$")
    op: Op | None = None
    value: Threshold = None
    ref: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_*]{1,40}\.[a-z0-9_]{1,60}$")
    when: list[ConditionSpec] | None = Field(default=None, min_length=1, max_length=8)
    for_: Duration | None = Field(default=None, alias="for")
    keep_firing_for: Duration | None = Field(default=None, description=(
        "How long a firing alert stays firing after its conditions stop holding (a value "
        "hovering at its threshold fires once, not once per crossing); an unavailable fact "
        "still resolves it at once."))
    repeat_interval: Duration | None = None
    severity: Severity | None = None
    summary: str = Field(default="", max_length=SUMMARY_MAX_CHARS,
                         json_schema_extra={"pattern": TEMPLATE_PATTERN})
    labels: dict[LabelKey, LabelValue] = Field(default_factory=dict, max_length=16)
    group_by: list[LabelKey] | None = Field(default=None, max_length=8)
    receivers: list[LabelKey] | None = Field(default=None, max_length=8)
    match: dict[LabelKey, LabelValue | Annotated[list[LabelValue], Field(
        min_length=1, max_length=64)]] = Field(default_factory=dict, max_length=8, description=(
            "Which series of a '*' fact the rule watches: a label and one value, or a list "
            "of values any of which matches ({'asset': ['btc', 'trump']})."))
    send_resolved: StrictBool | None = None
    renotify_on: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9_*]{1,40}\.[a-z0-9_]{1,60}$",
        description=("A fact whose new observation is news: while the alert fires, a new "
                     "value or date of this fact (a later weak auction, the next week's "
                     "custody print) is notified at once instead of at the next "
                     "repeat_interval."))
    inhibited_by: list[InhibitSpec] = Field(default_factory=list, max_length=8, description=(
        "Rules whose firing alerts hold this rule's alerts back (recorded as firing, not "
        "delivered): one move told once, by the rule named, instead of twice."))
    enabled: StrictBool = True

    _value = field_validator("value", mode="before")(_no_bool)

    @field_validator("summary")
    @classmethod
    def _summary(cls, v: str) -> str:
        return check_template(v)

    def check(self) -> None:
        """Check that the rule is complete, as the rules parser will read it.

        (Not a pydantic validator: JSON Schema cannot state it, and the rule file's parser
        reports the same problems with their line numbers.)

        Raises
        ------
        ValueError
            Neither or both of ``when`` and fact/op/value, a condition without ``op``, or one
            without exactly one of ``value`` and ``ref``.
        """
        for c in self.conditions():
            _check_right_side(c.fact, c.value, c.ref)

    def conditions(self) -> list[ConditionSpec]:
        """The rule's conditions (``when``, or the single fact/op/value).

        Raises
        ------
        ValueError
            Neither or both forms, or a single condition without ``op`` and a value or ref.
        """
        single = any(x is not None for x in (self.fact, self.op, self.value, self.ref))
        if self.when is not None:
            if single:
                raise ValueError("give either 'when' or fact/op/value, not both")
            return list(self.when)
        if self.fact is None:
            raise ValueError("needs a condition: fact/op/value or when = [...]")
        if self.op is None:
            raise ValueError(f"op must be one of {', '.join(OPS)}")
        return [ConditionSpec(fact=self.fact, op=self.op, value=self.value, ref=self.ref)]

    def toml(self) -> str:
        """The rule as a ``[[rule]]`` table of the rule-file format."""
        def q(v: object) -> str:
            # a JSON string is a TOML basic string but for DEL, which TOML requires escaped
            # (a summary or label holding U+007F was a 409 'not valid TOML' at an inner line)
            return json.dumps(v, ensure_ascii=False).replace("\x7f", "\\u007f")

        def val(v: float | str | None) -> str:
            return q(v) if isinstance(v, str) else repr(float(v or 0.0))

        lines = ["[[rule]]", f"name = {q(self.name)}"]
        if self.when is not None:
            conds = ", ".join(
                "{ " + ", ".join([f"fact = {q(c.fact)}", f"op = {q(c.op)}",
                                  f"ref = {q(c.ref)}" if c.ref else f"value = {val(c.value)}"])
                + " }" for c in self.when)
            lines.append(f"when = [{conds}]")
        else:
            lines += [f"fact = {q(self.fact)}", f"op = {q(self.op)}",
                      f"ref = {q(self.ref)}" if self.ref else f"value = {val(self.value)}"]
        for key, dur in (("for", self.for_), ("keep_firing_for", self.keep_firing_for),
                         ("repeat_interval", self.repeat_interval)):
            if dur is not None:
                lines.append(f"{key} = {q(format_duration(dur))}")
        if self.severity is not None:
            lines.append(f"severity = {q(self.severity)}")
        if self.summary:
            lines.append(f"summary = {q(self.summary)}")
        for key in ("labels", "match"):
            table = getattr(self, key)
            if table:
                lines.append(f"{key} = {{ " + ", ".join(f"{q(k)} = {q(v)}"
                                                        for k, v in table.items()) + " }")
        for key in ("group_by", "receivers"):
            items = getattr(self, key)
            if items is not None:
                lines.append(f"{key} = [" + ", ".join(q(x) for x in items) + "]")
        if self.send_resolved is not None:
            lines.append(f"send_resolved = {'true' if self.send_resolved else 'false'}")
        if self.renotify_on is not None:
            lines.append(f"renotify_on = {q(self.renotify_on)}")
        if self.inhibited_by:
            lines.append("inhibited_by = [" + ", ".join(
                f"{{ rule = {q(x.rule)}, equal = [" + ", ".join(q(e) for e in x.equal) + "] }"
                for x in self.inhibited_by) + "]")
        if not self.enabled:
            lines.append("enabled = false")
        return "\n".join(lines) + "\n"


class DefaultsSpec(_Strict):
    """``[defaults]``: what every rule gets unless it says otherwise."""

    for_: Duration = Field(default=dt.timedelta(0), alias="for")
    keep_firing_for: Duration = dt.timedelta(0)
    repeat_interval: Duration = dt.timedelta(hours=4)
    severity: Severity = "warning"
    group_by: list[str] = Field(default_factory=lambda: ["rule"])
    receivers: list[str] | None = None
    send_resolved: StrictBool = True


class SilenceSpec(_Strict):
    """A silence: alerts of ``rule`` (and/or matching ``matchers``) are not delivered."""

    rule: str | None = Field(default=None, pattern=_NAME, description="Rule name to silence.")
    matchers: dict[LabelKey, LabelValue] = Field(
        default_factory=dict, max_length=8, description="Label matchers, e.g. {'asset': 'btc'}.")
    duration: Duration = Field(description="How long, e.g. '4h', '1d'.")
    comment: str = Field(default="", max_length=300)
