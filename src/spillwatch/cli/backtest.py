"""``spillwatch backtest``: replay the monitor over history and score it against episodes."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import typer

from spillwatch.cli._common import (
    DataOpt,
    DbOpt,
    DemoOpt,
    FrameOutput,
    JsonOpt,
    WideOpt,
    command,
    emit,
    parse_window,
    workspace,
)


def _lead(covered: Any, lead: Any) -> str:
    if not covered:
        return "n/a"
    if lead is None or (isinstance(lead, float) and math.isnan(lead)):
        return "missed"
    return f"{lead:+.0f}"


def _num(v: Any, fmt: str = "{:.2f}") -> str:
    return "n/a" if v is None or (isinstance(v, float) and math.isnan(v)) else fmt.format(v)


class BacktestOutput:
    """What ``spillwatch backtest`` prints: the headline, the lead table, the scores."""

    def __init__(self, result: Any, wide: bool = False) -> None:
        self.result, self.wide = result, wide

    def to_dict(self) -> dict[str, Any]:
        return dict(self.result.to_dict())

    def __rich__(self) -> Any:
        import pandas as pd
        from rich.console import Group

        from spillwatch.alerts.backtest.scores import signed_days

        res = self.result
        keys = [res.headline, *res.comparator_keys]
        short = {res.headline: "spillwatch", "stlfsi4": "STLFSI4", "ofr_fsi": "OFR FSI",
                 "ecb_ciss": "ECB CISS"}
        lt = res.lead_table()
        rows = pd.DataFrame({
            "episode": lt.index, "kind": lt["kind"].to_numpy(),
            "peak": [pd.Timestamp(p).date().isoformat() for p in lt["peak"]],
            **{short.get(k, k): [_lead(c, v) for c, v in zip(lt[f"{k}_covered"],
                                                            lt[f"{k}_lead"], strict=True)]
               for k in keys}})
        summ = res.card.summary
        scores = pd.DataFrame({
            "signal": summ["label"].to_numpy(),
            "hits": [f"{int(h)}/{int(c)}" for h, c in zip(summ["hits"], summ["covered"],
                                                          strict=True)],
            # 95% intervals (scores' module docstring, *Uncertainty*)
            "hit rate 95%": [f"{lo:.0%}–{hi:.0%}" if pd.notna(lo) else "n/a"
                             for lo, hi in zip(summ["hit_rate_lo"], summ["hit_rate_hi"],
                                               strict=True)],
            "by chance": [_num(v, "{:.0%}") for v in summ["hit_rate_chance"]],
            "days on": [_num(v, "{:.0%}") for v in summ["on_share"]],
            "median lead": ["n/a" if math.isnan(v) else signed_days(v)
                            for v in summ["median_lead_bdays"]],
            "false alarms/yr": [_num(v) for v in summ["false_alarms_per_year"]],
            "AUROC 5": [_num(v) for v in summ["auroc_5"]],
            "AUROC 20": [_num(v) for v in summ["auroc_20"]],
            "AUROC 20 common": [_num(v) for v in summ["auroc_common_20"]],
            "AUROC 20 common 95%": [f"{lo:.2f}–{hi:.2f}" if pd.notna(lo) else "n/a"
                                    for lo, hi in zip(summ["auroc_common_20_lo"],
                                                      summ["auroc_common_20_hi"], strict=True)]})
        return Group(*res._summary_lines(),
                     FrameOutput(rows, "lead time to the peak, business days (+: before it)",
                                 priority=("episode", "spillwatch", "STLFSI4", "OFR FSI",
                                           "ECB CISS"),
                                 wide=self.wide).__rich__(),
                     FrameOutput(scores, "scores", priority=("signal", "AUROC 20", "hits"),
                                 wide=self.wide).__rich__())


def register(app: typer.Typer) -> None:
    """Register the ``backtest`` command."""

    @app.command()
    @command
    def backtest(
        demo: DemoOpt = False,
        data: DataOpt = None,
        db: DbOpt = None,
        start: Annotated[str | None, typer.Option(
            help="First replay day (YYYY-MM-DD); default 1990-01-01.")] = None,
        end: Annotated[str | None, typer.Option(
            help="Last replay day (YYYY-MM-DD); default the data's last date.")] = None,
        rules: Annotated[Path | None, typer.Option(
            "--rules", help="Alert rule file to replay (default: $SPILLWATCH_RULES, else the "
            "packaged rules), with the rules added through the API, as the monitor runs them."
        )] = None,
        episodes: Annotated[Path | None, typer.Option(
            "--episodes", help="TOML file of dated episodes (default: the packaged ones).")
        ] = None,
        wide: WideOpt = False,
        json_out: JsonOpt = False,
    ) -> None:
        """Replay the monitor over history with publication lags and score its alerts.

        Lead time, hit rate, false alarms and AUROC against dated episodes, for spillwatch and
        the official stress indices (STLFSI4, OFR FSI, ECB CISS) read as released.
        """
        from spillwatch.alerts.backtest import backtest as run

        # refused before the store is read, in every window command's words (the replay
        # loaded the data for 20 s, then said "the replay ends … before it starts")
        lo, hi = parse_window(start, end)
        with workspace(demo, data, db, json_out) as ws:
            result = run(ws, start=lo, end=hi, rules=rules, episodes=episodes)
        emit(BacktestOutput(result, wide), json_out)
