"""A rule replaced through the API is replayed anew on the same workspace (h_mut25).

3821826 put the API's rules into the replay's memo key: a mutant leaving them out survived the
tests, which add a rule to a store without API rules (the rule file's label changes then). A
rule replaced by one of the same name (``POST /api/alerts/rules``, its ``replaced``) keeps that
label: the memo served the old rule's scorecard.
"""

from __future__ import annotations

import shutil

import pytest

from spillwatch.alerts.admin import AlertAdmin
from spillwatch.alerts.backtest import backtest
from spillwatch.alerts.schema import RuleSpec
from spillwatch.data.source import open_source
from spillwatch.service.workspace import Workspace


def _rule(value: float) -> RuleSpec:
    return RuleSpec(name="desk_ust10y_rise", fact="ust10y.chg_1d_bp", op=">", value=value,
                    severity="warning", summary="10-year up {value:.0f} bp")


def _fired(doc: dict) -> list[str]:
    return [f["fired"] for f in doc["firings"] if f["rule"] == "desk_ust10y_rise"]


@pytest.mark.slow
def test_a_replaced_api_rule_is_replayed_on_the_same_workspace(lagged_db, tmp_path):
    db = tmp_path / "desk.duckdb"
    shutil.copyfile(lagged_db, db)
    src = open_source(db)
    try:
        ws = Workspace(src)
        AlertAdmin(src.store).add_rule(_rule(8))
        low = backtest(ws, start="2024-01-01").to_dict()
        AlertAdmin(src.store).add_rule(_rule(25))           # replaces it
        high = backtest(ws, start="2024-01-01").to_dict()
        fresh = backtest(Workspace(src), start="2024-01-01").to_dict()
    finally:
        src.close()
    assert low["settings"]["rules"] == high["settings"]["rules"] == "<default rules> + API rules"
    assert len(_fired(low)) > len(_fired(high))
    assert _fired(high) == _fired(fresh)
