"""``spillwatch serve`` (dashboard and JSON API) and ``spillwatch report [--pdf]``."""

from __future__ import annotations

import contextlib
import functools
from pathlib import Path
from typing import Annotated, Any

import typer

from spillwatch.cli._common import (
    DataOpt,
    DbOpt,
    DemoOpt,
    JsonOpt,
    RulesOpt,
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
        # the data lack something (a SpillwatchError): 'not computed'; anything else: a defect
        lines += [f"{'not computed' if v.split(':')[0] in _DATA_ERRORS else 'FAILED'} {k}: {v}"
                  for k, v in self.failures.items()]
        return "\n".join(lines)


def _error_names() -> frozenset[str]:
    from spillwatch import exceptions

    return frozenset(n for n, c in vars(exceptions).items()
                     if isinstance(c, type) and issubclass(c, exceptions.SpillwatchError))


_DATA_ERRORS = _error_names()


def dashboard_url(host: str, port: int) -> str:
    """The URL ``serve`` prints for ``host`` and ``port``, an IPv6 literal in brackets.

    >>> dashboard_url("127.0.0.1", 8050), dashboard_url("::1", 8050)
    ('http://127.0.0.1:8050/', 'http://[::1]:8050/')
    """
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/"


def _server_settings() -> Any:
    """The settings (a bad ``SPILLWATCH_*`` value is a ConfigError naming it)."""
    from spillwatch.config import settings

    return settings()


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
        trusted_host: Annotated[list[str] | None, typer.Option(
            "--trusted-host", help="Host name the server answers to, besides "
                                   "$SPILLWATCH_TRUSTED_HOSTS (localhost, 127.0.0.1, ::1) and "
                                   "the --host address (repeatable; '*.example.org', '*' for "
                                   "any); other Host headers get 400.")] = None,
        forwarded_allow_ips: Annotated[str | None, typer.Option(
            "--forwarded-allow-ips", help="Comma-separated addresses or networks of reverse "
                                          "proxies whose X-Forwarded-For (or Forwarded, see "
                                          "$SPILLWATCH_FORWARDED_HEADER) names the client; "
                                          "default $SPILLWATCH_TRUSTED_PROXIES, none.")] = None,
        rules: RulesOpt = None,
    ) -> None:
        """Serve the live dashboard at / and the JSON API under /api/ (spec at /openapi.json)."""
        from spillwatch.api.app import create_app
        from spillwatch.api.auth import TOKEN_ENV, load_or_create_token, token_file
        from spillwatch.api.limits import ClientResolver, RateLimit
        from spillwatch.api.server import listen_socket, run_server

        conf = _server_settings()
        hosts = [*conf.trusted_hosts, *(trusted_host or ())]
        if host not in ("0.0.0.0", "::", ""):
            hosts.append(host)
        proxies = (conf.trusted_proxies if forwarded_allow_ips is None
                   else tuple(p.strip() for p in forwarded_allow_ips.split(",") if p.strip()))
        ClientResolver(proxies, conf.forwarded_header)  # a bad address fails before anything
        # bound first: a port in use fails before a token is made or the data are opened
        with contextlib.closing(listen_socket(host, port)) as sock:
            token, origin = load_or_create_token()
            with market(demo, data, db) as src:
                web = create_app(
                    src, token=token, cors_origins=tuple(cors or ()),
                    trusted_hosts=tuple(dict.fromkeys(hosts)), trusted_proxies=proxies,
                    forwarded_header=conf.forwarded_header, max_body_bytes=conf.max_body_bytes,
                    read_limit=RateLimit.parse(conf.rate_read),
                    write_limit=RateLimit.parse(conf.rate_write),
                    token_read_limit=RateLimit.parse(conf.rate_token_read),
                    token_write_limit=RateLimit.parse(conf.rate_token_write),
                    body_timeout_s=conf.body_timeout_s, rules_path=rules)
                url = dashboard_url(host, sock.getsockname()[1])   # --port 0: the one it got
                say = functools.partial(err.print, highlight=False, soft_wrap=True, markup=False)
                say(f"spillwatch dashboard: {url}  (data: {src.label})")
                say(f"answering Host: {', '.join(dict.fromkeys(hosts))}"
                    + (f"; proxies trusted: {', '.join(proxies)}" if proxies else ""))
                if origin == "created":
                    say(f"write token (new, kept in {token_file()}): {token}")
                    say(f"open {url}#token={token} to run scenarios from the page")
                elif origin == "file":
                    say(f"write token: kept in {token_file()}")
                else:
                    say(f"write token: ${TOKEN_ENV}")
                run_server(web, host=host, port=port, log_level=log_level,
                           header_timeout_s=conf.header_timeout_s,
                           body_timeout_s=conf.body_timeout_s, keep_alive_s=conf.keep_alive_s,
                           sock=sock)
        say("spillwatch serve: stopped cleanly")

    @app.command()
    @command
    def report(
        demo: DemoOpt = False,
        data: DataOpt = None,
        db: DbOpt = None,
        out: Annotated[str, typer.Option(      # a str keeps a trailing separator (a folder)
            "--out", help="Folder for report.html (and .pdf), or the file's name if it ends in "
                          ".html (the PDF beside it).")
                       ] = "spillwatch-report",
        pdf: Annotated[bool, typer.Option(
            "--pdf", help="Also print report.pdf with headless Chromium.")] = False,
        chromium: Annotated[Path | None, typer.Option(
            help="Chromium executable (default: $SPILLWATCH_CHROMIUM, else chromium on PATH or "
                 "/usr/bin/chromium).")
        ] = None,
        as_of: Annotated[str | None, typer.Option(
            "--as-of", help="The report of the evening of this date (YYYY-MM-DD): the data as "
                            "published by then, and that day as today for every staleness "
                            "note (as `run --as-of`, which prints no PDF).")] = None,
        json_out: JsonOpt = False,
    ) -> None:
        """Write the self-contained HTML report (the dashboard's figures); --pdf prints a PDF."""
        from spillwatch.cli._common import parse_date, vintage
        from spillwatch.report.context import ReportContext
        from spillwatch.report.html import report_target, write_report
        from spillwatch.service._today import replay_day

        when = parse_date(as_of, "--as-of")
        report_target(out)       # a --out that cannot take the report stops before any work
        if pdf:          # a Chromium that is not there stops before the report is built
            from spillwatch.report.pdf import find_chromium

            find_chromium(chromium)
        with workspace(demo, data, db, json_out) as ws:
            if when is not None:
                ws = vintage(ws, when)
            with replay_day(when, published=True) if when is not None else contextlib.nullcontext():
                rep = write_report(ReportContext(ws), out)
            pdf_path = None
            if pdf:
                from spillwatch.report.pdf import write_pdf

                console(json_out).print("printing the PDF with headless Chromium…")
                pdf_path = write_pdf(rep.path, rep.path.with_suffix(".pdf"), chromium=chromium)
            result = _ReportResult(rep.path, pdf_path, [s.key for s in rep.sections],
                                   rep.failures, ws.simulated)
        emit(result, json_out)
