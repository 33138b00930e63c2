"""The standard choices the command line shows as its options' defaults.

The service modules take these values as their own (``service.risk.LEVEL`` is
:data:`VAR_LEVEL`) and the CLI prints them in ``--help``. They live in this module, which
imports nothing, so that registering a command (``spillwatch --help``, ``spillwatch alerts
list``) does not import the engine behind it: ``service.risk`` alone loads scipy, arch,
statsmodels and numba (about 2 s of CPU before a line of help was printed).
"""

from __future__ import annotations

# -- volatility, risk (service.risk) ------------------------------------------------------
#: First date of the history the risk commands read ...
RISK_START = "2015-01-01"
#: ... or, for a window that ends less than this many years after it (an evening before
#: 2018), this many years before the window's end (the scenario's rule, ``MIN_SAMPLE_YEARS``).
RISK_MIN_YEARS = 3
#: Volatility model: GARCH, GJR or EGARCH chosen by BIC.
VOL_MODEL = "auto"
#: Volatility forecast days.
VOL_HORIZON = 10
#: Dynamic correlation model.
CORR_METHOD = "dcc"
#: VaR/ES confidence level.
VAR_LEVEL = 0.99
#: VaR/ES methods.
VAR_METHODS: tuple[str, ...] = ("historical", "fhs", "t")
#: CoVaR tail level.
COVAR_Q = 0.05

# -- event studies (service.events) --------------------------------------------------------
#: Event-window days before and after day 0, and estimation-window days.
EVENT_BEFORE, EVENT_AFTER, EVENT_ESTIMATION = 1, 5, 120

# -- sell-off scenarios (service.scenarios) ------------------------------------------------
#: Monte Carlo paths.
SCENARIO_PATHS = 20_000
#: Random seed.
SCENARIO_SEED = 7
#: Residual noise of the simulation.
SCENARIO_METHOD = "t-copula"
#: Paths per chunk: the engine's default (``spillwatch.scenarios.run.CHUNK_SIZE``, which the
#: API and the report use), written here so that ``--help`` need not import the engine;
#: ``tests/service/test_defaults.py`` holds the two equal.
SCENARIO_CHUNK_SIZE = 10_000

# -- spillover (service.spillover) ---------------------------------------------------------
#: Rates, the dollar and crypto: the blocks of the headline.
SPILLOVER_ASSETS: tuple[str, ...] = ("ust2y", "ust10y", "usd_broad", "usdjpy", "btc", "eth")
#: Rolling window (daily rows), VAR order and forecast horizon.
SPILLOVER_WINDOW, SPILLOVER_LAGS, SPILLOVER_HORIZON = 200, 2, 10
#: Rolling OLS VAR (``tvp``: the TVP-VAR).
SPILLOVER_MODEL = "var"
