"""Diebold–Yilmaz connectedness: static, rolling (batched), TVP-VAR, frequency bands, blocks.

The spillover headline (net rates + dollar → crypto on synchronous two-day or weekly data, next
to the raw daily reading): :func:`spillover_headline`; the sampling: :func:`synchronous_changes`.

Front door: :func:`connectedness`. Parts: :class:`Connectedness` composes a model
(:class:`VAR`, :class:`TVPVAR`) with a decomposition (:class:`GeneralizedFEVD`,
:class:`CholeskyFEVD`, :class:`FrequencyFEVD`). Results: :class:`ConnectednessResult`,
:class:`RollingConnectednessResult`, :class:`BlockConnectednessResult`.

Sign conventions: ``table.loc[i, j]`` is the spillover from j to i (rows sum to 100); NET > 0 is a
net transmitter; ``npdc.loc[i, j] > 0`` means i receives on net from j.

Rolling convention: a window of W rows holds W observations (W − p regression rows); T rows give
T − W + 1 windows labelled by their last date. ConnectednessApproach (R) with
``window.size = W + p`` gives the same windows.
"""

from spillwatch.analytics.connectedness._blocks import (
    CRYPTO,
    RATES_DOLLAR,
    BlockConnectednessResult,
    default_groups,
)
from spillwatch.analytics.connectedness._fevd import (
    CholeskyFEVD,
    GeneralizedFEVD,
    cholesky_fevd,
    generalized_fevd,
    ma_coefficients,
)
from spillwatch.analytics.connectedness._frequency import FrequencyFEVD, frequency_fevd
from spillwatch.analytics.connectedness._headline import (
    SpilloverHeadline,
    SpilloverHeadlineResult,
    spillover_headline,
)
from spillwatch.analytics.connectedness._results import (
    ConnectednessResult,
    RollingConnectednessResult,
    dy_table,
)
from spillwatch.analytics.connectedness._sampling import (
    SAMPLINGS,
    asynchrony,
    merge_incomplete_rows,
    sampling_hours,
    sampling_of,
    synchronous_changes,
)
from spillwatch.analytics.connectedness._spec import (
    DECOMPOSITIONS,
    MODELS,
    Connectedness,
    connectedness,
)
from spillwatch.analytics.connectedness._tvp import TVPVAR
from spillwatch.analytics.connectedness._var import VAR

__all__ = [
    "CRYPTO",
    "DECOMPOSITIONS",
    "MODELS",
    "RATES_DOLLAR",
    "SAMPLINGS",
    "TVPVAR",
    "VAR",
    "BlockConnectednessResult",
    "CholeskyFEVD",
    "Connectedness",
    "ConnectednessResult",
    "FrequencyFEVD",
    "GeneralizedFEVD",
    "RollingConnectednessResult",
    "SpilloverHeadline",
    "SpilloverHeadlineResult",
    "asynchrony",
    "cholesky_fevd",
    "connectedness",
    "default_groups",
    "dy_table",
    "frequency_fevd",
    "generalized_fevd",
    "ma_coefficients",
    "merge_incomplete_rows",
    "sampling_hours",
    "sampling_of",
    "spillover_headline",
    "synchronous_changes",
]
