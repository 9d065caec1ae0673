"""The steering pack as a value: :class:`Pack` (what a steering meeting is shown), its :class:`Chart` and
:class:`Table` parts, :class:`Stated` (a value and where it came from), and how much of a large
organisation one page holds. Built by :func:`maturity.report.pack.build_pack`, written by the writers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from .. import __version__
from ..asof import AsOf

__all__ = ["AREA_PRACTICES", "FIGURE_HEIGHT", "MOVED_ROWS", "PHASE_ROWS", "PROBLEM_KINDS", "TOP_UNITS", "Chart",
           "Pack", "Stated", "Table"]

TOP_UNITS = 25  # units ranked in one chart, and units on one heatmap page
PHASE_ROWS = 36  # the first phase's steps listed (in rank order)
AREA_PRACTICES = 6  # practices named per area, then "+N more"
MOVED_ROWS = 15  # unit × area changes listed, the largest first
PROBLEM_KINDS = 8
FIGURE_HEIGHT = 660  # pixels: a slide's picture box, and a printed page's chart


@dataclass(frozen=True)
class Stated:
    """A value the pack shows, and where it came from ("as given", "read from cell A3 of sheet 'X'")."""

    value: str
    source: str


@dataclass(frozen=True)
class Chart:
    """A chart of the pack: ``title`` (plain text, the slide's title too), the plotly ``figure`` with its
    title, organisation, scope and date drawn in, and a ``note`` shown beside it (may be empty)."""

    title: str
    figure: go.Figure
    note: str = ""


@dataclass(frozen=True)
class Table:
    """A table of the pack: ``frame`` holds text cells under the headers shown; ``note`` may be empty."""

    title: str
    frame: pd.DataFrame
    note: str = ""


@dataclass(frozen=True, eq=False)
class Pack:
    """The steering pack's content, as :func:`build_pack` builds it; :func:`maturity.report.pack_bytes`
    writes it."""

    organisation: Stated
    as_of: Stated
    as_of_date: AsOf
    scope: str  # "All 6 units", "2 of 6 units: Payments, Lending"
    units: tuple[str, ...]  # the units shown, in the file's order
    total_units: int
    model: str
    sources: tuple[str, ...]
    headline: tuple[tuple[str, str], ...]
    charts: tuple[Chart, ...]  # the radar, the heatmap pages, the units ranked
    phase: Table  # the roadmap's first phase, with owners
    areas: Table  # per area: the next level and its practices
    unit_figures: Table  # every unit shown with its averages
    moved: Table | None  # what moved since the previous snapshot; None without one
    reading: tuple[tuple[str, str], ...]  # rows read, normalized, with problems, with warnings
    problems: Table  # the problem rows by kind
    made_on: date
    version: str = __version__

    @property
    def subtitle(self) -> str:
        """The line every chart and slide carries: organisation · scope · as-of date."""
        return f"{self.organisation.value} · {self.scope} · as of {self.as_of_date.text}"
