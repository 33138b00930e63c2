"""The command line's defaults (``service.defaults``) are the service's and the engine's."""

import typer

from spillwatch import cli
from spillwatch.scenarios import run
from spillwatch.service import defaults, events, risk, scenarios, spillover


def _defaults(command: str) -> dict[str, object]:
    group = typer.main.get_command(cli.build_app((cli.COMMANDS[command],)))
    return {p.name: p.default for p in group.commands[command].params}


def test_the_scenario_chunk_size_is_the_engines():
    # the API and the report run the engine on its own default; the CLI on --chunk-size's:
    # the same seed gives the same numbers only at the same chunk size
    assert defaults.SCENARIO_CHUNK_SIZE == run.CHUNK_SIZE == 10_000
    assert _defaults("scenario")["chunk_size"] == scenarios.CHUNK_SIZE == run.CHUNK_SIZE


def test_each_option_default_is_the_services():
    assert {k: v for k, v in _defaults("scenario").items()
            if k in ("paths", "seed", "method")} == {
        "paths": scenarios.PATHS, "seed": scenarios.SEED, "method": scenarios.METHOD}
    assert {k: v for k, v in _defaults("spillover").items()
            if k in ("window", "lags", "horizon", "model")} == {
        "window": spillover.WINDOW, "lags": spillover.LAGS, "horizon": spillover.HORIZON,
        "model": spillover.MODEL} == {"window": 200, "lags": 2, "horizon": 10, "model": "var"}
    vol = _defaults("volatility")
    assert (vol["model"], vol["horizon"], vol["corr"]) == (
        risk.VOL_MODEL, risk.HORIZON, risk.CORR_METHOD)
    assert risk.CORR_METHOD in risk.CORR_CHOICES
    tail = _defaults("risk")
    assert (tail["level"], tail["methods"], tail["q"]) == (
        risk.LEVEL, ",".join(risk.METHODS), risk.COVAR_Q) == (0.99, "historical,fhs,t", 0.05)
    ev = _defaults("events")
    assert (ev["before"], ev["after"], ev["estimation"]) == (
        events.BEFORE, events.AFTER, events.ESTIMATION) == (1, 5, 120)
