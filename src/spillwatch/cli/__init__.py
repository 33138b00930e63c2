"""The ``spillwatch`` command line (typer).

Each command group lives in its own module that exposes ``register(app)``. Commands are thin:
they parse options, call the service layer, then print its result (rich) or its ``to_dict()``
as JSON with ``--json``.

:func:`main` registers only the module of the command it runs (``spillwatch alerts list`` does
not import the scenario engine): a command starts in about half the time of a full
registration. ``spillwatch``, ``--help`` or an unknown command get the whole application, and
so does ``spillwatch.cli.app`` (built on first use). Registering a module imports no engine:
each command imports its service when it runs, its options' defaults come from
:mod:`spillwatch.service.defaults` (``spillwatch --help`` loads neither numpy nor pandas).
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

import typer

from spillwatch.cli import _process

#: Command-group modules, in the order of ``spillwatch --help``.
MODULES: tuple[str, ...] = ("data", "fetch", "stress", "demand", "serve", "risk", "alerts",
                            "scenario", "spillover", "backtest")
#: Top-level command (or group) name -> the module that registers it.
COMMANDS: dict[str, str] = {
    "run": "data", "import": "data", "data": "data", "fetch": "fetch", "stress": "stress",
    "demand": "demand", "serve": "serve", "report": "serve", "volatility": "risk",
    "risk": "risk", "events": "risk", "monitor": "alerts", "alerts": "alerts",
    "scenario": "scenario", "spillover": "spillover", "backtest": "backtest",
}


def _module(name: str) -> ModuleType:
    """The command module ``name`` (imported here, explicitly, so the import graph sees it)."""
    match name:
        case "data":
            from spillwatch.cli import data
            return data
        case "fetch":
            from spillwatch.cli import fetch
            return fetch
        case "stress":
            from spillwatch.cli import stress
            return stress
        case "demand":
            from spillwatch.cli import demand
            return demand
        case "serve":
            from spillwatch.cli import serve
            return serve
        case "risk":
            from spillwatch.cli import risk
            return risk
        case "alerts":
            from spillwatch.cli import alerts
            return alerts
        case "scenario":
            from spillwatch.cli import scenario
            return scenario
        case "spillover":
            from spillwatch.cli import spillover
            return spillover
        case "backtest":
            from spillwatch.cli import backtest
            return backtest
        case _:
            raise KeyError(f"no command module {name!r}; the modules: {', '.join(MODULES)}")


def build_app(modules: tuple[str, ...] = MODULES) -> typer.Typer:
    """The typer application with the commands of ``modules`` registered."""
    application = typer.Typer(
        name="spillwatch",
        help="Treasury and dollar stress, spillover into crypto, and sell-off scenarios.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )

    def _version(value: bool) -> None:
        if value:
            from spillwatch._version import __version__

            typer.echo(f"spillwatch {__version__}")
            raise typer.Exit()

    @application.callback()
    def _root(version: bool = typer.Option(
            False, "--version", callback=_version, is_eager=True,
            help="Print the version and exit.")) -> None:
        # a group even when one module registers a single command (typer would otherwise
        # make that command the whole program and read its name as an argument)
        return None

    for name in modules:
        _module(name).register(application)
    return application


def __getattr__(name: str) -> Any:
    """``spillwatch.cli.app``: the whole application, built once on first use (PEP 562)."""
    if name == "app":
        application = build_app()
        globals()["app"] = application
        return application
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _app_for(args: list[str]) -> typer.Typer:
    """Only the module of the command in ``args``; the whole application otherwise."""
    first = args[0] if args and not args[0].startswith("-") else None
    module = COMMANDS.get(first) if first is not None else None
    if module is None:
        return __getattr__("app") if "app" not in globals() else globals()["app"]
    return build_app((module,))


def main(argv: list[str] | None = None) -> None:
    """Run the command-line interface.

    A usage error (an unknown option, a value of the wrong type) is printed like every other
    error — ``error: …`` on stderr, exit code 2 — instead of click's usage block.
    """
    _process.prepare()
    args = list(sys.argv[1:] if argv is None else argv)
    application = _app_for(args)
    try:
        code = application(args=args, standalone_mode=False)
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
            # `spillwatch` (or `spillwatch data`) alone: the help. Click builds the error's
            # message with ctx.get_help(), and typer's rich help prints itself there and
            # returns no text: printing ctx.get_help() again printed the whole help twice.
            message = exc.format_message()
            if message.strip():
                sys.stdout.write(message + "\n")
            sys.exit(0)
        hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
        sys.stderr.write(f"error: {exc.format_message()}{hint}\n")
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)
