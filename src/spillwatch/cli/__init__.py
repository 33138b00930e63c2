"""The ``spillwatch`` command line (typer).

Each command group lives in its own module that exposes ``register(app)``. Commands are thin:
they parse options, call the service layer, then print its result (rich) or its ``to_dict()``
as JSON with ``--json``.
"""

from __future__ import annotations

import sys

import typer

from spillwatch.cli import (
    alerts,
    backtest,
    data,
    demand,
    fetch,
    risk,
    scenario,
    serve,
    spillover,
    stress,
)

app = typer.Typer(
    name="spillwatch",
    help="Treasury and dollar stress, spillover into crypto, and sell-off scenarios.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _module in (data, fetch, stress, demand, serve, risk, alerts, scenario, spillover,
                backtest):
    _module.register(app)


def main(argv: list[str] | None = None) -> None:
    """Run the command-line interface.

    A usage error (an unknown option, a value of the wrong type) is printed like every other
    error — ``error: …`` on stderr, exit code 2 — instead of click's usage block.
    """
    try:
        code = app(args=argv, standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.stderr.write("error: aborted\n")
        sys.exit(130)
    except Exception as exc:
        # click's own errors (typer vendors click, so they are matched by their interface):
        # a usage error or a bad parameter value
        if not (hasattr(exc, "format_message") and hasattr(exc, "exit_code")):
            raise
        ctx = getattr(exc, "ctx", None)
        if ctx is not None and type(exc).__name__ == "NoArgsIsHelpError":
            sys.stdout.write(ctx.get_help() + "\n")  # `spillwatch` alone: the help
            sys.exit(0)
        hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
        sys.stderr.write(f"error: {exc.format_message()}{hint}\n")
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)
