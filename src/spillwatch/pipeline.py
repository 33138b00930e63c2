"""The main job: load data, compute every analytic, write the report, record the run.

``spillwatch run`` is a thin wrapper over :func:`run`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spillwatch._results import ResultBase, jsonable
from spillwatch.data.source import MarketSource, open_source
from spillwatch.service._today import replay_day


@dataclass(repr=False)
class RunResult(ResultBase):
    """What a run did: where the report is, what each section found, what failed."""

    report: Path
    source: str
    simulated: bool
    as_of: Any
    sections: dict[str, dict[str, Any]]
    failures: dict[str, str]
    run_id: int | None = None
    imported: dict[str, Any] | None = None
    fetched: dict[str, Any] | None = None
    seconds: float = 0.0
    title: str = field(default="run", init=False)

    def table(self) -> Any:
        import pandas as pd

        rows = [{"section": k, "status": "ok"} for k in self.sections]
        rows += [{"section": k, "status": f"failed: {v}"} for k, v in self.failures.items()]
        return pd.DataFrame(rows).set_index("section")

    def _summary_lines(self) -> list[str]:
        tag = " (SIMULATED)" if self.simulated else ""
        # data holding none of the watch list have no market date: it read "market as of None"
        # (the report's header says "n/a")
        when = (f"market as of {self.as_of} (the last day half the watch list reports; each "
                "line states its own date)" if self.as_of is not None else
                "no market date (the data hold none of the watch list's series)")
        lines = [f"spillwatch run{tag}: data {self.source}, {when}",
                 f"report: {self.report}  ({len(self.sections)} sections, "
                 f"{len(self.failures)} failed, {self.seconds:.1f}s)"]
        lines += self.sections.get("summary", {}).get("lines", [])
        latest = self.sections.get("market", {}).get("latest", {})
        if latest:
            lines.append("latest: " + ", ".join(
                f"{k} {v['value']:,.2f} {v['unit']} ({v['date']})" for k, v in latest.items()))
        for key, summ in self.sections.items():
            if key in {"market", "summary"} or not summ:
                continue
            head = summ.get("headline")
            if head:
                lines.append(f"{key}: {head}")
        for key, msg in self.failures.items():
            lines.append(f"FAILED {key}: {msg}")
        return lines

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"report": str(self.report), "source": self.source,
                         "simulated": self.simulated, "as_of": self.as_of,
                         "run_id": self.run_id, "seconds": self.seconds,
                         "sections": self.sections, "failures": self.failures,
                         "imported": self.imported, "fetched": self.fetched})

    def __rich__(self) -> Any:
        return "\n".join(self._summary_lines())


def run(source: object = None, *, db: object = None, out: str | Path = "spillwatch-report",
        sections: list[str] | None = None,
        on_step: Callable[[str], None] | None = None,
        as_of: dt.date | None = None) -> RunResult:
    """Run the main job on ``source`` (see :func:`spillwatch.load`) and write the report.

    Parameters
    ----------
    source : None, "demo", path, Store or MarketSource
    db : path, optional
        Store file (default ``$SPILLWATCH_DB`` or the user data folder) when ``source`` is None.
    out : path, default "spillwatch-report"
        Folder for ``report.html``.
    sections : list of str, optional
        Report sections to build (keys of :data:`spillwatch.report.sections.SECTIONS`; default
        all).
    on_step : callable, optional
        Called with the name of each step (progress display).
    as_of : date, optional
        Replay the job on the evening of that day: the data as published by then
        (``--as-of`` of every command), and that day taken as today for every freshness note.

    Returns
    -------
    RunResult
    """
    from spillwatch.report.context import ReportContext
    from spillwatch.report.html import write_report
    from spillwatch.service.workspace import Workspace

    t0 = dt.datetime.now(dt.UTC)
    step = on_step or (lambda _s: None)
    step("loading data")
    src: MarketSource = open_source(source, db=db)
    run_id = None
    try:
        store = src.store
        if not store.read_only:
            run_id = store.start_run("run", message=src.label)
        ws = Workspace(src)
        if as_of is not None:
            from spillwatch.alerts.backtest.vintage import vintage_workspace

            ws = vintage_workspace(ws, as_of)
        ctx = ReportContext(ws)
        step("computing analytics and writing the report")
        try:
            with replay_day(as_of, published=True) if as_of is not None \
                    else contextlib.nullcontext():
                rep = write_report(ctx, out, sections=sections)
        except Exception as exc:
            if run_id is not None:
                store.finish_run(run_id, status="error", message=str(exc))
            raise
        seconds = (dt.datetime.now(dt.UTC) - t0).total_seconds()
        if run_id is not None:
            store.finish_run(run_id, status="ok" if not rep.failures else "partial",
                             read=store.count(), message=f"report {rep.path}")
        imported = src.imported.to_dict()["totals"] if src.imported else None
        return RunResult(report=rep.path, source=src.label, simulated=src.simulated,
                         as_of=ctx.as_of.date() if ctx.as_of is not None else None,
                         sections=rep.summary(), failures=rep.failures, run_id=run_id,
                         imported=imported, seconds=seconds)
    finally:
        src.close()
