"""``spillwatch serve`` (dashboard and JSON API) and ``spillwatch report [--pdf]``."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated, Any

import typer

from spillwatch.cli._common import (
    DataOpt,
    DbOpt,
    DemoOpt,
    JsonOpt,
    command,
    console,
    emit,
    err,
    market,
    workspace,
)


class _ReportResult:
    def __init__(self, html: Path, pdf: Path | None, sections: list[str],
                 failures: dict[str, str], simulated: bool) -> None:
        self.html, self.pdf, self.sections = html, pdf, sections
        self.failures, self.simulated = failures, simulated

    def to_dict(self) -> dict[str, Any]:
        return {"report": str(self.html), "pdf": str(self.pdf) if self.pdf else None,
                "sections": self.sections, "failures": self.failures,
                "simulated": self.simulated}

    def __rich__(self) -> str:
        lines = [f"report: {self.html}" + (" (SIMULATED data)" if self.simulated else "")]
        if self.pdf is not None:
            lines.append(f"pdf:    {self.pdf}")
        lines.append(f"sections: {', '.join(self.sections) or 'none'}")
        lines += [f"FAILED {k}: {v}" for k, v in self.failures.items()]
        return "\n".join(lines)


def register(app: typer.Typer) -> None:
    """Register ``serve`` and ``report``."""

    @app.command()
    @command
    def serve(
        demo: DemoOpt = False,
        data: DataOpt = None,
        db: DbOpt = None,
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.")] = 8050,
        cors: Annotated[list[str] | None, typer.Option(
            "--cors", help="Origin allowed to call the API from a browser (repeatable); "
                           "CORS is closed by default.")] = None,
        log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
    ) -> None:
        """Serve the live dashboard at / and the JSON API under /api/ (spec at /openapi.json)."""
        from spillwatch.api.app import create_app
        from spillwatch.api.auth import TOKEN_ENV, load_or_create_token, token_file
        from spillwatch.api.server import run_server

        token, origin = load_or_create_token()
        with market(demo, data, db) as src:
            web = create_app(src, token=token, cors_origins=tuple(cors or ()))
            url = f"http://{host}:{port}/"
            say = functools.partial(err.print, highlight=False, soft_wrap=True, markup=False)
            say(f"spillwatch dashboard: {url}  (data: {src.label})")
            if origin == "created":
                say(f"write token (new, kept in {token_file()}): {token}")
                say(f"open {url}#token={token} to run scenarios from the page")
            elif origin == "file":
                say(f"write token: kept in {token_file()}")
            else:
                say(f"write token: ${TOKEN_ENV}")
            run_server(web, host=host, port=port, log_level=log_level)
        say("spillwatch serve: stopped cleanly")

    @app.command()
    @command
    def report(
        demo: DemoOpt = False,
        data: DataOpt = None,
        db: DbOpt = None,
        out: Annotated[Path, typer.Option("--out", help="Folder for report.html (and .pdf).")
                       ] = Path("spillwatch-report"),
        pdf: Annotated[bool, typer.Option(
            "--pdf", help="Also print report.pdf with headless Chromium.")] = False,
        chromium: Annotated[Path | None, typer.Option(
            help="Chromium executable (default: chromium on PATH or /usr/bin/chromium).")
        ] = None,
        json_out: JsonOpt = False,
    ) -> None:
        """Write the self-contained HTML report (the dashboard's figures); --pdf prints a PDF."""
        from spillwatch.report.context import ReportContext
        from spillwatch.report.html import write_report

        with workspace(demo, data, db, json_out) as ws:
            rep = write_report(ReportContext(ws), out)
            pdf_path = None
            if pdf:
                from spillwatch.report.pdf import write_pdf

                console(json_out).print("printing the PDF with headless Chromium…")
                pdf_path = write_pdf(rep.path, rep.path.with_suffix(".pdf"), chromium=chromium)
            result = _ReportResult(rep.path, pdf_path, [s.key for s in rep.sections],
                                   rep.failures, ws.simulated)
        emit(result, json_out)
