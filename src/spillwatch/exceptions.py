"""One exception tree for spillwatch, and the warnings it emits.

::

    SpillwatchError
    ├─ DataError ── ProviderError (NetworkError, RateLimited, BadPayload)
    │             · ImportFileError · StaleData · QualityRejected · AccountingError
    ├─ StoreError
    ├─ ModelError ── NotStationary · ConvergenceError · SingularWindowError
    ├─ ScenarioError
    └─ ConfigError

Every error carries the context that lets a user act on it (``series_id``, ``path``, ``row``,
``column``, ``date``, ``provider``) and a message that says what went wrong, what was found, and
how to fix it.
"""

from __future__ import annotations

from typing import Any


class SpillwatchError(Exception):
    """Base of every error spillwatch raises on purpose."""

    def __init__(self, message: str, **context: Any) -> None:
        super().__init__(message)
        self.message = message
        self.context = {k: v for k, v in context.items() if v is not None}
        for key, value in context.items():
            setattr(self, key, value)


class ConfigError(SpillwatchError):
    """A setting, option or configuration file is invalid."""


class DataError(SpillwatchError):
    """Market data is missing, malformed or unusable."""


class ImportFileError(DataError):
    """A file given to the importer cannot be read as a whole (missing, empty, no date column)."""


class StaleData(DataError):
    """A series has no new point for longer than allowed."""


class QualityRejected(DataError):
    """A whole batch was rejected by the quality checks."""


class AccountingError(DataError):
    """An import or fetch whose counts do not close (read != stored + ... + quarantined): a bug."""


class ProviderError(DataError):
    """A live data provider failed."""


class NetworkError(ProviderError):
    """The provider could not be reached, timed out or broke the connection."""


class RateLimited(ProviderError):
    """The provider kept answering HTTP 429 after every retry."""


class BadPayload(ProviderError):
    """The provider answered, but not with the documented format."""


class StoreError(SpillwatchError):
    """The DuckDB store cannot be opened, read or written."""


class ModelError(SpillwatchError):
    """An estimator cannot be fitted on the data it was given."""


class NotStationary(ModelError):
    """The data look non-stationary where a stationary input is required."""


class ConvergenceError(ModelError):
    """An optimiser or filter did not converge."""


class SingularWindowError(ModelError):
    """A regression design is singular (for example a window with a constant column)."""


class ScenarioError(SpillwatchError):
    """A scenario or portfolio definition is invalid."""


class SpillwatchWarning(UserWarning):
    """Base of spillwatch's warnings."""


class DataScaleWarning(SpillwatchWarning):
    """Data are on a scale that may hurt the numerics of an estimator."""


class ConvergenceWarning(SpillwatchWarning):
    """An optimiser finished, but not cleanly."""


class PerformanceWarning(SpillwatchWarning):
    """A fast path is unavailable and a slower one is used."""


class SingularWindowWarning(SpillwatchWarning):
    """A rolling window was singular and was given NaN."""
