"""The result of reading one file: an :class:`Assessment` holds the normalized rows, the problem rows,
the layout they were read with, the model (a value, never looked up again by id), the file's name,
notes on how it was read, how the model was chosen and how each area value was matched."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from .choose import ModelChoice
from .layout import Layout
from .matching import AreaMatch
from .rubric import Rubric

__all__ = ["Assessment"]


@dataclass(frozen=True)
class Assessment:
    """The result of reading one file: ``normalized`` rows, ``problems`` rows, and how it was read."""

    normalized: pd.DataFrame
    problems: pd.DataFrame
    layout: Layout
    rubric: Rubric
    filename: str
    notes: tuple[str, ...] = field(default=())
    # How the model was chosen (None when the caller passed a rubric to normalize) and how each
    # distinct area value was read (exact, a spelling, the user's choice, or not at all).
    choice: ModelChoice | None = None
    area_matches: tuple[AreaMatch, ...] = ()

    @property
    def rubric_id(self) -> str:
        return self.rubric.id

    @property
    def spelling_matches(self) -> tuple[AreaMatch, ...]:
        """The area values read as a close spelling of an area: each one for the user to confirm."""
        return tuple(m for m in self.area_matches if m.how == "spelling")

    @property
    def units(self) -> list[str]:
        """Units in the order they first appear."""
        return list(self._units)

    @cached_property
    def _units(self) -> tuple[str, ...]:
        # Every rerun of every page asks; for 39,000 rows finding them takes a millisecond or two each time.
        return tuple(pd.unique(self.normalized["unit"]))

    @property
    def rows_with_problems(self) -> int:
        """The rows (of each file, for files read together) that have a problem."""
        if not len(self.problems):
            return 0
        where = ["source_file"] if "source_file" in self.problems else []
        return int(self.problems[[*where, "source_sheet", "source_row"]].drop_duplicates().shape[0])

    def summary(self) -> str:
        """One line for people: what was read, what was kept, what needs a look."""
        sheets = len(self.layout.sheets) + 2 * len(self.layout.pairs) + len(self.layout.stacked)
        skipped = f"; skipped sheets: {', '.join(s.sheet for s in self.layout.skipped)}" if self.layout.skipped else ""
        warned = int(self.normalized["warning"].notna().sum()) if "warning" in self.normalized else 0
        warnings = f", {warned} with warnings" if warned else ""
        problems = self.rows_with_problems
        return (
            f"{self.filename}: {len(self.normalized)} rows normalized{warnings}, {problems} row{'s' * (problems != 1)} "
            f"with problems, from {sheets} sheet{'s' * (sheets != 1)}{skipped}"
        )
