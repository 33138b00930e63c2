"""A sale's label prints the amount it sells: ``japan:1.5bn`` was "japan $2bn / 4w"."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from spillwatch._results import sale_size
from spillwatch.cli import app
from spillwatch.scenarios.selloff import parse_seller


@pytest.mark.parametrize(("text", "label"), [
    ("japan:1.5bn", "japan $1.5bn / 4w"),         # was $2bn: a third more than it sells
    ("japan:2.25bn:8", "japan $2.25bn / 8w"),      # was $2bn
    ("china:12.5bn", "china $12.5bn / 4w"),       # was $12bn (round half to even)
    ("japan:100bn", "japan $100bn / 4w"),
    ("japan:118.6bn", "japan $119bn / 4w"),       # within 1%: whole billions, as before
    ("japan:500e6", "japan $500m / 4w"),
    ("japan:999.6e6", "japan $1bn / 4w"),          # by the figure printed, not "$1,000m"
])
def test_the_label_keeps_the_amounts_digits(text, label):
    assert parse_seller(text).label() == label


def test_sale_size_rounds_only_within_one_percent():
    assert [sale_size(x) for x in (1.05e9, 1.004e9, 68.4e9, 1234.5e6, 1.13e12, -2e9)] == [
        "$1.05bn", "$1bn", "$68bn", "$1.23bn", "$1,130bn", "-$2bn"]
    assert sale_size(1.5e9, space=True) == "$1.5 bn" and sale_size(5e8, space=True) == "$500m"


def test_the_scenario_and_its_observed_line_say_1_5bn():
    res = CliRunner().invoke(app, ["scenario", "--demo", "--seller", "japan:1.5bn",
                                   "--paths", "500", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    text = json.dumps(doc)
    assert "japan $1.5bn / 4w" in text and "japan $2bn" not in text
    assert "($1.5 bn)" in text and "($2 bn)" not in text
