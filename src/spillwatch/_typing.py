"""Type aliases shared across spillwatch."""

from __future__ import annotations

import datetime as dt
from typing import Literal, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

Float64Array: TypeAlias = npt.NDArray[np.float64]
Panel: TypeAlias = pd.DataFrame
DateLike: TypeAlias = str | dt.date | dt.datetime | pd.Timestamp
Transform = Literal["levels", "changes"]
