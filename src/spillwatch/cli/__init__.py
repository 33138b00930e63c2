"""The ``spillwatch`` command line (typer).

Each command group lives in its own module that exposes ``register(app)``. Commands are thin:
they parse options, call the service layer, then print its result (rich) or its ``to_dict()``
as JSON with ``--json``.
"""

from __future__ import annotations

import typer

from spillwatch.cli import alerts, data, fetch, risk, scenario, serve, spillover, stress

app = typer.Typer(
    name="spillwatch",
    help="Treasury and dollar stress, spillover into crypto, and sell-off scenarios.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _module in (data, fetch, stress, serve, risk, alerts, scenario, spillover):
    _module.register(app)


def main() -> None:
    """Run the command-line interface."""
    app()
