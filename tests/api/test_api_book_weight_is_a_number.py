"""A book's weight in a request is a JSON number, as a book file's is a number."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from spillwatch.api import schemas


@pytest.mark.parametrize("model", [schemas.BookRiskRequest, schemas.ScenarioRequest])
@pytest.mark.parametrize("weight", ["true", '"1_0"', '"0.5"', '"1e6"'])
def test_a_weight_that_is_no_number_is_refused(model, weight):
    """POST /api/risk/portfolio read `"weight": true` as 1.0 (a $1m bitcoin line: 99% VaR
    $73,054 on the real data) and `"weight": "1_0"` as 10 (a $10m line), where the CLI's
    book refuses a TOML true or text and a CSV cell that is no plain decimal ("1_0" was
    the CLI's own $10m-book bug). Both are a 422 now, not a number the caller never sent."""
    body = '{"portfolio": [{"asset": "btc", "weight": ' + weight + '}]}'
    with pytest.raises(ValidationError, match="valid number"):
        model.model_validate_json(body)


@pytest.mark.parametrize("weight, value", [("1", 1.0), ("0.5", 0.5), ("-2", -2.0),
                                           ("1e6", 1e6)])
def test_a_json_number_is_still_a_weight(weight, value):
    """Integers and exponents stay weights (strict mode takes a JSON int as a float)."""
    req = schemas.BookRiskRequest.model_validate_json(
        json.dumps({"portfolio": [{"asset": "btc", "weight": json.loads(weight)}]}))
    assert req.portfolio[0].weight == value
    assert isinstance(req.portfolio[0].weight, float)
