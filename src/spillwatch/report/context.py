"""What report sections read: the workspace (panels and memoised analyses), and a section."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from spillwatch.service.health import as_of
from spillwatch.service.workspace import Workspace


@dataclass
class Section:
    """One section of the report.

    Attributes
    ----------
    key : str
        Anchor id (``"market"``).
    title : str
    figures : list
        plotly figures, drawn in order.
    html : str
        Extra HTML (tables, notes) placed after the figures.
    summary : dict
        JSON-safe headline numbers (shown by ``spillwatch run`` and ``--json``): the service
        layer's summary of the capability, the same dict the CLI and the API give.
    intro : str
        One paragraph under the title.
    """

    key: str
    title: str
    figures: list[Any] = field(default_factory=list)
    html: str = ""
    summary: dict[str, Any] = field(default_factory=dict)
    intro: str = ""


@dataclass
class ReportContext:
    """The workspace the sections format, and when the report was generated."""

    workspace: Workspace
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @property
    def simulated(self) -> bool:
        """Whether the data are the simulated demo market."""
        return self.workspace.simulated

    @property
    def label(self) -> str:
        """Where the data come from."""
        return self.workspace.label

    @property
    def as_of(self) -> pd.Timestamp | None:
        """Last date on which at least half of the held watch-list series have a value."""
        return self.workspace.memo("as_of", lambda: as_of(self.workspace))
