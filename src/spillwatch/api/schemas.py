"""Pydantic models of the API's requests and responses (the OpenAPI spec is built from them).

pydantic lives here only: the core returns plain dicts (``to_dict()``) and frames, and the views in
:mod:`spillwatch.api.views` validate them into these models once per data version.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from spillwatch.scenarios.run import MAX_HORIZON_DAYS
from spillwatch.service.risk import LEVEL as RISK_LEVEL
from spillwatch.service.scenarios import METHOD as SCENARIO_METHOD
from spillwatch.service.scenarios import PATHS as SCENARIO_PATHS
from spillwatch.service.scenarios import SEED as SCENARIO_SEED

Cell = float | str | None


class Problem(BaseModel):
    """An error: what went wrong and, where it helps, why (every 4xx/5xx but 422)."""

    detail: str = Field(description="What went wrong and how to fix it.")


class Frame(BaseModel):
    """A table in split orientation: ``data[i][j]`` is row ``index[i]``, column ``columns[j]``."""

    index: list[str]
    columns: list[str]
    data: list[list[Cell]]


class PlotlyFigure(BaseModel):
    """A plotly figure as JSON (``Plotly.newPlot(div, figure.data, figure.layout)``)."""

    data: list[dict[str, Any]]
    layout: dict[str, Any]


class ViewStatus(BaseModel):
    """Whether a view can be served, and why not."""

    available: bool
    reason: str | None = None
    pending: bool = Field(default=False, description=(
        "Not computed yet for this data version (a new day or new data): it is being computed "
        "in the background, and a request for it waits for it. `available` is then a "
        "promise, not a result: the view itself may still answer 503 with its reason."))


class Simulated(BaseModel):
    """A response that says whether its data are the simulated demo market."""

    simulated: bool = Field(default=False, description=(
        "True when the data are the simulated demo market, not real prices (as the CLI's "
        "`--json` says)."))


class Meta(BaseModel):
    """What the server serves: the source, the data version and each view's availability."""

    version: str = Field(description="spillwatch version.")
    source: str
    simulated: bool
    as_of: str | None = Field(description="Last date with most series present (ISO).")
    first_evening: str | None = Field(None, description=(
        "The first evening a view's ``as_of`` accepts (ISO): when the 10-year's first value "
        "was published."))
    last_evening: str | None = Field(None, description=(
        "The last evening a view's ``as_of`` accepts (ISO): the newest data."))
    data_version: str = Field(description=(
        "Changes whenever the store's data change, and each day (the views say how old their "
        "readings are today)."))
    generated_at: str = Field(description="When the current views were computed (UTC, ISO).")
    refresh_seconds: float = Field(description="How often the page checks for new data.")
    views: dict[str, ViewStatus]


class SeriesInfo(BaseModel):
    """One stored series and its health."""

    series_id: str
    name: str | None
    provider: str | None
    frequency: str | None
    unit: str | None
    first: str | None
    last: str | None
    points: int
    quarantined: int
    revisions: int


class SeriesList(Simulated):
    """Every series in the store."""

    series: list[SeriesInfo]


class AssetSeries(Simulated):
    """One asset of the watch list: its columns of the panel (``/api/panel``), business days.

    A market open on a US holiday (crypto) has no row of its own that day: its move is in the
    next business day's change, as in the panel.
    """

    asset: str
    level_column: str
    change_column: str
    dates: list[str]
    level: list[float | None]
    change: list[float | None]
    last_observation: str | None = Field(default=None, description=(
        "The last date the series itself reported, on or before `end`: a weekly or monthly "
        "series (custody, TIC, STLFSI4) is carried on the panel's business days after it, so "
        "the last of `dates` is not its last print."))


class PanelOut(BaseModel):
    """The aligned daily panel (units in the column names)."""

    transform: str
    simulated: bool
    frame: Frame


class FigureOut(Simulated):
    """One dashboard figure, drawn by the same function as the report's."""

    name: str
    title: str
    figure: PlotlyFigure


class StressLatest(BaseModel):
    """The latest stress reading."""

    date: str
    stress: float | None = Field(description="Composite index, 0–1.")
    percentile: float | None = Field(
        description="Recursive percentile, 0–100, recent years weighted more (half-life two "
                    "years).")
    percentile_longrun: float | None = Field(
        default=None, description="Recursive percentile among all past values, equal weights.")
    regime: str | None = Field(
        description="'calm', 'elevated' or 'crisis' (crisis: entered in the long-run top 5%, "
                    "left below the long-run 90; elevated: entered at either percentile 80 or "
                    "more, left when both are below 70).")
    signature: str | None = Field(
        description="'sell_america', 'dash_for_cash', 'flight_to_quality', 'none', or "
                    "'unavailable' (an input of the signature lacks a current value).")
    regime_since: str | None = Field(default=None, description=(
        "First date of the regime's current run of readings."))
    regime_held: str | None = Field(default=None, description=(
        "Why the regime is above what the reading's own percentiles give (the exit band "
        "holds it: 'held by the exit band: elevated until both percentiles are below 70'); "
        "null when they give it."))
    regime_readings: int | None = Field(default=None, description=(
        "Readings in the regime's current run."))
    regime_last_20: dict[str, int] = Field(default_factory=dict, description=(
        "Readings of each regime among the last 20."))
    subindices: dict[str, float | None]
    subindex_percentiles: dict[str, float | None] = Field(default_factory=dict, description=(
        "Each sub-index's recursive percentile, 0–100, within its own history (ranked as the "
        "composite is); 90 and above: its own top decile."))
    signals: dict[str, float | None]
    # what `stress --json` says of the reading beside it (the API kept the numbers and
    # dropped when each input last reported, so a replay could not say why a signal is out)
    signature_5d: str | None = Field(default=None, description=(
        "The signature over five days, read on days both legs report ('unavailable' on the "
        "others: as of an evening the dollar of its week is not out)."))
    signature_5d_last: str | None = Field(default=None, description=(
        "The five-day signature of the last day with both legs published."))
    signature_5d_last_date: str | None = None
    signature_last: str | None = Field(default=None, description=(
        "The signature of the last day with both legs published (the monitor's fact)."))
    signature_last_date: str | None = None
    signature_waiting: dict[str, str | None] = Field(default_factory=dict, description=(
        "The signature's legs (ust10y, usd_broad) behind the reading's date, each with its "
        "last report (the broad dollar, the Fed's H.10, is out the Monday after its week)."))
    signature_unread: str | None = Field(default=None, description=(
        "Why no day up to the reading has a signature (a leg with no report by then, or the "
        "legs' volatility scales not yet filled); null once one has."))
    as_of: str | None = Field(default=None, description="The day the reading is judged on.")
    age_days: int | None = Field(default=None, description="Days from the reading to as_of.")
    fresh: bool | None = Field(default=None, description=(
        "The reading is within the 10-year yield's staleness limit of as_of."))
    stale: list[str] = Field(default_factory=list, description="Inputs past their limit.")
    missing: list[str] = Field(default_factory=list, description="Inputs with no value.")
    inputs: dict[str, dict[str, Any]] = Field(default_factory=dict, description=(
        "Per input: state, last (its last report), age_days, stale_after_days."))
    reading_without: dict[str, str | None] = Field(default_factory=dict, description=(
        "Inputs stale or missing on the reading's own date, each with its last report by "
        "then (None: none yet)."))
    week_ago_date: str | None = None
    week_ago_stress: float | None = None
    week_ago_percentile: float | None = None


class StressOut(Simulated):
    """The composite stress index: the latest reading and its history."""

    summary: dict[str, Any] = Field(description=(
        "The headline numbers, identical to `spillwatch stress --json`'s summary and the "
        "report's."))
    latest: StressLatest
    history: Frame = Field(description=(
        "The last days of the index; `known_on` is the first evening every input of the row "
        "was published (a row reads its inputs by observation date). As of a past evening "
        "(`as_of`), a row whose `known_on` is after it was provisional that evening: an "
        "input not out yet (the H.10 dollar of the last days) was read at its last print, "
        "and the row is what was seen then, not the one computed once it came out."))


class SignalsOut(Simulated):
    """Today's early-warning signals (with traffic lights), their history and the signature."""

    date: str
    signature: str | None
    table: Frame
    counts: dict[str, int] = Field(description="Days of each signature in the history.")
    history: Frame


class SpilloverOut(Simulated):
    """Diebold–Yilmaz connectedness: the latest window's table and the rolling net spillover."""

    summary: dict[str, Any] = Field(description=(
        "The headline numbers, identical to `spillwatch spillover --json` and the report."))
    date: str | None = Field(description="Last date of the latest window.")
    window: int | None = Field(description="Rows per rolling window.")
    tci: float | None
    table: Frame
    net: dict[str, float | None]
    rolling_net: Frame | None
    notes: list[str] = Field(default_factory=list, description=(
        "What the reader must know: a window past its staleness limit, the sampling of the "
        "headline (as `spillwatch spillover` prints them)."))


class PresetInfo(BaseModel):
    """A named sell-off scenario."""

    name: str
    description: str


class PresetList(BaseModel):
    """The scenario presets the server can run."""

    presets: list[PresetInfo]


def _iso_date_only(v: Any) -> Any:
    """Take ``YYYY-MM-DD`` only.

    Pydantic alone takes "0" or 1744156800 as a date (1970-01-01, 2025-04-09), where the GET
    views' ``as_of`` and the CLI's ``--as-of`` take ISO dates.
    """
    if v is not None and not (isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v)):
        raise ValueError("a date is written YYYY-MM-DD")
    return v


#: A request's ``as_of``: an ISO date, or none.
IsoDate = Annotated[datetime.date | None, BeforeValidator(_iso_date_only)]


class Position(BaseModel):
    """One position of a book: an asset key (or the id of your own series) and its weight."""

    model_config = ConfigDict(extra="forbid")

    asset: str = Field(pattern=r"^[A-Za-z0-9_.:-]{1,64}$", description="e.g. 'btc'.")
    # strict: JSON true was read as 1.0 and the text "1_0" as 10 (a $10m position), which
    # the CLI's book file refuses (a TOML true or "1e6" is no weight; a CSV cell is a plain
    # decimal); a JSON integer is still a number
    weight: float = Field(strict=True, allow_inf_nan=False, description=(
        "The position: a share of $1m with kind 'weights' (scenarios always), US dollars with "
        "kind 'notional' (POST /api/risk/portfolio); negative: short."))


class ScenarioRequest(BaseModel):
    """Run a scenario by Monte Carlo: a preset, or custom sellers, on the default or your book."""

    model_config = ConfigDict(extra="forbid")

    preset: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]{0,39}$",
                               description="Preset name, see GET /api/scenarios.")
    # the CLI's grammar (selloff.parse_seller): 100bn, $1.2tn, 2.5w were refused here (422)
    sellers: list[Annotated[str, Field(pattern=r"^[A-Za-z_]{2,20}:\$?[0-9.,_eE+]{1,20}"
                                               r"(%|[bBtT][nN]?)?"
                                               r"(:([0-9]{1,3}(\.[0-9]{0,6})?|\.[0-9]{1,6})[wW]?)?"
                                               r"(@([0-9]{1,3}(\.[0-9]{0,6})?|\.[0-9]{1,6})[wW]?)?$"
                                               )]] | None = (
        Field(default=None, max_length=6, description=(
            "Custom sellers instead of a preset: COUNTRY:AMOUNT[:WEEKSw][@STARTw], as "
            "`spillwatch scenario --seller`, e.g. 'japan:100e9:4w', 'japan:100bn:2.5w' or "
            "'china:10%:8w@2w'.")))
    portfolio: list[Position] | None = Field(
        default=None, max_length=20, description=(
            "The book: weights of $1m by asset (e.g. [{'asset': 'btc', 'weight': 0.5}]); "
            "default the report's book."))
    # the CLI's defaults, so that the same request gives the same numbers everywhere
    paths: int = Field(default=SCENARIO_PATHS, ge=100, le=20_000,
                       description="Monte Carlo paths (default: as `spillwatch scenario`).")
    seed: int = Field(default=SCENARIO_SEED, ge=0, le=2**32 - 1,
                      description="Seed of the random generator.")
    horizon: int | None = Field(default=None, ge=1, le=MAX_HORIZON_DAYS, description=(
        "Horizon in business days (default: the end of the last sale + 20), as "
        "`spillwatch scenario --horizon`."))
    as_of: IsoDate = Field(default=None, description=(
        "Run on the data as published by the evening of this date (YYYY-MM-DD), as "
        "`spillwatch scenario --as-of`."))
    method: str = Field(default=SCENARIO_METHOD, pattern=r"^(t-copula|fhs)$", description=(
        "Residual noise: t-copula or fhs (filtered historical simulation)."))
    band: Literal["central", "upper"] = Field(default="central",
                                              description="Impact band: central or upper.")
    alone: bool = Field(default=True, description=(
        "Also run the first seller alone when several countries sell, side by side "
        "(`result.side_by_side`), as `spillwatch scenario --alone` (the default)."))

    @field_validator("paths", "seed", "horizon", mode="before")
    @classmethod
    def _not_bool(cls, v: Any) -> Any:
        if isinstance(v, bool):
            raise ValueError("a number, not true/false")
        return v



class BookRiskRequest(BaseModel):
    """A book's one-day VaR and ES from its daily P&L over history (`risk --portfolio`)."""

    model_config = ConfigDict(extra="forbid")

    portfolio: list[Position] = Field(min_length=1, max_length=20, description=(
        "The book: each asset once, with its weight (see ``kind``)."))
    kind: Literal["weights", "notional"] = Field(default="weights", description=(
        "'weights': shares of $1m (as POST /api/scenarios); 'notional': dollars."))
    # the range `risk --level` takes (it took 0.9 to 0.999 here: a book at 0.8 or 0.9995 was
    # the CLI's and a 422 here)
    level: float = Field(default=RISK_LEVEL, gt=0.5, lt=1.0, allow_inf_nan=False,
                         description="VaR confidence level, above 0.5 and below 1 (default: as "
                                     "`spillwatch risk`).")
    backtest: bool = Field(default=True, description="Run the Kupiec/Christoffersen backtest.")
    as_of: IsoDate = Field(default=None, description=(
        "Run on the data as published by the evening of this date (YYYY-MM-DD), as "
        "`spillwatch risk --as-of`."))


class ScenarioOut(Simulated):
    """A scenario run: its headline numbers, formatted table, full result and fan chart."""

    preset: str = Field(description="The preset, or 'custom'.")
    label: str = Field(description="What is sold, by whom, over how long.")
    paths: int
    seed: int
    headline: dict[str, Any] = Field(description=(
        "10-year impact, the book's VaR/ES (99%) with its gross size (`book_gross_usd`, the "
        "sum of the positions' absolute dollars) and the tail probabilities (each at any close "
        "within its days, `probabilities_note`); the market state "
        "the paths start from (`as_of`, `stale` assets, `book_last_dates`), what not to "
        "read literally (`warnings`) and the impact signs the identification imposes "
        "(`assumed_signs`)."))
    table: Frame = Field(description="Every asset's distribution, formatted with units.")
    result: dict[str, Any]
    figure: PlotlyFigure


class AlertsOut(Simulated):
    """Alert states (pending, firing, resolved), the most recently evaluated first."""

    alerts: list[dict[str, Any]]
    rules: int = Field(description="Rules in force (rule file plus API rules); with "
                                   "`rules_error`, the rules the stored states are of.")
    evaluated_at: str | None = Field(description="Last evaluation stored (UTC, ISO).")
    rules_error: str | None = Field(
        default=None, description="Why the rule file cannot be read (it no longer parses: "
                                  "the monitor runs its last good rules, whose states these are).")


class RulesOut(BaseModel):
    """Alert rules."""

    rules: list[dict[str, Any]]


class SilencesOut(BaseModel):
    """Silences (an alert matching one is not delivered until it ends)."""

    silences: list[dict[str, Any]]


class Created(BaseModel):
    """What a write created."""

    id: str
    item: dict[str, Any]


class Deleted(BaseModel):
    """What a delete removed."""

    id: str
    deleted: bool


class CapabilityOut(Simulated):
    """One capability's headline numbers and its detail.

    ``summary`` is the same dict the CLI's ``--json`` and the report give.
    """

    summary: dict[str, Any]
    detail: dict[str, Any] = Field(default_factory=dict)
