r"""A trader's book: positions in the simulated assets, its P&L, VaR and expected shortfall.

Positions are USD notionals (``kind="notional"``) or weights of ``value_usd``
(``kind="weights"``). A price asset (dollar index, gold, S&P 500, BTC, ETH, TRUMP) returns
:math:`e^{x/100}-1` for a simulated log change :math:`x` in percent. A currency quoted per US
dollar (USD/JPY, USD/CNY: :func:`per_usd`) is a forward of that notional in dollars against the
currency: its profit, made in the currency, is worth :math:`1-e^{-x/100}` of the notional in
dollars (the yen a long USD/JPY earns are converted at the new rate; pricing it as
:math:`e^{x/100}-1` overstated a short position's 99% loss by 11% over 60 days). The forward
is struck on the scenario's first day at covered interest parity,
:math:`F/S_0 = (1 + i^{ccy}\tau)/(1 + i^{USD}\tau)` for short rates :math:`i` (simple
money-market interest over the :math:`\tau` years held; Borio, McCauley, McGuire & Sushko
2016, "Covered interest parity lost", *BIS Quarterly Review*, September, section 1), so
a long position returns :math:`1 - (F/S_0)\,e^{-x/100}`: its forward points are the carry of
the rate differential (USD/JPY's 2.9–5.6 pp a year in 2023–25 put +0.81% in a long position
over 60 business days as of 2025-04-11, +1.24% as of 2023-06-30), as a Treasury's coupon
is. The rates are given per asset (:func:`forward_factor`; the service layer reads the
3-month dollar and yen rates the foreign-demand gauge uses, fresh on the first day); without
them the points are 0 and the result says so. The 3-month rates are held over the whole
horizon with simple interest (no term structure of rates: past a few months an
approximation). The cross-currency basis (negative for the yen
since 2014, a further gain to a long-dollar forward) is not in the data. A Treasury position is
a par bond of that tenor bought on the scenario's first day (semi-annual coupon :math:`c` equal
to the tenor's yield on that day, so priced at par; :data:`PAR_COUPON`, 4.25%, only where the
market carries no starting yield), repriced in full at its new yield :math:`y = c + \Delta
y/10^4` for a yield change :math:`\Delta y` in bp (a 30-year bond at 1.19% has a duration of
25.9, at 4.25% of 16.8: one fixed coupon understated a low-yield book's loss by 30%):
:math:`P(y; T) = \frac{c}{y}\left(1-(1+y/2)^{-2T}\right) + (1+y/2)^{-2T}`. Held :math:`\tau`
years (a scenario's horizon, :func:`held_years`), its total return is :math:`P(y; T-\tau) +
c\,\tau - 1`: the bond, nearer maturity, repriced, plus the coupon accrued (without it a 10-year
held 60 business days through +74 bp lost 5.8% against 4.8%) (e.g. Fabozzi, *Bond Markets,
Analysis and Strategies*, ch. 2 and 4). The duration approximation :math:`-D\,\Delta y/10^4`
(:data:`DURATIONS`) ignores convexity: a +1,000 bp move lost 169% of a 30-year bond (full
repricing: 69%). Only prices and Treasury tenors can be held: an own series imported without
``--positive`` changes by differences in its own unit, which are no return
(:func:`check_priceable`).

Risk measures (Artzner et al. 1999; Acerbi & Tasche 2002): for P&L :math:`L`,
:math:`\mathrm{VaR}_\alpha = -q_{1-\alpha}(L)` and
:math:`\mathrm{ES}_\alpha = -E[L \mid L \le q_{1-\alpha}(L)]`.

File formats
------------
TOML: a ``[positions]`` table (asset = number), optional top-level ``kind`` and ``value_usd``; or
a flat table of asset = number. CSV: a header ``asset,weight`` or ``asset,notional_usd``.
"""

from __future__ import annotations

import csv
import io
import math
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from spillwatch import universe
from spillwatch._results import ResultBase, jsonable
from spillwatch._validation import is_real, plain
from spillwatch.exceptions import ScenarioError

PAR_COUPON = 0.0425
#: A number as a book's CSV cell may write it (ASCII digits, a sign, a point, an exponent).
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_TENORS = {"ust2y": 2.0, "ust5y": 5.0, "ust10y": 10.0, "ust30y": 30.0}


def par_duration(years: Any, y: Any = PAR_COUPON) -> Any:
    """Modified duration of a par bond with semi-annual coupon ``y`` (module formula).

    Arrays broadcast; ``years`` in years (its limit ``years`` as ``y`` goes to 0).
    """
    t = np.asarray(years, dtype=np.float64)
    c = np.asarray(y, dtype=np.float64)
    small = np.abs(c) < 1e-9
    out = np.where(small, t, (1.0 - (1.0 + c / 2.0) ** (-2.0 * t)) / np.where(small, 1.0, c))
    return float(out) if out.ndim == 0 else out


#: Modified duration of the par bond behind each Treasury position at :data:`PAR_COUPON`.
DURATIONS: dict[str, float] = {k: par_duration(t) for k, t in _TENORS.items()}
#: Maturity (years) of the par bond behind each Treasury position.
TENOR_YEARS: dict[str, float] = dict(_TENORS)


def bond_return(dy_bp: np.ndarray, years: np.ndarray,
                coupon: float | np.ndarray = PAR_COUPON, held: float = 0.0) -> np.ndarray:
    r"""Total return of a par bond of ``years`` held ``held`` years, its yield moved ``dy_bp``.

    Module formula, repriced in full: the bond, ``years - held`` from maturity at the end, at
    the new yield, plus the coupon accrued over ``held`` (:math:`c\,\tau`; simple interest,
    no reinvestment). 0 where ``years`` is 0. ``coupon`` (a fraction: 0.0425) broadcasts like
    ``years``: the starting yield of each tenor. The new yield is floored at -150% (where the
    discount factor stays finite).
    """
    dy = np.asarray(dy_bp, dtype=np.float64)
    t = np.maximum(np.asarray(years, dtype=np.float64) - held, 0.0)
    coupon = np.asarray(coupon, dtype=np.float64)
    y = np.maximum(coupon + dy / 1e4, -1.5)
    disc = (1.0 + y / 2.0) ** (-2.0 * t)
    small = np.abs(y) < 1e-9
    annuity = np.where(small, coupon * t, coupon / np.where(small, 1.0, y) * (1.0 - disc))
    # the coupon accrues until maturity; the principal repaid then earns nothing more (a
    # 2-year held 2.3 years earned 2.3 years of coupon)
    years_ = np.asarray(years, dtype=np.float64)
    out = annuity + disc - 1.0 + coupon * np.minimum(held, years_)
    return np.where(years_ > 0, out, 0.0)


def held_years(business_days: float) -> float:
    """Years a position is held over ``business_days``.

    Five business days a week, in calendar time (as a Treasury coupon accrues).
    """
    return float(business_days) * 7.0 / 5.0 / 365.25


def forward_factor(usd_pct: float, ccy_pct: float, held: float) -> float:
    r"""A forward's rate over spot, :math:`F/S_0`, for a currency quoted per dollar.

    Covered interest parity with simple money-market interest over ``held`` years (module
    docstring): :math:`(1 + i^{ccy}\tau)/(1 + i^{USD}\tau)`, the rates in percent a year.
    Below 1 when the dollar's rate is the higher: a long-dollar forward earns the difference.

    >>> round(forward_factor(4.0, 0.5, 0.25), 6)
    0.991337
    """
    return (1.0 + float(ccy_pct) / 100.0 * held) / (1.0 + float(usd_pct) / 100.0 * held)


def forward_factors(assets: Sequence[str], rates_pct: Mapping[str, Mapping[str, Any]],
                    held: float) -> np.ndarray | None:
    """Each asset's forward over spot held ``held`` years (1 where no rates; module docstring).

    ``rates_pct`` maps a currency quoted per dollar (``usdjpy``) to its short rates,
    ``{"usd_pct": 3.96, "ccy_pct": 0.48, ...}``; None when it names none of ``assets``.
    """
    fx = per_usd(assets)
    out = np.ones(len(assets))
    for i, a in enumerate(assets):
        r = rates_pct.get(a)
        if fx[i] and r is not None:
            out[i] = forward_factor(float(r["usd_pct"]), float(r["ccy_pct"]), held)
    return out if (out != 1.0).any() else None


def start_coupons(assets: Sequence[str], start_yields_pct: Mapping[str, float]) -> np.ndarray:
    """Each asset's par coupon (a fraction): its starting yield, else :data:`PAR_COUPON`.

    Non-Treasury assets get :data:`PAR_COUPON` too (unused: they are priced by their change).
    A negative starting yield is taken as 0.
    """
    return np.array([max(float(start_yields_pct[a]), 0.0) / 100.0
                     if a in TENOR_YEARS and a in start_yields_pct
                     and math.isfinite(float(start_yields_pct[a])) else PAR_COUPON
                     for a in assets])


def per_usd(assets: Sequence[str]) -> np.ndarray:
    """Which ``assets`` are currencies quoted per US dollar (module docstring).

    A watch-list exchange rate whose key starts with ``usd`` (``usdjpy``, ``usdcny``).
    """
    return np.array([a in universe.ASSETS and universe.ASSETS[a].kind == "fx"
                     and a.startswith("usd") for a in assets], dtype=bool)


def asset_returns(x: np.ndarray, log_assets: np.ndarray, per_usd: np.ndarray,
                  years: np.ndarray, coupons: np.ndarray, held: float = 0.0,
                  forward: np.ndarray | None = None) -> np.ndarray:
    """Each asset's return on its notional for changes ``x`` (module docstring).

    ``x`` is ``(k,)`` or ``(k, n)`` (one row per asset); the masks and ``years`` are ``(k,)``,
    ``coupons`` (fractions) ``(k,)`` or shaped like ``x`` (a coupon per day: a book over
    history buys each day's bond at the day before's yield). ``held``: years the positions are
    held (a Treasury's coupon and roll toward maturity, :func:`bond_return`). ``forward``:
    ``(k,)`` forward over spot of each currency quoted per dollar (:func:`forward_factor`;
    default 1, no forward points). Log changes beyond ±1,000% are clipped (a histogram's range
    ends).
    """
    t = np.asarray(x, dtype=np.float64)
    col = (slice(None),) + (None,) * (t.ndim - 1)
    c = np.asarray(coupons, dtype=np.float64)
    lx = np.clip(t, -1000.0, 1000.0) / 100.0
    fx_ret = -np.expm1(-lx)
    if forward is not None:       # 1 - (F/S0) e^{-x}: the points on the spot's own return
        fwd = np.asarray(forward, dtype=np.float64)[col]
        fx_ret = fx_ret + (1.0 - fwd) * np.exp(-lx)
    price = np.where(per_usd[col], fx_ret, np.expm1(lx))
    return np.where(log_assets[col], price,
                    bond_return(t, years[col], c if c.shape == t.shape else c[col], held))


def check_priceable(positions: Mapping[str, float], assets: Sequence[str],
                    log_change: Sequence[bool] | np.ndarray, *,
                    where: Callable[[str], str] | None = None) -> None:
    """Refuse a position in an asset whose change is no return (see the module docstring).

    Raises
    ------
    ScenarioError
        Names the position and how to import the series as a price.
    """
    for key, value in positions.items():
        if not value or key not in assets:
            continue
        i = list(assets).index(key)
        if log_change[i] or key in TENOR_YEARS:
            continue
        # (COLUMN, not the id's symbol: "--map FUNDNP=csv:FUNDNP" named no column of a file
        # whose prices were in "NAV")
        raise ScenarioError(
            f"{where(key) if where else ''}the book's position in {key!r} cannot be priced: "
            "the series changes by "
            "differences in its own unit, not by returns (a price, a Treasury tenor). For a "
            f"price, import it as one: spillwatch import FILE --map COLUMN={key} --positive "
            "(COLUMN: the file's column of its prices); else leave it out of the book",
            asset=key)
ALIASES: dict[str, str] = {
    "ust2y_future": "ust2y", "ust5y_future": "ust5y", "ust10y_future": "ust10y",
    "ust30y_future": "ust30y", "usd": "usd_broad", "dollar": "usd_broad",
    "sp500": "spx", "spy": "spx", "xau": "gold", "bitcoin": "btc", "ether": "eth",
}
#: Names that look like a simulated asset and are not it: refused with what to write instead.
#: ``dxy`` was read as the Fed's broad dollar without a word.
NOT_ALIASES: dict[str, str] = {
    "dxy": "ICE's dollar index (DXY: six currencies, the euro 58% of it) is not in the data; "
           "the Fed's nominal broad dollar index (26 currencies) is usd_broad: write usd_broad "
           "for it, or import DXY as a series of your own (spillwatch import FILE --map "
           "DXY=csv:DXY --positive) and hold csv:DXY",
}


#: Largest position or book value (USD): above it the P&L leaves the float32 histogram's range
#: (the whole US Treasury market is about 3e13).
MAX_NOTIONAL_USD = 1e15
#: Largest sum of absolute weights (10x leverage): above it, weights are dollar amounts by
#: mistake (200000 under 'asset,weight' made a $1 trillion book without a word).
MAX_GROSS_WEIGHT = 10.0
#: Smallest non-zero position (USD).
MIN_NOTIONAL_USD = 1e-2


@dataclass(frozen=True)
class Portfolio:
    """Positions in simulated assets.

    Parameters
    ----------
    positions : dict
        Asset key -> weight or USD notional (negative = short).
    kind : {"weights", "notional"}
    value_usd : float
        Portfolio value that weights apply to.
    name : str
    """

    positions: Mapping[str, float]
    kind: Literal["weights", "notional"] = "weights"
    value_usd: float = 1_000_000.0
    name: str = "portfolio"
    #: The file the book was read from, and the line of each position in it (by the name as
    #: written and by asset key), for errors that point at the line.
    source: str | None = field(default=None, compare=False, repr=False)
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def where(self, asset: str | None = None) -> str:
        """``"book.csv line 4: "`` (``"book.csv: "`` without a line; ``""`` without a file)."""
        if self.source is None:
            return ""
        line = self.lines.get(asset) if asset is not None else None
        return f"{self.source} line {line}: " if line else f"{self.source}: "

    def __post_init__(self) -> None:
        if self.kind not in ("weights", "notional"):
            raise ScenarioError(f"{self.where('kind')}portfolio kind must be 'weights' or "
                                f"'notional'; got {self.kind!r}")
        if not is_real(self.value_usd) or not 0 < self.value_usd <= MAX_NOTIONAL_USD:
            raise ScenarioError(f"{self.where('value_usd')}value_usd must be a positive number "
                                f"up to {MAX_NOTIONAL_USD:.0e} USD; got {self.value_usd!r}")
        object.__setattr__(self, "value_usd", plain(self.value_usd))
        clean: dict[str, float] = {}
        named: dict[str, str] = {}
        for raw, v in dict(self.positions).items():
            name = str(raw).strip()
            # a series of the user's keeps its id ("csv:MYFUND"); a series that feeds a
            # watch-list asset is that asset ("binance:BTCUSDT" is btc); keys are lower case
            if ":" in name:
                fed = universe.asset_of_series(name)
                key = fed.key if fed is not None else name
            else:
                key = ALIASES.get(name.lower(), name.lower())
                if key in NOT_ALIASES:
                    raise ScenarioError(f"{self.where(name)}{key!r}: {NOT_ALIASES[key]}",
                                        asset=key)
            if key in named:   # 'btc' and 'BTC' (or 'bitcoin'): one asset named twice
                raise ScenarioError(f"{self.where(name)}the portfolio names {key!r} twice "
                                    f"({named[key]!r} and {name!r}); give each asset once "
                                    "(adding the two positions silently could double a "
                                    "position by mistake)", asset=key)
            named[key] = name
            try:
                # TOML `btc = true` is not a weight, nor is `btc = "1e6"` (text: a typo or a
                # column pasted from elsewhere)
                if isinstance(v, (bool, str, bytes)):
                    raise TypeError
                num = float(v)
            except (TypeError, ValueError):
                raise ScenarioError(f"{self.where(name)}the position in {raw!r} is not a "
                                    f"number: {v!r}; write e.g. btc = 0.5", asset=key) from None
            if not math.isfinite(num):
                raise ScenarioError(f"{self.where(name)}the position in {raw!r} is not finite: "
                                    f"{v!r}", asset=key)
            clean[key] = num
        if not clean or all(v == 0 for v in clean.values()):
            raise ScenarioError(f"{self.where()}the portfolio is empty: give at least one "
                                "non-zero position, e.g. {'btc': 0.5, 'ust10y': 0.5}")
        mult = self.value_usd if self.kind == "weights" else 1.0
        for k, v in clean.items():
            usd = abs(v) * mult
            if v != 0 and not MIN_NOTIONAL_USD <= usd <= MAX_NOTIONAL_USD:
                raise ScenarioError(
                    f"{self.where(k)}the position in {k!r} is {usd:.3g} USD; a position is "
                    f"between {MIN_NOTIONAL_USD:g} and {MAX_NOTIONAL_USD:.0e} USD (or zero)",
                    asset=k)
        gross = sum(abs(v) for v in clean.values())
        if self.kind == "weights" and gross > MAX_GROSS_WEIGHT:
            raise ScenarioError(
                f"{self.where()}the weights add up to {gross:,.6g} "
                f"(a ${gross * self.value_usd:,.6g} book on value_usd ${self.value_usd:,.0f}): "
                "are they dollar amounts? Give those as notionals (CSV header "
                "'asset,notional_usd'; TOML kind = \"notional\"), or "
                f"weights whose absolute values add up to at most {MAX_GROSS_WEIGHT:g}")
        object.__setattr__(self, "positions", clean)
        lines = dict(self.lines)
        for key, name in named.items():       # the line of 'BTC' is btc's too
            if name in lines:
                lines.setdefault(key, lines[name])
        object.__setattr__(self, "lines", lines)

    @classmethod
    def coerce(cls, obj: Any, assets: Sequence[str] | None = None) -> Portfolio:
        """A Portfolio from a Portfolio, a dict of weights or a file path; checked on ``assets``."""
        if isinstance(obj, Portfolio):
            port = obj
        elif isinstance(obj, Mapping):
            port = cls(obj)
        elif isinstance(obj, (str, Path)):
            port = cls.from_file(obj)
        else:
            raise ScenarioError(f"a portfolio is a dict, a Portfolio or a TOML/CSV path; got "
                                f"{type(obj).__name__}")
        if assets is not None:
            # a zero line of a known asset the model does not simulate (TRUMP before 2025)
            # holds nothing: it was "unknown" as of 2024-07-06 while the book without it ran
            # (a name of no known asset is still refused, zero or not)
            unknown = [a for a, v in port.positions.items() if a not in assets
                       and (v or (a not in universe.ASSETS and ":" not in a))]
            if unknown:
                raise ScenarioError(f"{port.where(unknown[0])}unknown asset(s) in the "
                                    f"portfolio: {', '.join(unknown)}; choose among the "
                                    f"simulated: {', '.join(assets)}", asset=unknown[0],
                                    path=port.source)
        return port

    @classmethod
    def from_file(cls, path: str | Path) -> Portfolio:
        """Read a TOML or CSV portfolio file (see the module docstring)."""
        p = Path(path)
        if not p.exists():
            raise ScenarioError(f"no portfolio file at {p}", path=str(p))
        if not p.is_file():
            raise ScenarioError(f"{p} is not a file", path=str(p))
        try:
            text = p.read_text(encoding="utf-8-sig")      # Excel's "CSV UTF-8" starts so
        except UnicodeDecodeError as exc:
            line = p.read_bytes()[:exc.start].count(b"\n") + 1
            raise ScenarioError(f"{p}:{line}: not UTF-8 text (byte {exc.object[exc.start]:#04x}); "
                                "save the file as UTF-8", path=str(p)) from None
        except OSError as exc:
            raise ScenarioError(f"{p}: cannot be read ({exc.strerror or exc})",
                                path=str(p)) from None
        if p.suffix.lower() == ".toml":
            try:
                doc = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                raise ScenarioError(f"{p} is not valid TOML: {exc}", path=str(p)) from None
            tables = [k for k, v in doc.items() if isinstance(v, dict) and k != "positions"]
            if tables:       # "[other]" read as "positions both in [positions] and at the top"
                raise ScenarioError(f"{p}: a book has one table, [positions]; got "
                                    f"[{'], ['.join(tables)}] (or a dotted key such as btc.x)",
                                    path=str(p))
            top = {k: v for k, v in doc.items() if k not in ("kind", "value_usd", "name",
                                                                 "positions")}
            if "positions" in doc and top:
                raise ScenarioError(f"{p}: positions both in [positions] and at the top level "
                                    f"({', '.join(top)}); put them in one place", path=str(p))
            pos = doc.get("positions", top)
            if not isinstance(pos, dict):
                raise ScenarioError(f"{p}: [positions] must be a table of asset = number",
                                    path=str(p))
            at = _toml_lines(text, [*pos, "kind", "value_usd"])
            kind = doc.get("kind", "weights")
            if kind == "notional" and "value_usd" in doc:
                raise ScenarioError(
                    f"{p} line {at.get('value_usd', 1)}: value_usd scales weights; with kind = "
                    "\"notional\" each position is already in dollars, so value_usd would be "
                    "ignored: remove it, or give weights (kind = \"weights\")", path=str(p))
            return cls(pos, kind=kind, value_usd=doc.get("value_usd", 1_000_000.0),
                       name=doc.get("name", p.stem), source=str(p), lines=at)
        if p.suffix.lower() == ".csv":
            rows = list(csv.reader(io.StringIO(text, newline="")))
            if not rows or len(rows[0]) < 2:
                sep = next((f" (its first line is separated by {c!r}: a book is "
                            "comma-separated)" for c in (";", "\t", "|")
                            if rows and rows[0] and c in rows[0][0]), "")
                raise ScenarioError(f"{p}: expected a header 'asset,weight' or "
                                    f"'asset,notional_usd'{sep}", path=str(p))
            head = [h.strip().lower() for h in rows[0]]
            if len(head) != 2 or head[0] != "asset" or head[1] not in ("weight", "notional_usd"):
                raise ScenarioError(f"{p}: the header must be 'asset,weight' or "
                                    f"'asset,notional_usd'; got {','.join(rows[0])}", path=str(p))
            pos = {}
            lines: dict[str, int] = {}
            for n, row in enumerate(rows[1:], start=2):
                if not row or not "".join(row).strip():
                    continue
                if len(row) != 2:
                    raise ScenarioError(f"{p} line {n}: expected asset,value (two cells); got "
                                        f"{len(row)}: {','.join(row)}", path=str(p))
                if row[0].strip() in pos:
                    raise ScenarioError(f"{p} line {n}: {row[0].strip()!r} is listed twice; "
                                        "give each asset once", path=str(p))
                cell = row[1].strip()
                # a plain decimal number only: float() took "1_0" as 10 (a $10m book without a
                # word) and full-width digits
                num = float(cell) if _NUMBER.fullmatch(cell) else math.nan
                if not math.isfinite(num):
                    raise ScenarioError(f"{p} line {n}: the {head[1]} of {row[0].strip()!r} is "
                                        f"{cell!r}, not a finite number", path=str(p))
                pos[row[0].strip()] = num
                lines[row[0].strip()] = n
            kind = "weights" if head[1] == "weight" else "notional"
            return cls(pos, kind=kind, name=p.stem, source=str(p),  # type: ignore[arg-type]
                       lines=lines)
        raise ScenarioError(f"portfolio files are .toml or .csv; got {p.name}", path=str(p))

    @property
    def notional_usd(self) -> dict[str, float]:
        """USD notional per asset."""
        mult = self.value_usd if self.kind == "weights" else 1.0
        return {k: v * mult for k, v in self.positions.items()}

    @property
    def gross_usd(self) -> float:
        """Sum of the absolute USD notionals (longs and shorts alike)."""
        return float(sum(abs(v) for v in self.notional_usd.values()))

    def vector(self, assets: Sequence[str]) -> np.ndarray:
        """Notionals ordered like ``assets`` (zeros elsewhere)."""
        n = self.notional_usd
        return np.array([n.get(a, 0.0) for a in assets])


def _toml_lines(text: str, keys: Sequence[str]) -> dict[str, int]:
    """The line of each key's ``key = value`` in a TOML text (its first; bare or quoted)."""
    out: dict[str, int] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if "=" not in line:
            continue
        head = line.split("=", 1)[0].strip().strip("\"'")
        if head in keys and head not in out:
            out[head] = n
    return out


def pnl(terminal: np.ndarray, weights: np.ndarray, log_assets: np.ndarray,
        years: np.ndarray, coupons: np.ndarray | None = None,
        per_usd: np.ndarray | None = None, held: float = 0.0,
        forward: np.ndarray | None = None) -> np.ndarray:
    """Portfolio P&L from terminal changes ``(k, n)`` (:func:`asset_returns`).

    ``coupons``: each asset's starting yield as a fraction (default :data:`PAR_COUPON`);
    ``per_usd``: which assets are currencies quoted per dollar (default none); ``held``: years
    to the terminal day (:func:`held_years` of the horizon); ``forward``: each currency's
    forward over spot for that time (default 1: no forward points).
    """
    c = np.full(len(years), PAR_COUPON) if coupons is None else np.asarray(coupons, float)
    fx = np.zeros(len(years), dtype=bool) if per_usd is None else np.asarray(per_usd, bool)
    ret = asset_returns(terminal, log_assets, fx, years, c, held, forward)
    return np.einsum("k,kn->n", weights, ret)        # einsum's own loop: no BLAS threads


def var_es(pnl: np.ndarray, alpha: float) -> tuple[float, float]:
    """Empirical VaR and ES at level ``alpha`` of P&L samples (module formulas)."""
    x = np.sort(np.asarray(pnl, dtype=float))
    q = float(np.quantile(x, _tail(alpha)))
    # 0.0 - q, not -q: a book hedged to zero on every path read "VaR 99% -0 USD"
    return 0.0 - q, 0.0 - float(x[x <= q].mean())


def bin_edges(n_bins: int, lo: float, hi: float, scale: float | None) -> np.ndarray:
    """Bin edges: equal in ``x`` (``scale=None``) or equal in ``asinh(x / scale)``."""
    if scale is None:
        return np.linspace(lo, hi, n_bins + 1)
    return scale * np.sinh(np.linspace(np.arcsinh(lo / scale), np.arcsinh(hi / scale),
                                       n_bins + 1))


def hist_quantile(counts: np.ndarray, lo: float, hi: float, q: float | np.ndarray,
                  scale: float | None = None) -> np.ndarray:
    """Quantile ``q`` of a histogram on ``[lo, hi]`` (linear within a bin in its coordinate).

    Bins are equal in ``x``, or in ``asinh(x / scale)`` when ``scale`` is given (the Monte
    Carlo's binning, see :mod:`spillwatch.scenarios.simulate`).
    """
    c = np.cumsum(counts).astype(float)
    total = c[-1]
    coord = (np.linspace(lo, hi, len(counts) + 1) if scale is None
             else np.linspace(np.arcsinh(lo / scale), np.arcsinh(hi / scale), len(counts) + 1))
    qs = np.atleast_1d(np.asarray(q, dtype=float)) * total
    j = np.clip(np.searchsorted(c, qs, side="left"), 0, len(counts) - 1)
    before = np.where(j > 0, c[np.maximum(j - 1, 0)], 0.0)
    frac = np.where(counts[j] > 0, (qs - before) / np.maximum(counts[j], 1), 0.0)
    u = coord[j] + np.clip(frac, 0, 1) * (coord[j + 1] - coord[j])
    return u if scale is None else scale * np.sinh(u)


def hist_es(counts: np.ndarray, lo: float, hi: float, alpha: float,
            scale: float | None = None) -> float:
    """Expected shortfall (a loss, positive) at ``alpha`` from a P&L histogram."""
    total = counts.sum()
    tail = (1.0 - alpha) * total
    edges = bin_edges(len(counts), lo, hi, scale)
    mids = (edges[:-1] + edges[1:]) / 2
    c = np.cumsum(counts)
    j = int(np.searchsorted(c, tail, side="left"))
    full = float((counts[:j] * mids[:j]).sum())
    rest = tail - (c[j - 1] if j > 0 else 0)
    var_q = float(hist_quantile(counts, lo, hi, 1.0 - alpha, scale)[0])
    part = rest * (edges[j] + var_q) / 2
    return -(full + part) / tail


@dataclass(frozen=True, eq=False, repr=False)
class PortfolioResult(ResultBase):
    """The P&L distribution of a portfolio under a scenario.

    Attributes
    ----------
    portfolio : Portfolio
    scenario : str
    n : int
        Paths behind the numbers.
    samples : ndarray or None
        P&L per path (when the paths were kept).
    hist : ndarray or None
        P&L histogram over all paths, on ``[lo, hi]``.
    horizon_days : int or None
        Business days the P&L runs over (the scenario's horizon): a VaR here is over them,
        not one day's (``risk --portfolio`` prints a one-day VaR in the same words).
    """

    portfolio: Portfolio
    scenario: str
    n: int
    samples: np.ndarray | None = None
    hist: np.ndarray | None = None
    lo: float = 0.0
    hi: float = 0.0
    scale: float | None = None
    levels: tuple[float, ...] = field(default=(0.95, 0.99))
    title: str = "portfolio P&L"
    horizon_days: int | None = None

    @property
    def exact(self) -> bool:
        """Whether the numbers are read from every path's P&L (else from the histogram)."""
        return self.samples is not None and (self.hist is None or self.samples.size == self.n)

    def var(self, alpha: float = 0.99) -> float:
        """Value at risk (USD, a positive loss) at level ``alpha``."""
        _check_alpha(alpha)
        if not self.exact:
            assert self.hist is not None
            return 0.0 - float(hist_quantile(self.hist, self.lo, self.hi, _tail(alpha),
                                              self.scale)[0])
        assert self.samples is not None
        return var_es(self.samples, alpha)[0]

    def var_interval(self, alpha: float = 0.99, conf: float = 0.95
                     ) -> tuple[float, float | None]:
        r"""Monte Carlo confidence interval of :meth:`var` (USD losses, low to high).

        Distribution-free, from order statistics: the number :math:`K` of paths below the true
        :math:`p = 1 - \alpha` quantile is Binomial(:math:`n`, :math:`p`), so the order
        statistics of ranks :math:`l` and :math:`u` with :math:`F(l - 1) \le (1 - c)/2` and
        :math:`F(u - 1) \ge (1 + c)/2` bound it with probability at least ``conf``
        (:math:`F` the binomial CDF; Glasserman 2003, *Monte Carlo Methods in Financial
        Engineering*, 9.1.2; David and Nagaraja 2003, *Order Statistics*, 7.1). With too few
        paths in the tail for a lower rank (:math:`l = 0`: 100 paths at 99%) the upper bound
        is ``None``, unbounded: the worst path is not a bound. It is the sampling error of the
        paths given the fitted market and its admissible models, not the error of the model.
        """
        _check_alpha(alpha)
        from scipy.stats import binom

        p, n = _tail(alpha), self.n
        lo_rank = int(binom.ppf((1 - conf) / 2, n, p))       # 1-based; 0: none
        hi_rank = int(binom.ppf((1 + conf) / 2, n, p)) + 1
        if not self.exact:
            assert self.hist is not None
            q = hist_quantile(self.hist, self.lo, self.hi,
                              np.array([max(lo_rank, 1), min(hi_rank, n)]) / n, self.scale)
        else:
            x = np.sort(np.asarray(self.samples, dtype=float))
            q = x[[max(lo_rank, 1) - 1, min(hi_rank, n) - 1]]
        return 0.0 - float(q[1]), (None if lo_rank < 1 else 0.0 - float(q[0]))

    def es(self, alpha: float = 0.99) -> float:
        """Expected shortfall (USD, a positive loss) at level ``alpha``."""
        _check_alpha(alpha)
        if not self.exact:
            assert self.hist is not None
            return hist_es(self.hist, self.lo, self.hi, alpha, self.scale)
        assert self.samples is not None
        return var_es(self.samples, alpha)[1]

    def quantiles(self, qs: Sequence[float] = (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)
                  ) -> pd.Series:
        """P&L quantiles (USD)."""
        if not self.exact:
            assert self.hist is not None
            vals = hist_quantile(self.hist, self.lo, self.hi, np.asarray(qs), self.scale)
        else:
            vals = np.quantile(np.asarray(self.samples), qs)
        return pd.Series(vals, index=[f"q{q:g}" for q in qs], name="pnl_usd")

    def plot(self, kind: str | None = None) -> Any:
        """The P&L distribution with the 99% VaR marked (plotly, lazy; ``kind`` unused)."""
        from spillwatch.plotting.scenario import pnl_chart

        if self.hist is not None:
            return pnl_chart(self.hist, self.lo, self.hi, var99=self.var(0.99),
                             title=self.scenario, scale=self.scale)
        assert self.samples is not None
        x = np.asarray(self.samples, dtype=float)
        lo, hi = float(x.min()), float(x.max())
        counts, _ = np.histogram(x, bins=800, range=(lo, hi if hi > lo else lo + 1.0))
        return pnl_chart(counts, lo, hi if hi > lo else lo + 1.0, var99=self.var(0.99),
                         title=self.scenario)

    def table(self) -> pd.DataFrame:
        # each level as given ("VaR 97.5%"): a whole percent read 0.995 and 0.999 as one
        # "VaR 100%" row, the second overwriting the first
        rows = {f"VaR {a * 100:g}%": self.var(a) for a in self.levels}
        rows.update({f"ES {a * 100:g}%": self.es(a) for a in self.levels})
        rows.update(self.quantiles().to_dict())
        return pd.DataFrame({"usd": rows}).rename_axis("measure")

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "scenario": self.scenario, "paths": self.n,
                "horizon_days": self.horizon_days,
                "positions_usd": self.portfolio.notional_usd,
                "var": {f"{a:g}": self.var(a) for a in self.levels},
                "var_ci95": {f"{a:g}": list(self.var_interval(a)) for a in self.levels},
                "es": {f"{a:g}": self.es(a) for a in self.levels},
                "quantiles": jsonable(self.quantiles()),
                "exact": self.exact}

    def _summary_lines(self) -> list[str]:
        over = "" if self.horizon_days is None else f" over {self.horizon_days} business days"
        return [f"{self.title}{over} — {self.scenario} ({self.n:,} paths)",
                self.table().round(0).to_string()]


def _tail(alpha: float) -> float:
    """``1 - alpha`` without its round-off.

    1 - 0.99 is 0.010000000000000009, which moved the 99% quantile to the next non-empty bin
    when 1% of the paths ended on a bin's edge.
    """
    return round(1.0 - alpha, 12)


def _check_alpha(alpha: float) -> None:
    if not (is_real(alpha) and 0.5 < alpha < 1.0):
        raise ScenarioError(f"alpha must be a float in (0.5, 1), e.g. 0.99; got {alpha!r}")
