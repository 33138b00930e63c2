"""The sell-off scenario: who sells, how much, how fast; presets; ``japan:100e9:4w`` parsing.

A :class:`SelloffScenario` is a tuple of :class:`Seller` (country, USD amount, pace in weeks, start
week). Holdings, against which amounts are checked and percentages resolved, come from the latest
TIC "Major Foreign Holders" figures in the store (assets ``tic_japan``, ``tic_china``, ``tic_uk``),
or from :data:`FALLBACK_HOLDINGS_USD` (spring 2025: Japan ≈ $1.13tn, China ≈ $0.76tn).

Presets (:data:`PRESETS`)
-------------------------
``japan-intervention``
    Japan sells $80bn over 3 weeks: a little above its largest yen-defence campaigns in the
    Ministry of Finance's intervention reports, each converted at the day's H.10 rate: ¥9.19tn
    ≈ $63bn (2022-09-22 to 10-24), ¥9.79tn ≈ $62bn (2024-04-29 and 05-01), ¥5.53tn ≈ $35bn
    (2024-07-11 and 12); ¥11.73tn in 2026-04-30 to 05-06 is ≈ $76bn at 154.99, the last H.10
    rate published before it. The preset prices a sale of Treasuries of that size; an
    intervention funded from deposits sells none (Fed custody holdings fell $38bn in the week
    to 2022-09-28, but rose $9.5bn in the week to 2024-05-01 and $5.8bn in that to 07-17).
``japan-10pct``
    Japan sells 10% of its holdings over 8 weeks.
``japan-china-coordinated``
    Japan sells 10% over 8 weeks; China follows two weeks later with 10% of its own over 8 weeks.
``full-dump``
    The tail: Japan and China sell half of their holdings each over 26 weeks, China starting a
    week after Japan.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from spillwatch._results import ResultBase, sale_size
from spillwatch._validation import is_real, plain
from spillwatch.exceptions import ScenarioError
from spillwatch.scenarios._results import ScenarioResult
from spillwatch.scenarios.impact import sales_schedule, week_days
from spillwatch.scenarios.inputs import (
    COUNTRIES,
    FALLBACK_HOLDINGS_USD,
    FALLBACK_LABEL,
    holdings_from_source,
    latest_holdings,
    market_inputs,
)
from spillwatch.scenarios.propagation import FittedMarket, fit_market
from spillwatch.scenarios.run import MAX_WEEKS, simulate

__all__ = [
    "COUNTRIES", "FALLBACK_HOLDINGS_USD", "PRESETS", "PresetMatch", "Seller", "SelloffScenario",
    "closest_preset", "holdings_from_source", "latest_holdings", "parse_amount", "parse_seller",
    "preset", "selloff",
]


@dataclass(frozen=True)
class Seller:
    """One seller of Treasuries.

    Attributes
    ----------
    country : str
        ``"japan"``, ``"china"`` or ``"uk"``.
    amount_usd : float
        USD sold (> 0).
    weeks : float
        Pace: the amount is spread evenly over ``weeks`` × 5 business days.
    start_weeks : float
        Weeks after the start of the scenario when the selling begins.
    share : float, optional
        The share of the country's holdings the sale was given as (``0.1`` for ``10%``):
        the amount is sized anew on the holdings of the market a scenario sized on the
        fallback holdings is run on (:meth:`SelloffScenario.simulate`), as the CLI sizes it.
    """

    country: str
    amount_usd: float
    weeks: float = 4.0
    start_weeks: float = 0.0
    share: float | None = None

    def __post_init__(self) -> None:
        country = str(self.country).strip().lower()
        if country not in COUNTRIES:
            raise ScenarioError(f"unknown country {self.country!r}; choose one of: "
                                f"{', '.join(COUNTRIES)}", country=self.country)
        object.__setattr__(self, "country", country)
        for name, v, lo in (("amount_usd", self.amount_usd, 0.0), ("weeks", self.weeks, 0.0)):
            if not is_real(v) or not math.isfinite(v) or v <= lo:
                raise ScenarioError(f"{country}: {name} must be a positive number; got {v!r} "
                                    f"(e.g. amount_usd=100e9, weeks=4)", country=country)
        if self.amount_usd < BARE_AMOUNT_MIN_USD:   # Seller("japan", 100.0), tiny holdings
            raise ScenarioError(f"{country}: a sale of ${self.amount_usd:,.2f} is below the "
                                f"${BARE_AMOUNT_MIN_USD:,.0f} a sale must reach to be "
                                "simulated (amount_usd is in dollars: 100e9 is $100bn)",
                                country=country)
        if self.share is not None and not (is_real(self.share) and 0 < self.share <= 1):
            raise ScenarioError(f"{country}: share must be in (0, 1] (0.1 is 10% of its "
                                f"holdings); got {self.share!r}", country=country)
        if not is_real(self.start_weeks) or not self.start_weeks >= 0:
            raise ScenarioError(f"{country}: start_weeks must be >= 0; got {self.start_weeks!r}")
        for name in ("amount_usd", "weeks", "start_weeks", "share"):   # NumPy scalars as Python's
            object.__setattr__(self, name, plain(getattr(self, name)))
        for name, v in (("weeks", self.weeks), ("start_weeks", self.start_weeks)):
            if v > MAX_WEEKS:
                raise ScenarioError(f"{country}: {name} must be at most {MAX_WEEKS:g} (five "
                                    f"years); got {v:g}", country=country)

    @property
    def start_day(self) -> int:
        """First business day of selling (0-based)."""
        return week_days(self.start_weeks)

    @property
    def end_day(self) -> int:
        """Business day after the last day of selling (0-based, exclusive)."""
        return self.start_day + max(1, week_days(self.weeks))

    def label(self) -> str:
        """``"japan $100bn / 4w"``, ``"china $68bn / 8w after 2w"``.

        A sale that starts after two weeks sells from week 3 ("from week 2" read a week early).
        """
        start = f" after {self.start_weeks:g}w" if self.start_weeks else ""
        return f"{self.country} {sale_size(self.amount_usd)} / {self.weeks:g}w{start}"


#: A bare amount (no ``bn``/``tn``/``%``) below this many dollars is refused as a slip of units;
#: an amount in any unit below it is refused as no sale.
BARE_AMOUNT_MIN_USD = 1e6

_SELLER_RE = re.compile(
    r"^(?P<country>[a-z_]+):(?P<amount>[^:@]+)(?::(?P<weeks>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)w?)?"
    r"(?:@(?P<start>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)w?)?$")

#: An amount whose commas group thousands: ``1,500bn``, ``2,000,000,000``, ``1,130.5bn``.
_THOUSANDS = re.compile(r"\+?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?(?:e[+-]?[0-9]+)?"
                        r"(?:%|tn|bn|b|t)?")


def parse_amount(text: str, country: str, holdings: Mapping[str, float]) -> float:
    """Parse ``100e9``, ``100bn``, ``1.2tn``, ``$80bn`` or ``10%`` (of the country's holdings).

    A comma groups thousands only (``1,500bn``): ``1,5bn`` was read as $15bn, ten times a
    decimal comma's $1.5bn, without a word; it is refused.
    """
    bare = text.strip().lower().replace("$", "")
    if "," in bare and not _THOUSANDS.fullmatch(bare):
        raise ScenarioError(f"cannot read the amount {text!r} of {country}: a comma groups "
                            "thousands (1,500bn); write a decimal with a point (1.5bn)",
                            country=country)
    t = bare.replace(",", "").replace("_", "")
    mult = 1.0
    for suffix, m in (("%", None), ("tn", 1e12), ("bn", 1e9), ("b", 1e9), ("t", 1e12)):
        if t.endswith(suffix):
            t = t[: -len(suffix)]
            if m is None:
                held = holdings.get(country)
                if held is None:
                    raise ScenarioError(f"{country}: a percentage needs its holdings; none known")
                mult = held / 100.0
            else:
                mult = m
            break
    try:
        value = float(t) * mult
    except ValueError:
        raise ScenarioError(f"cannot read the amount {text!r} of {country}; write e.g. 100e9, "
                            "100bn, 1.2tn or 10%", country=country) from None
    if mult == 1.0 and 0 < value < BARE_AMOUNT_MIN_USD:
        # a bare number is dollars: japan:100:4w sold $100 and printed "japan $0bn", a 10-year
        # target of +0.0 bp, without a word
        # its cents when it has them: japan:0.5 read "is $0"
        said = f"{value:,.0f}" if value == round(value) else f"{value:,.2f}"
        raise ScenarioError(f"the amount {text!r} of {country} is ${said}: amounts are "
                            "dollars; write billions as e.g. 100e9 or 100bn, or a share of "
                            "its holdings (10%)", country=country)
    if 0 < value < BARE_AMOUNT_MIN_USD:
        # in any unit: japan:1e-300%:4w ran a sale of "$0m" without a word
        raise ScenarioError(f"the amount {text!r} of {country} is ${value:,.2f}, below the "
                            f"${BARE_AMOUNT_MIN_USD:,.0f} a sale must reach to be simulated",
                            country=country)
    return value


def parse_seller(text: str, holdings: Mapping[str, float] | None = None) -> Seller:
    """Parse ``COUNTRY:AMOUNT[:WEEKSw][@STARTw]``, e.g. ``japan:100e9:4w`` or ``china:10%:8w@2w``.

    Raises
    ------
    ScenarioError
        The text does not follow the pattern, or a part is invalid.
    """
    m = _SELLER_RE.match(text.strip().lower())
    if m is None:
        raise ScenarioError(f"cannot parse the seller {text!r}; write COUNTRY:AMOUNT[:WEEKSw]"
                            "[@STARTw], e.g. japan:100e9:4w or china:10%:8w@2w")
    country = m["country"]
    if country not in COUNTRIES:
        raise ScenarioError(f"unknown country {country!r} in {text!r}; choose one of: "
                            f"{', '.join(COUNTRIES)}", country=country)
    held = holdings or FALLBACK_HOLDINGS_USD
    amount = parse_amount(m["amount"], country, held)
    weeks = float(m["weeks"]) if m["weeks"] else 4.0
    start = float(m["start"]) if m["start"] else 0.0
    share = amount / held[country] if m["amount"].strip().endswith("%") else None
    return Seller(country, amount, weeks, start, share)


@dataclass(frozen=True)
class SelloffScenario:
    """A foreign sell-off of Treasuries: the sellers and the holdings they sell from.

    Parameters
    ----------
    sellers : tuple of Seller
        Empty only for the no-sale baseline (:meth:`baseline`).
    holdings_usd : dict, default :data:`FALLBACK_HOLDINGS_USD`
        Holdings per country (USD); a seller may not sell more than it holds.
    name : str
    holdings_source : str
        Where ``holdings_usd`` come from.
    """

    sellers: tuple[Seller, ...]
    holdings_usd: Mapping[str, float] | None = None
    name: str = "custom"
    holdings_source: str = FALLBACK_LABEL

    def __post_init__(self) -> None:
        sellers = tuple(self.sellers)
        if any(not isinstance(s, Seller) for s in sellers):
            raise ScenarioError("sellers must be Seller objects (see parse_seller)")
        object.__setattr__(self, "sellers", sellers)
        held = dict(FALLBACK_HOLDINGS_USD)
        held.update(self.holdings_usd or {})
        object.__setattr__(self, "holdings_usd", held)
        if self.holdings_source != FALLBACK_LABEL or held != FALLBACK_HOLDINGS_USD:
            # on the fallback the check waits for the market: run on a store, the sale is
            # checked against the store's holdings (japan:1150bn was refused against the
            # spring-2025 $1,130bn where the CLI ran it on December 2025's $1,185bn)
            self.check_holdings()

    def check_holdings(self) -> None:
        """Refuse a country selling more than :attr:`holdings_usd` says it holds.

        Raises
        ------
        ScenarioError
        """
        held = self.holdings_usd or {}
        total: dict[str, float] = {}
        for s in self.sellers:
            total[s.country] = total.get(s.country, 0.0) + s.amount_usd
        for country, amount in total.items():
            # to the dollar: a sale over the holdings by cents (a share of holdings computed
            # in floating point) was refused with two equal figures ("$1,130.000000000bn but
            # holds only $1,130.000000000bn"); one whole dollar over is told in the ninth
            # decimal of billions
            if round(amount) > round(held[country]):
                # as many decimals as tell the two apart: 40m over $1,130bn read "would sell
                # $1,130.0bn but holds only $1,130.0bn"
                d = next((d for d in range(1, 9)
                          if f"{amount / 1e9:,.{d}f}" != f"{held[country] / 1e9:,.{d}f}"), 9)
                raise ScenarioError(
                    f"{country} would sell ${amount / 1e9:,.{d}f}bn but holds only "
                    f"${held[country] / 1e9:,.{d}f}bn, per {self.holdings_source}; lower "
                    "the amount", country=country)

    @classmethod
    def baseline(cls) -> SelloffScenario:
        """The no-sale scenario (market noise only)."""
        return cls((), name="baseline")

    @property
    def total_usd(self) -> float:
        """Total USD sold."""
        return sum(s.amount_usd for s in self.sellers)

    @property
    def sale_end_day(self) -> int:
        """Business day after the last day of selling (0 for the baseline)."""
        return max((s.end_day for s in self.sellers), default=0)

    def sales(self, horizon: int) -> np.ndarray:
        """USD sold per business day (array of length >= ``horizon``)."""
        if not self.sellers:
            return np.zeros(horizon)
        parts = [sales_schedule(s.amount_usd, s.weeks, horizon, s.start_day) for s in self.sellers]
        out = np.zeros(max(len(p) for p in parts))
        for p in parts:
            out[: len(p)] += p
        return out

    def only(self, country: str) -> SelloffScenario:
        """The same scenario with only ``country``'s sales (e.g. Japan alone)."""
        # read as a Seller reads it: only("JAPAN") said Japan was no seller of japan-10pct
        country = str(country).strip().lower()
        kept = tuple(s for s in self.sellers if s.country == country)
        if not kept:
            raise ScenarioError(f"{country!r} is not a seller of {self.name!r}")
        return replace(self, sellers=kept, name=f"{self.name} ({country} alone)")

    def on_holdings(self, holdings: Mapping[str, float], source: str) -> SelloffScenario:
        """The same sales sized on ``holdings`` (from ``source``).

        Each sale given as a share of a country's holdings (``10%``, the presets) is that share
        of these; a dollar amount is kept.

        Raises
        ------
        ScenarioError
            A country would sell more than these holdings.
        """
        held = dict(FALLBACK_HOLDINGS_USD)
        held.update(holdings)
        sellers = tuple(s if s.share is None else replace(s, amount_usd=s.share * held[s.country])
                        for s in self.sellers)
        return replace(self, sellers=sellers, holdings_usd=held, holdings_source=source)

    def label(self) -> str:
        """``"japan-10pct: japan $113bn / 8w"``."""
        return f"{self.name}: " + (", ".join(s.label() for s in self.sellers) or "no sales")

    def simulate(self, market: Any = None, **options: Any) -> ScenarioResult:
        """Run the Monte Carlo (see :func:`spillwatch.scenarios.run.simulate`).

        Parameters
        ----------
        market : FittedMarket, DataFrame, source or None
            A fitted model; a changes panel (fitted here, cached); a source (``"demo"``, a data
            folder, a store); ``None`` reads the default store. A scenario sized on the
            fallback holdings run on a source is sized on the source's holdings (TIC), as the
            CLI sizes it: ``china:10%`` is 10% of what the store says China holds.
        **options
            ``paths``, ``seed``, ``horizon``, ``portfolio``, ``progress``, ... of ``simulate``.
        """
        if not isinstance(market, FittedMarket):
            if not isinstance(market, pd.DataFrame):
                market, holdings, source = market_inputs(market)
                if self.holdings_source == FALLBACK_LABEL and source != FALLBACK_LABEL:
                    return self.on_holdings(holdings, source).simulate(market, **options)
            simulated = bool(market.attrs.get("simulated", False))
            market = fit_market(market)
            market.info["simulated"] = simulated
        return simulate(self, market, **options)


def _pct(country: str, share: float, holdings: Mapping[str, float], weeks: float,
         start_weeks: float = 0.0) -> Seller:
    return Seller(country, share * holdings[country], weeks, start_weeks, share)


#: Preset name -> function (holdings -> sellers); see the module docstring.
PRESETS: dict[str, Any] = {
    "japan-intervention": lambda h: (Seller("japan", 80e9, 3.0),),
    "japan-10pct": lambda h: (_pct("japan", 0.10, h, 8.0),),
    "japan-china-coordinated": lambda h: (_pct("japan", 0.10, h, 8.0),
                                          _pct("china", 0.10, h, 8.0, 2.0)),
    "full-dump": lambda h: (_pct("japan", 0.5, h, 26.0), _pct("china", 0.5, h, 26.0, 1.0)),
}


def preset(name: str, holdings_usd: Mapping[str, float] | None = None,
           holdings_source: str | None = None) -> SelloffScenario:
    """Return the preset scenario ``name`` sized on ``holdings_usd`` (default: fallback).

    Raises
    ------
    ScenarioError
        Unknown preset (the message lists the valid ones).
    """
    if name not in PRESETS:
        raise ScenarioError(f"unknown preset {name!r}; choose one of: {', '.join(PRESETS)}")
    held = dict(FALLBACK_HOLDINGS_USD)
    held.update(holdings_usd or {})
    label = holdings_source or (FALLBACK_LABEL if not holdings_usd else "given")
    return SelloffScenario(PRESETS[name](held), held, name=name, holdings_source=label)


def selloff(seller: str | Sequence[str] | Seller | Sequence[Seller] = "japan", *,
            amount_usd: float | None = None, weeks: float = 4.0, start_weeks: float = 0.0,
            holdings_usd: Mapping[str, float] | None = None) -> SelloffScenario:
    """Build a sell-off scenario (the front door).

    Parameters
    ----------
    seller : str, Seller or a sequence of them
        A country (``"japan"``, with ``amount_usd``), a seller string (``"japan:100e9:4w"``) or
        several.
    amount_usd : float, optional
        Amount of a single country given by name.
    weeks, start_weeks : float
        Pace and start of a single country given by name.
    holdings_usd : dict, optional
        Holdings per country; default the fallbacks, and then a share (``"china:10%:8w"``) is
        sized anew on the holdings of the store the scenario is run on (:meth:`simulate`).

    Returns
    -------
    SelloffScenario

    Examples
    --------
    >>> import spillwatch as sw
    >>> sc = sw.scenario.selloff(seller="japan", amount_usd=100e9, weeks=4)
    >>> sc.label()
    'custom: japan $100bn / 4w'
    """
    held = dict(FALLBACK_HOLDINGS_USD)
    held.update(holdings_usd or {})
    if not isinstance(seller, str | Seller | list | tuple):   # None or 5: a raw TypeError
        raise ScenarioError(f"seller must be a country, a seller string such as "
                            f"'japan:100e9:4w', a Seller or a list of them; got {seller!r}")
    items: list[str | Seller] = ([seller] if isinstance(seller, (str, Seller))
                                 else list(seller))
    if any(not isinstance(i, str | Seller) for i in items):
        raise ScenarioError(f"each seller is a country, a seller string or a Seller; got "
                            f"{seller!r}")
    out: list[Seller] = []
    for item in items:
        if isinstance(item, Seller):
            out.append(item)
        elif ":" in item:
            out.append(parse_seller(item, held))
        else:
            if amount_usd is None:
                raise ScenarioError(f"give amount_usd for {item!r}, or write it as "
                                    f"'{item}:100e9:4w'")
            out.append(Seller(item, amount_usd, weeks, start_weeks))
    if not out:
        raise ScenarioError("a scenario needs at least one seller, e.g. japan:100e9:4w")
    return SelloffScenario(tuple(out), held,
                           holdings_source="given" if holdings_usd else FALLBACK_LABEL)


@dataclass(frozen=True, eq=False, repr=False)
class PresetMatch(ResultBase):
    """The preset closest to an observed decline in foreign holdings (:func:`closest_preset`).

    Attributes
    ----------
    closest : str
        Name of the closest preset.
    observed_usd : float
        USD sold in the observed window (a positive number; 0 when holdings rose).
    weeks : float
    frame : DataFrame
        Per preset: USD it sells in its first ``weeks`` weeks, the ratio to the observed
        amount, and the distance ``|log(ratio)|`` the match minimises.
    """

    closest: str
    observed_usd: float
    weeks: float
    frame: pd.DataFrame
    title: str = "closest preset to the observed decline"

    def table(self) -> pd.DataFrame:
        return self.frame

    def _summary_lines(self) -> list[str]:
        return [f"observed: ${self.observed_usd / 1e9:,.1f}bn sold in {self.weeks:g} weeks; "
                f"closest preset: {self.closest}", self.frame.round(3).to_string()]


def closest_preset(change_usd_bn: float, weeks: float,
                   holdings_usd: Mapping[str, float] | None = None) -> PresetMatch:
    """Name the preset whose first ``weeks`` weeks of selling best match an observed decline.

    Parameters
    ----------
    change_usd_bn : float
        Observed change of foreign official custody holdings over the window, in $bn (negative
        = selling), e.g. the change of the Fed's H.4.1 custody series (``custody``) over the
        last four Wednesdays.
    weeks : float
        Length of the observed window in weeks.
    holdings_usd : dict, optional
        Holdings the presets are sized on (default the fallbacks).

    Returns
    -------
    PresetMatch
        ``closest`` is the preset minimising ``|log(preset amount / observed amount)|`` over the
        same number of weeks; when holdings rose (nothing sold) it is ``"none"``.

    Raises
    ------
    ScenarioError
        A non-finite change or a non-positive number of weeks.
    """
    if not is_real(change_usd_bn) or not math.isfinite(change_usd_bn):
        raise ScenarioError(f"change_usd_bn must be a finite number of $bn; got "
                            f"{change_usd_bn!r}")
    if not is_real(weeks) or not math.isfinite(weeks) or weeks <= 0:
        raise ScenarioError(f"weeks must be a positive number; got {weeks!r}")
    sold = max(0.0, -float(change_usd_bn)) * 1e9
    days = max(1, week_days(weeks))
    rows = []
    for name in PRESETS:
        sc = preset(name, holdings_usd)
        within = float(sc.sales(days)[:days].sum())
        ratio = within / sold if sold else math.inf
        rows.append({"preset": name, "sold_in_window_usd": within, "ratio_to_observed": ratio,
                     "distance": abs(math.log(ratio)) if sold and within else math.inf})
    frame = pd.DataFrame(rows).set_index("preset")
    closest = str(frame["distance"].idxmin()) if sold else "none"
    return PresetMatch(closest, sold, float(weeks), frame)
