"""The ``spillwatch`` command line (typer).

Each command group lives in its own module that exposes ``register(app)``; the modules are listed
in :data:`COMMAND_MODULES`. Commands are thin: they parse options, call one core function, then
print its result (rich) or its ``to_dict()`` as JSON with ``--json``.
"""

from __future__ import annotations

import importlib

import typer

COMMAND_MODULES: list[str] = [
    "spillwatch.cli.data",
    "spillwatch.cli.fetch",
    "spillwatch.cli.stress",
    "spillwatch.cli.serve",
    "spillwatch.cli.risk",
    "spillwatch.cli.alerts",
    "spillwatch.cli.scenario",
    "spillwatch.cli.spillover",
]

app = typer.Typer(
    name="spillwatch",
    help="Treasury and dollar stress, spillover into crypto, and sell-off scenarios.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    """Run the command-line interface."""
    app()
