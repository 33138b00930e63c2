"""The inputs of the foreign-demand monitor: plain pandas objects in one documented container.

:class:`DemandInputs` holds each source as the publisher prints it (units below); every field is
optional. A missing field makes the signals that read it *unavailable* (NaN, listed as such in
the result), never zero. The 10-year and the 3-month bill are in FRED's H.15 (out the next
business day) and in the Treasury's par curve (out the same evening): given both,
:meth:`DemandInputs.from_frames` takes each date's value from the one out first
(:func:`merge_sources`). Each field has the store series id whose release rule
(:func:`spillwatch.timing.timing_of`) dates when its values became known; override them with
``series_ids`` when a field comes from another source (e.g. ``ust10y`` from the Treasury par
curve, ``"treasury:yield_10y_pct"``, released the same evening).

=================  =========================================  ==============================
field              what, unit                                 series id (timing)
=================  =========================================  ==============================
``custody``        Fed H.4.1 marketable Treasuries held in    ``fred:WMTSECL1``
                   custody for foreign official accounts,
                   Wednesday level, **USD millions**; zeros
                   (FRED's fill before 2007-07) are dropped
``mof_weekly``     Japan MOF weekly portfolio flows, columns  ``mof:weekly_<column>``
                   as in ``mof_weekly_intl_securities.csv``
                   (needs ``assets_ltdebt_net_jpy100m``,
                   **100 million yen**), indexed by the
                   week-end Saturday
``interventions``  MOF FX interventions, one row per          ``mof:intervention_<pair>``
                   operation: ``date``, ``currency_pair``,
                   ``direction`` (``sell_USD_buy_JPY`` ...),
                   ``amount_jpy_bn`` (**billion yen**); a
                   date may have several rows
``auctions``       Treasury note/bond auctions, one row per   ``auction:<tenor>``
                   auction with the columns of
                   ``ust_auctions_notes_bonds.csv``
``ust10y``         10-year Treasury yield, percent            ``fred:DGS10`` and/or
                                                              ``treasury:yield_10y_pct``
``jgb10y``         10-year JGB yield, percent                 ``mof:jgb_10y``
``sofr``           SOFR, percent                              ``fred:SOFR``
``dgs3mo``         3-month Treasury bill yield, percent       ``fred:DGS3MO`` and/or
                                                              ``treasury:yield_3m_pct``
``tona``           BoJ uncollateralised overnight call rate   ``boj:tona_pct``
                   (TONA), percent
``ir3tib``         Japan 3-month interbank rate (OECD,        ``fred:IR3TIB01JPM156N``
                   monthly, dated the 1st), percent
``china_reserves`` China SAFE FX reserves, month end,         ``safe:cn_fx_reserves_usd100m``
                   **100 million USD**
``tic``            TIC major foreign holders, month end,      ``tic:<holder>_usd_bn``
                   columns ``<holder>_usd_bn`` (**USD bn**)
``usdjpy``         yen per dollar (H.10 noon rate)            ``fred:DEXJPUS``
``usd_broad``      nominal broad dollar index (H.10), index   ``fred:DTWEXBGS``
                   points: with ``ust10y``, it separates the
                   valuation effect from China's reserve change
``mof_monthly``    MOF monthly net purchases of foreign       ``mof:monthly_<column>``
                   long-term bonds by investor, columns
                   ``ltbonds_<type>_jpy_tn`` (**trillion
                   yen**), dated the 1st of the month
=================  =========================================  ==============================

``interventions_through`` is the last date the intervention record is known to be complete
(MOF reports every month, also months without operations, but an events table only holds
operations); by default the record is taken as complete up to the last date the monitor
computes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
import pandas as pd

from spillwatch._validation import as_date
from spillwatch.exceptions import DataError

#: Default store series id of each field (its publication timing comes from this id).
DEFAULT_SERIES_IDS: dict[str, str] = {
    "custody": "fred:WMTSECL1",
    "mof_weekly": "mof:weekly_assets_ltdebt_net_jpy100m",
    "interventions": "mof:intervention_usdjpy",
    "auctions": "auction:notes_bonds",
    "ust10y": "fred:DGS10",
    "jgb10y": "mof:jgb_10y",
    "sofr": "fred:SOFR",
    "dgs3mo": "fred:DGS3MO",
    "tona": "boj:tona_pct",
    "ir3tib": "fred:IR3TIB01JPM156N",
    "china_reserves": "safe:cn_fx_reserves_usd100m",
    "tic": "tic:japan_usd_bn",
    "usdjpy": "fred:DEXJPUS",
    "usd_broad": "fred:DTWEXBGS",
    "mof_monthly": "mof:monthly_ltbonds_total_jpy_tn",
}

#: Series-valued fields.
SERIES_FIELDS: tuple[str, ...] = ("custody", "ust10y", "jgb10y", "sofr", "dgs3mo", "tona",
                                  "ir3tib", "china_reserves", "usdjpy", "usd_broad")
#: Frame-valued fields indexed by date.
FRAME_FIELDS: tuple[str, ...] = ("mof_weekly", "tic", "mof_monthly")
#: Event tables (a date column, several rows per date possible).
EVENT_FIELDS: tuple[str, ...] = ("interventions", "auctions")

#: Column of ``mof_weekly`` the monitor reads (Japanese residents' net purchases of foreign
#: long-term bonds, 100 million yen; negative = net selling).
MOF_BOND_NET = "assets_ltdebt_net_jpy100m"
INTERVENTION_COLUMNS: tuple[str, ...] = ("date", "currency_pair", "direction", "amount_jpy_bn")
AUCTION_COLUMNS: tuple[str, ...] = ("date", "tenor", "term", "size_bn", "bid_to_cover",
                                    "dealer_pct", "direct_pct", "indirect_pct")

# store series id -> field, for ids that name one series; a field two ids feed (the 10-year
# and the 3-month bill from FRED's H.15 and from the Treasury's par curve) is merged row by row
# (:func:`merge_sources`)
ID_FIELDS: dict[str, str] = {
    "fred:WMTSECL1": "custody", "fred:DGS10": "ust10y", "treasury:yield_10y_pct": "ust10y",
    "mof:jgb_10y": "jgb10y", "fred:SOFR": "sofr", "fred:DGS3MO": "dgs3mo",
    "treasury:yield_3m_pct": "dgs3mo",
    "boj:tona_pct": "tona", "fred:IR3TIB01JPM156N": "ir3tib",
    "safe:cn_fx_reserves_usd100m": "china_reserves", "safe:cn_fx_reserves_usd_bn": "china_reserves",
    "fred:DEXJPUS": "usdjpy", "fred:DTWEXBGS": "usd_broad", "demo:usd_broad": "usd_broad",
}
# prefixes of ids that make up a frame: prefix -> field
PREFIX_FIELDS: dict[str, str] = {"mof:weekly_": "mof_weekly", "tic:": "tic",
                                 "mof:monthly_": "mof_monthly"}


def _series(x: Any, name: str) -> pd.Series:
    if isinstance(x, pd.DataFrame):
        if x.shape[1] != 1:
            raise DataError(f"DemandInputs.{name} must be one series; got a frame with "
                            f"{x.shape[1]} columns ({', '.join(map(str, x.columns[:5]))}); pass "
                            "one column", column=name)
        x = x.iloc[:, 0]
    if not isinstance(x, pd.Series):
        raise DataError(f"DemandInputs.{name} must be a pandas Series indexed by date; got "
                        f"{type(x).__name__}", column=name)
    s = pd.to_numeric(x, errors="coerce").astype("float64")
    s.index = _dates(x.index, name)
    _unique(s.index, name)
    s = s[np.isfinite(s.to_numpy())]
    return s.sort_index().rename(name)


def merge_sources(sources: Mapping[str, pd.Series], name: str) -> tuple[pd.Series, pd.Series]:
    """One field from several store series of the same values, each row as published first.

    The 10-year is in FRED's H.15 (out the next business day) and in the Treasury's par curve
    (out the same evening, to 2025-07-11 in the shared data): on the evening of 2025-04-09 the
    gauge read the 8th's 4.26% from FRED beside that day's JGB while the store held the 9th's
    4.34% from the Treasury. Each date's value is taken from the source that released it
    first (:func:`spillwatch.timing.timing_of`; the earlier id on a tie).

    Returns
    -------
    values, released : Series
        The merged values and each one's release date, indexed by observation date.
    """
    from spillwatch.timing import timing_of

    rows = []
    for order, (sid, values) in enumerate(sources.items()):
        v = _series(values, name)
        rows.append(pd.DataFrame({"value": v.to_numpy(), "order": order,
                                  "released": timing_of(sid).released_index(v.index)},
                                 index=v.index))
    both = pd.concat(rows).rename_axis("date").reset_index()
    both = both.sort_values(["date", "released", "order"], kind="stable")
    first = both.drop_duplicates("date", keep="first").set_index("date")
    index = pd.DatetimeIndex(first.index)
    return (pd.Series(first["value"].to_numpy(), index=index, name=name),
            pd.Series(pd.DatetimeIndex(first["released"]), index=index, name="released"))


def _dates(index: pd.Index, name: str) -> pd.DatetimeIndex:
    try:
        idx = pd.DatetimeIndex(index)
    except (TypeError, ValueError) as exc:
        raise DataError(f"DemandInputs.{name} must be indexed by dates; got an index of "
                        f"{index.dtype} ({exc})", column=name) from None
    if idx.tz is not None:
        # a zone-aware date is its own wall-clock day, as everywhere in the library (README):
        # converted to UTC, a Tokyo-dated JGB yield or TONA moved to the day before (the hedged
        # pick-up of 2025-06-24 read -0.898% for -0.919%, a day ahead of its release)
        idx = idx.tz_localize(None)
    return idx.normalize()


def _unique(index: pd.DatetimeIndex, name: str) -> None:
    """Refuse a date given twice, as every other input of the library does.

    The last was kept without a word: a second custody value of one Wednesday moved the
    week's change by $631bn.
    """
    if index.has_duplicates:
        twice = index[index.duplicated()].unique()
        shown = ", ".join(d.date().isoformat() for d in twice[:5])
        more = f" and {len(twice) - 5} more" if len(twice) > 5 else ""
        raise DataError(f"DemandInputs.{name}: the dates are not unique: {shown}{more} appear "
                        "more than once; drop the duplicate rows", column=name)


def _frame(x: Any, name: str) -> pd.DataFrame:
    if not isinstance(x, pd.DataFrame):
        raise DataError(f"DemandInputs.{name} must be a DataFrame indexed by date; got "
                        f"{type(x).__name__}", column=name)
    f = x.copy()
    if "date" in f.columns:
        f = f.set_index("date")
    f.index = _dates(f.index, name)
    num = f.apply(pd.to_numeric, errors="coerce").astype("float64")
    # text columns (e.g. MOF's ``period_start``) carry no value the monitor reads
    num = num.loc[:, num.notna().any() | f.isna().all()]
    _unique(f.index, name)
    return num.sort_index()


def _events(x: Any, name: str, required: tuple[str, ...]) -> pd.DataFrame:
    if not isinstance(x, pd.DataFrame):
        raise DataError(f"DemandInputs.{name} must be a DataFrame of events (one row each); "
                        f"got {type(x).__name__}", column=name)
    f = x.copy()
    if "date" not in f.columns:
        f = f.rename_axis("date").reset_index()
    missing = [c for c in required if c not in f.columns]
    if missing:
        raise DataError(f"DemandInputs.{name} lacks the column(s) {', '.join(missing)}; it has "
                        f"{', '.join(map(str, f.columns))}. Pass the events with the columns "
                        f"{', '.join(required)}", column=name)
    f["date"] = _dates(pd.Index(f["date"]), name)
    return f.sort_values("date", kind="stable").reset_index(drop=True)


@dataclass(frozen=True, eq=False)
class DemandInputs:
    """The sources of the foreign-demand monitor (see the module docstring for units and ids).

    Every field is optional; the constructor checks types, parses dates, sorts, drops
    non-finite values and (for ``custody``) the zeros FRED prints before the series began.

    Attributes
    ----------
    custody, ust10y, jgb10y, sofr, dgs3mo, tona, ir3tib, china_reserves, usdjpy : Series or None
    usd_broad : Series or None
    mof_weekly, tic, mof_monthly : DataFrame or None
    interventions, auctions : DataFrame or None
        Event tables with a ``date`` column.
    interventions_through : Timestamp or None
        Last date the intervention record is complete (default: complete throughout).
    series_ids : dict
        Store series id of each field, for its release timing (:data:`DEFAULT_SERIES_IDS`
        updated with what was passed).
    released : dict of str to Series
        The release date of each row of a series field merged from sources published at
        different times (:func:`merge_sources`), indexed like it; its ``series_ids`` entry
        then gives only the staleness limit.
    """

    custody: pd.Series | None = None
    mof_weekly: pd.DataFrame | None = None
    interventions: pd.DataFrame | None = None
    auctions: pd.DataFrame | None = None
    ust10y: pd.Series | None = None
    jgb10y: pd.Series | None = None
    sofr: pd.Series | None = None
    dgs3mo: pd.Series | None = None
    tona: pd.Series | None = None
    ir3tib: pd.Series | None = None
    china_reserves: pd.Series | None = None
    tic: pd.DataFrame | None = None
    usdjpy: pd.Series | None = None
    usd_broad: pd.Series | None = None
    mof_monthly: pd.DataFrame | None = None
    interventions_through: Any = None
    series_ids: Mapping[str, str] = field(default_factory=dict)
    released: Mapping[str, pd.Series] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in SERIES_FIELDS:
            v = getattr(self, name)
            if v is not None:
                s = _series(v, name)
                if name == "custody":
                    s = s[s > 0]  # FRED prints 0 before the series was reported
                object.__setattr__(self, name, s)
        for name in FRAME_FIELDS:
            v = getattr(self, name)
            if v is not None:
                object.__setattr__(self, name, _frame(v, name))
        if self.mof_weekly is not None and MOF_BOND_NET not in self.mof_weekly.columns:
            raise DataError(f"DemandInputs.mof_weekly lacks {MOF_BOND_NET!r} (Japanese residents' "
                            "net purchases of foreign long-term bonds); pass MOF's weekly "
                            "frame with its columns", column=MOF_BOND_NET)
        if self.interventions is not None:
            f = _events(self.interventions, "interventions", INTERVENTION_COLUMNS)
            f["amount_jpy_bn"] = pd.to_numeric(f["amount_jpy_bn"], errors="coerce")
            object.__setattr__(self, "interventions", f)
        if self.auctions is not None:
            f = _events(self.auctions, "auctions", AUCTION_COLUMNS)
            for c in ("size_bn", "bid_to_cover", "dealer_pct", "direct_pct", "indirect_pct",
                      "dispersion_bp"):
                if c in f.columns:
                    f[c] = pd.to_numeric(f[c], errors="coerce")
            object.__setattr__(self, "auctions", f)
        if self.interventions_through is not None:
            object.__setattr__(self, "interventions_through",
                               pd.Timestamp(self.interventions_through).normalize())
        ids = dict(DEFAULT_SERIES_IDS)
        unknown = [k for k in self.series_ids if k not in ids]
        if unknown:
            raise DataError(f"unknown DemandInputs field {unknown[0]!r} in series_ids; choose "
                            f"from: {', '.join(ids)}", column=unknown[0])
        ids.update(self.series_ids)
        object.__setattr__(self, "series_ids", ids)
        released = {}
        for name, rel in dict(self.released).items():
            s = getattr(self, name) if name in SERIES_FIELDS else None
            if s is None:
                raise DataError(f"DemandInputs.released names {name!r}, not a series field "
                                "with data", column=name)
            r = pd.Series(pd.DatetimeIndex(rel.to_numpy()), index=_dates(rel.index, name))
            r = r[~r.index.duplicated(keep="last")].reindex(s.index)
            if r.isna().any():
                raise DataError(f"DemandInputs.released[{name!r}] lacks the release date of "
                                f"{int(r.isna().sum())} of its rows (first "
                                f"{r.index[r.isna()][0]:%Y-%m-%d})", column=name)
            released[name] = r
        object.__setattr__(self, "released", released)

    @property
    def present(self) -> tuple[str, ...]:
        """Names of the fields that hold data."""
        names = (*SERIES_FIELDS, *FRAME_FIELDS, *EVENT_FIELDS)
        return tuple(n for n in names if _has(getattr(self, n)))

    @property
    def missing(self) -> tuple[str, ...]:
        """Names of the fields without data (their signals are unavailable)."""
        names = (*SERIES_FIELDS, *FRAME_FIELDS, *EVENT_FIELDS)
        return tuple(n for n in names if not _has(getattr(self, n)))

    def truncate(self, end: object) -> DemandInputs:
        """The inputs without any observation (or event) dated after ``end``.

        Used by the no-look-ahead tests and ``benchmarks/bench_demand.py`` (the backtest's replay
        reads each date's vintage of the store instead).
        """
        t = as_date(end, "end")
        kw: dict[str, Any] = {}
        for name in (*SERIES_FIELDS, *FRAME_FIELDS):
            v = getattr(self, name)
            kw[name] = None if v is None else v.loc[:t]
        for name in EVENT_FIELDS:
            v = getattr(self, name)
            kw[name] = None if v is None else v[v["date"] <= t]
        through = self.interventions_through
        kw["interventions_through"] = t if through is None else min(through, t)
        return replace(self, **kw)

    @classmethod
    def from_frames(cls, series: Mapping[str, pd.Series] | pd.DataFrame, *,
                    interventions: pd.DataFrame | None = None,
                    auctions: pd.DataFrame | None = None,
                    interventions_through: object = None) -> DemandInputs:
        """Build the inputs from store series ids (what the service layer loads).

        Parameters
        ----------
        series : mapping of str to Series, or DataFrame
            Series keyed (or columns named) by store series id: ``fred:WMTSECL1``,
            ``fred:DGS10`` and/or ``treasury:yield_10y_pct`` (both: :func:`merge_sources`),
            ``mof:jgb_10y``, ``fred:SOFR``, ``fred:DGS3MO`` and/or ``treasury:yield_3m_pct``,
            ``boj:tona_pct``, ``fred:IR3TIB01JPM156N``,
            ``safe:cn_fx_reserves_usd100m`` (or ``safe:cn_fx_reserves_usd_bn``),
            ``fred:DEXJPUS``, ``fred:DTWEXBGS`` (or the demo's ``demo:usd_broad``); and the
            columns of the frame-valued fields by prefix:
            ``mof:weekly_<column>``, ``tic:<holder>_usd_bn``, ``mof:monthly_<column>``. Other
            ids are ignored. ``fred:WMTSECL1`` may be in USD millions (as FRED publishes it) or
            billions (a level below 100,000 is read as billions and multiplied by 1,000).
        interventions, auctions : DataFrame, optional
            The event tables (see the module docstring).
        interventions_through : date-like, optional

        Returns
        -------
        DemandInputs
        """
        items = dict(series.items()) if isinstance(series, pd.DataFrame) else dict(series)
        kw: dict[str, Any] = {}
        ids: dict[str, str] = {}
        parts: dict[str, dict[str, pd.Series]] = {f: {} for f in PREFIX_FIELDS.values()}
        several: dict[str, dict[str, pd.Series]] = {}
        for sid, values in items.items():
            sid = str(sid)
            name = ID_FIELDS.get(sid)
            if name in ("ust10y", "dgs3mo"):   # H.15 and the par curve: merged below
                several.setdefault(name, {})[sid] = values
                continue
            if name is not None:
                if name in kw:
                    continue
                s = values.dropna() if isinstance(values, pd.Series) else values
                if sid == "safe:cn_fx_reserves_usd_bn":
                    s = s * 10.0
                if name == "custody" and isinstance(s, pd.Series) and len(s) and \
                        float(s[s > 0].median()) < 100_000:
                    s = s * 1000.0
                kw[name], ids[name] = s, sid
                continue
            for prefix, fname in PREFIX_FIELDS.items():
                if sid.startswith(prefix):
                    parts[fname][sid[len(prefix):]] = values
                    ids.setdefault(fname, sid)
                    break
        for fname, cols in parts.items():
            if cols:
                kw[fname] = pd.DataFrame(cols)
        released = {}
        for name, sources in several.items():
            ids[name] = next(iter(sources))
            if len(sources) == 1:
                kw[name] = next(iter(sources.values()))
            else:
                kw[name], released[name] = merge_sources(sources, name)
        return cls(**kw, interventions=interventions, auctions=auctions,
                   interventions_through=interventions_through, series_ids=ids,
                   released=released)

    def __repr__(self) -> str:
        have = ", ".join(self.present) or "nothing"
        return f"DemandInputs({have})"


def _has(v: object) -> bool:
    return v is not None and len(v) > 0  # type: ignore[arg-type]


def input_fields() -> tuple[str, ...]:
    """Every data field of :class:`DemandInputs`, in order.

    Not its bookkeeping: the interventions' coverage, the series ids and the release dates.
    """
    return tuple(f.name for f in fields(DemandInputs)
                 if f.name not in ("interventions_through", "series_ids", "released"))
