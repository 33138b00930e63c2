"""Summary templates: the API's documented pattern and the validator accept the same strings.

The OpenAPI schema carries :data:`TEMPLATE_PATTERN`, so a client (or schemathesis) that sends a
schema-valid summary must never be refused, and whatever is accepted must render without error.
"""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spillwatch.alerts.rules import render
from spillwatch.alerts.schema import FIELD_MAX_WIDTH, TEMPLATE_PATTERN, check_template

_VALUES = {"value": 3.25, "stress.level": 71.5}
_CTX = {"rule": "r", "asset": "UST10Y", "severity": "warning", "as_of": "2025-04-09"}


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(st.from_regex(TEMPLATE_PATTERN, fullmatch=True).filter(lambda s: len(s) <= 300))
def test_every_schema_valid_template_is_accepted_and_renders(text):
    assert check_template(text) == text
    out = render(text, _VALUES, _CTX)
    assert isinstance(out, str)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from("{}:!rsax0123456789.>_ [] é"), max_size=24))
def test_anything_the_validator_accepts_matches_the_pattern(text):
    try:
        check_template(text)
    except ValueError:
        return
    assert re.fullmatch(TEMPLATE_PATTERN, text), text
    list(string.Formatter().parse(text))  # and Python can parse it
    render(text, _VALUES, _CTX)


@pytest.mark.parametrize("bad, says", [
    ("}", "Single '}'"), ("{value", "not a valid template"), ("{a!x}", "{name!r}"),
    ("{a[0}", "not a valid template"), ("{value:{rule}}", "nested"),
    (f"{{value:>{FIELD_MAX_WIDTH + 1}}}", f"at most {FIELD_MAX_WIDTH}"),
    # a spec outside Python's format-spec grammar (it rendered the raw value)
    ("{value:.2q}", "not a valid template"), ("{value:.f}", "not a valid template"),
    # a width in other scripts' digits is a width to Python's format ('𑜰' is Ahom zero: 100)
    ("{value:10\U00011730}", f"at most {FIELD_MAX_WIDTH}"),
])
def test_bad_templates_are_refused_naming_the_problem(bad, says):
    assert not re.fullmatch(TEMPLATE_PATTERN, bad)          # the documented schema refuses it too
    with pytest.raises(ValueError, match=re.escape(says)):
        check_template(bad)


def test_fields_render_with_their_format():
    assert render("{rule} at {value:>6.1f} ({as_of}) {{x}} {missing}", _VALUES, _CTX) == \
        "r at    3.2 (2025-04-09) {x} n/a"


def test_d_on_a_number_is_its_whole_part_rounded_down_as_the_headline_prints_a_percentile():
    """The default stress and foreign-selling rules printed percentiles with ``:.0f``: an alert
    read "recent years 95" for 94.6 where the headline, rounding down to the cut-offs, read
    94 (and Python's ``d`` refuses a float, which printed every digit). ``d`` on a number is
    its whole part rounded down, with the spec's width; text, whole numbers and NaN as before."""
    from spillwatch.alerts.rules import load_rules

    assert render("{p:d}", {"p": 94.6}, {}) == "94"
    assert render("{p:d}", {"p": 79.999}, {}) == "79"
    assert render("[{p:>4d}]", {"p": 95.0}, {}) == "[  95]"
    assert render("{p:d}", {"p": 7}, {}) == "7"
    assert render("{p:d}", {"p": float("nan")}, {}) == "nan"
    assert render("{p:.0f}", {"p": 94.6}, {}) == "95"       # other specs as Python's
    import numpy as np

    assert render("{p:d}", {"p": np.float32(94.6)}, {}) == "94"    # any real number
    assert render("{p:+d}", {"p": -0.2}, {}) == "-1"      # down: toward minus infinity
    assert render("{p:d}", {"p": True}, {}) == "1"
    # the default rules' percentiles use it
    rules = {r.name: r.summary for r in load_rules().rules}
    assert ("all-history percentile {stress.percentile_longrun:d}, recent years "
            "{stress.percentile:d}") in rules["stress_crisis"]
    assert "(percentile {demand.percentile:d})" in rules["foreign_selling_top_decile"]
    assert not any(re.search(r"percentile\w*:\.0f", t) for t in rules.values())
