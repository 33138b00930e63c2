"""Block (group-wise) connectedness: the DY table aggregated over groups of variables.

For groups :math:`G_a`, the block table sums the pairwise spillovers between members
(Greenwood-Nimmo, Nguyen & Shin 2015, Section 2.2, "groupwise" connectedness):

.. math::

    B_{ab} = \\sum_{i \\in G_a} \\sum_{j \\in G_b} \\tilde\\theta_{ij},

in the same percentage points as the DY table (row ``a`` of the block table sums to
``100 * |G_a|``). The off-diagonal block cells are the spillovers between groups; the diagonal
cell keeps the within-group spillovers and the members' own shares. The net block spillover
from ``b`` to ``a`` is :math:`B_{ab} - B_{ba}`, the sum of the net pairwise connectedness over
every cross-group pair (so it is positive when ``a`` receives on net from ``b``).

The headline of spillwatch is the net spillover **from rates + dollar to crypto**:
:math:`B_{\\mathrm{crypto},\\,\\mathrm{rates\\&dollar}} - B_{\\mathrm{rates\\&dollar},\\,
\\mathrm{crypto}}`.

References
----------
.. [1] Greenwood-Nimmo, M., Nguyen, V. H., & Shin, Y. (2015). Measuring the connectedness of
   the global economy. Melbourne Institute Working Paper 7/15.
.. [2] Diebold, F. X., & Yilmaz, K. (2012). *International Journal of Forecasting*, 28(1).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from spillwatch._typing import Float64Array
from spillwatch.exceptions import ConfigError

#: Name of the rates + dollar block and of the crypto block in the default grouping.
RATES_DOLLAR = "rates_dollar"
CRYPTO = "crypto"
OTHER = "other"


def default_groups(columns: Sequence[str]) -> dict[str, list[str]]:
    """Group panel columns into ``rates_dollar``, ``crypto`` and ``other`` by their asset block.

    Uses :func:`spillwatch.universe.asset_of_column`: blocks ``RATES`` and ``DOLLAR`` form
    ``rates_dollar``, ``CRYPTO`` forms ``crypto``; everything else (and any column that is not a
    known panel column) goes to ``other``. Empty groups are left out.
    """
    from spillwatch.exceptions import ConfigError as _ConfigError
    from spillwatch.universe import AssetBlock, asset_of_column

    groups: dict[str, list[str]] = {RATES_DOLLAR: [], CRYPTO: [], OTHER: []}
    for col in columns:
        try:
            block = asset_of_column(str(col)).block
        except _ConfigError:
            block = None
        if block in (AssetBlock.RATES, AssetBlock.DOLLAR):
            groups[RATES_DOLLAR].append(str(col))
        elif block == AssetBlock.CRYPTO:
            groups[CRYPTO].append(str(col))
        else:
            groups[OTHER].append(str(col))
    return {name: cols for name, cols in groups.items() if cols}


def resolve_groups(
    columns: Sequence[str], groups: Mapping[str, Sequence[str]] | None
) -> dict[str, list[int]]:
    """Check a user grouping and turn it into column positions.

    Every column must belong to exactly one group; columns left out form a group ``other``.
    """
    cols = [str(c) for c in columns]
    if groups is None:
        named = default_groups(cols)
    else:
        named = {str(g): [str(c) for c in members] for g, members in groups.items()}
    seen: dict[str, str] = {}
    for g, members in named.items():
        if not members:
            raise ConfigError(f"block {g!r} is empty; give it at least one column", block=g)
        for c in members:
            if c not in cols:
                raise ConfigError(
                    f"block {g!r} names column {c!r}, which is not in the data; "
                    f"columns are: {', '.join(cols)}",
                    block=g,
                    column=c,
                )
            if c in seen:
                raise ConfigError(
                    f"column {c!r} is in two blocks ({seen[c]!r} and {g!r}); put it in one",
                    column=c,
                )
            seen[c] = g
    rest = [c for c in cols if c not in seen]
    if rest:
        if OTHER in named:
            raise ConfigError(
                f"columns {rest} are in no block and a block is already named {OTHER!r}; "
                "assign every column",
                column=rest[0],
            )
        named[OTHER] = rest
    pos = {c: i for i, c in enumerate(cols)}
    return {g: [pos[c] for c in members] for g, members in named.items()}


def block_table(theta: Float64Array, groups: Mapping[str, Sequence[int]]) -> Float64Array:
    """Aggregate ``theta`` (…, k, k) into the block table (…, g, g) by summing member cells."""
    names = list(groups)
    k = theta.shape[-1]
    member = np.zeros((len(names), k))
    for a, g in enumerate(names):
        member[a, list(groups[g])] = 1.0
    return member @ theta @ member.T
