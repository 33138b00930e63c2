"""The scorecard's cached views and a rule added or deleted through the API (h_mut25).

6e99002 drops the views that replay the alert rules (``lazy:backtest``, the past evenings'
``data:backtest``) when a rule changes, and keeps none built while one changed (its epoch).
Its test adds a rule between two requests of today's scorecard: mutants dropping the epoch,
the past evenings' purge or their epoch check survived it.
"""

from __future__ import annotations

import pandas as pd
from pydantic import BaseModel

from spillwatch.api.views import RULE_VIEWS, Views
from spillwatch.data.source import open_source


class _Card(BaseModel):
    build: int


def test_a_rule_view_built_across_a_rule_change_is_served_not_kept():
    src = open_source("demo")
    try:
        views = Views(src, refresh_s=3600.0)
        day = (views.context().workspace.newest() - pd.Timedelta(days=30)).date()
        assert RULE_VIEWS == ("lazy:backtest", "data:backtest")
        builds: list[str] = []

        def build(changing: bool):
            def make(ctx) -> _Card:
                builds.append(str(ctx.as_of))
                if changing:
                    views.rules_changed()       # a rule added while it was being built
                return _Card(build=len(builds))
            return make

        # built while a rule changed: answered, then built again on the next request
        for key, ask in (("lazy:backtest", lambda b: views.get("lazy:backtest", b)),
                         ("data:backtest", lambda b: views.dated("data:backtest", b, day))):
            builds.clear()
            assert ask(build(True)).body == b'{"build":1}'
            assert ask(build(False)).body == b'{"build":2}'
            assert ask(build(False)).body == b'{"build":2}'      # kept now
            assert len(builds) == 2, key
            # a rule changed after it was kept: dropped, built anew
            views.rules_changed()
            assert ask(build(False)).body == b'{"build":3}'
        # a view that replays no rules is kept across a change
        builds.clear()
        assert views.get("lazy:demand", build(True)).body == b'{"build":1}'
        assert views.get("lazy:demand", build(False)).body == b'{"build":1}'
    finally:
        src.close()


def test_every_evening_s_context_carries_the_server_s_rule_file(tmp_path):
    # the scorecard of today and of a past evening replays ``serve --rules``'s file (af4d266):
    # the contexts hand it to :func:`spillwatch.alerts.backtest.backtest`
    desk = tmp_path / "desk.toml"
    src = open_source("demo")
    try:
        views = Views(src, refresh_s=3600.0, rules=desk)
        today = views.context()
        day = (today.workspace.newest() - pd.Timedelta(days=30)).date()
        assert today.rules == desk
        assert views.vintage(day).rules == desk
        assert views.vintage(day).as_of == day
        assert Views(src, refresh_s=3600.0).vintage(day).rules is None
    finally:
        src.close()
