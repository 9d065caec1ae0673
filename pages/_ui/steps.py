"""The Roadmap page's view of the steps: which match a unit, a dimension and phases, and what the page
shows of them (counts, and the first rows for the table)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from maturity import Rubric, charts
from maturity.schedule import with_dates

TABLE_STEPS = 2_000  # rows of the steps table; more is a slow page and still no one reads them on screen

StepsView = tuple[str | None, str | None, tuple[int, ...]]  # (unit, dimension, phases); None and () mean all
Schedule = tuple[str, str] | None  # (the day phase 1 starts, ISO; the phase length, "1 quarter"); None: no dates


@dataclass(frozen=True)
class Steps:
    """The roadmap's steps for a unit, a dimension and phases, with what the Roadmap page shows of them."""

    shown: pd.DataFrame  # every step that matches
    units: int
    phases: int
    practices: int
    table: pd.DataFrame  # the first TABLE_STEPS, with short dimension names and each step's "from → to"


def steps_shown(roadmap: pd.DataFrame, unit: str | None, dimension: str | None,
                phases: tuple[int, ...]) -> pd.DataFrame:
    """The steps of ``roadmap`` for a unit, a dimension and phases (None and () mean all)."""
    if unit is not None:
        roadmap = roadmap[roadmap["unit"] == unit]
    if dimension is not None:
        roadmap = roadmap[roadmap["dimension"] == dimension]
    if phases:
        roadmap = roadmap[roadmap["phase"].isin(phases)]
    return roadmap


def steps_of(roadmap: pd.DataFrame, rubric: Rubric, view: StepsView, schedule: Schedule = None) -> Steps:
    """:class:`Steps` of ``roadmap`` (read against ``rubric``) for ``view``, their phases dated by
    ``schedule``. Filtered, the steps are ranked within what is shown, the organisation's rank kept as
    ``org_rank``."""
    shown = steps_shown(roadmap, *view)
    if len(shown) < len(roadmap):
        shown = shown.assign(rank=range(1, len(shown) + 1), org_rank=shown["rank"].to_numpy())
        columns = list(shown.columns)
        shown = shown[[columns[0], "org_rank", *columns[1:-1]]]
    if schedule is not None:
        shown = with_dates(shown, *schedule)
    first = shown.head(TABLE_STEPS)
    return Steps(shown, units=shown["unit"].nunique(), phases=shown["phase"].nunique(),
                 practices=len(shown[["unit", "dimension", "practice"]].drop_duplicates()),
                 table=first.assign(dimension=first["dimension"].map(charts.short_names(rubric)),
                                    step=first["from_label"] + " → " + first["to_label"],
                                    parts=_parts(first), asks=_asks(first)))


def _parts(steps: pd.DataFrame) -> pd.Series:
    """Each step's score in its parts, '2.0 + 1.5 − 0.5': the figures in one narrow column."""
    zeros = [0.0] * len(steps)
    gap, priority, effort = (steps[c].astype(float).tolist() if c in steps else zeros
                             for c in ("score_gap", "score_priority", "score_effort"))
    return pd.Series([f"{g:.1f} + {p:.1f} {'−' if e < 0 else '+'} {abs(e):.1f}"
                      for g, p, e in zip(gap, priority, effort, strict=True)], index=steps.index, dtype=object)


def _asks(steps: pd.DataFrame) -> pd.Series:
    """Priority and effort as the file says them, 'High · M' (blank where neither is given)."""
    parts = [steps[c].fillna("").astype(str) if c in steps else pd.Series("", index=steps.index)
             for c in ("priority", "effort")]
    return (parts[0] + " · " + parts[1]).str.strip(" ·")
