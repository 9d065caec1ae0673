"""The numbers the charts and pages show: average levels and gaps per dimension and unit, the headline
figures, the largest gaps, a dimension's practices. Array work, no figures."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..distinct import map_distinct
from ..rubric import Rubric


def _applies(normalized: pd.DataFrame) -> np.ndarray:
    """Whether each row applies (not marked N/A), as a numpy array; every row without the column."""
    return (np.array(normalized["applicable"], dtype=bool) if "applicable" in normalized
            else np.ones(len(normalized), dtype=bool))


def _levels(normalized: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(applies, current, target, gap)`` as numpy arrays over every row: levels as floats (NaN when
    missing) and the gap as ``max(target − current, 0)``."""
    applies = _applies(normalized)
    current = pd.to_numeric(normalized["current_level"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    target = pd.to_numeric(normalized["target_level"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return applies, current, target, np.clip(target - current, 0, None)


def _group_means(groups: np.ndarray, size: int, **columns: np.ndarray) -> dict[str, np.ndarray]:
    """Per group ``0..size-1`` (rows with a negative group left out): the mean of each column, NaN
    skipped, NaN for a group without values, and ``size``, the count of rows."""
    keep = groups >= 0
    groups = groups[keep]
    result = {"size": np.bincount(groups, minlength=size)}
    for name, values in columns.items():
        values = values[keep]
        known = ~np.isnan(values)
        total = np.bincount(groups[known], weights=values[known], minlength=size)
        count = np.bincount(groups[known], minlength=size)
        result[name] = np.divide(total, count, out=np.full(size, np.nan), where=count > 0)
    return result


def _largest(units: pd.Index, amounts: np.ndarray, top: int) -> list[str]:
    """The ``top`` units with the largest ``amounts``, largest first (ties, and NaN last, in file order)."""
    order = np.argsort(-np.nan_to_num(amounts, nan=-np.inf), kind="stable")[:top]
    return [units[position] for position in order]


def dimension_averages(normalized: pd.DataFrame, rubric: Rubric, by_unit: bool = False) -> pd.DataFrame:
    """Average current, target and gap per dimension (per unit and dimension with ``by_unit``).

    Returns columns ``[unit,] dimension, dimension_name, current, target, gap, practices`` with every
    rubric dimension present in rubric order (NaN where a unit has no row for it); units keep the
    order in which they first appear.
    """
    applies, current, target, gap = _levels(normalized)
    dimensions = list(rubric.dimension_ids)
    codes, found = pd.factorize(normalized["dimension"])
    position = np.array([dimensions.index(d) if d in dimensions else -1 for d in found] + [-1], dtype=np.intp)
    cell = position[codes]  # code -1 (no dimension) takes the last entry, -1
    if by_unit:
        unit_code, units = pd.factorize(normalized["unit"])  # in order of first appearance, as pd.unique
        cell = np.where(cell >= 0, unit_code * len(dimensions) + cell, -1)
        means = pd.MultiIndex.from_product([list(units), dimensions], names=["unit", "dimension"]).to_frame(index=False)
    else:
        means = pd.DataFrame({"dimension": dimensions})
    stats = _group_means(np.where(applies, cell, -1), len(means), current=current, target=target, gap=gap)
    for column in ("current", "target", "gap"):
        means[column] = stats[column]
    means["practices"] = stats["size"].astype(int)
    names = means["dimension"].map({d.id: d.name for d in rubric.dimensions})
    means.insert(2 if by_unit else 1, "dimension_name", names)
    return means


def headline(normalized: pd.DataFrame, rubric: Rubric, unit: str | None = None) -> dict[str, float]:
    """The headline figures of one unit (None: every unit): ``units``, ``practices`` (rows that apply),
    the average ``current``, ``target`` and ``gap`` (levels still to climb, 0 at or above target; NaN
    without data) over the rows that apply, and ``steps``, the level steps to plan."""
    rows = normalized if unit is None else normalized[normalized["unit"] == unit]
    applies, current, target, gap = _levels(rows)  # normalized's gap column is target − current too
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the mean of no values is NaN, as it should be
        return {"units": int(rows["unit"].nunique()), "practices": int(applies.sum()),
                "current": float(np.nanmean(current[applies])), "target": float(np.nanmean(target[applies])),
                "gap": float(np.nanmean(gap[applies])), "steps": int(np.nansum(gap[applies]))}


def largest_gaps(normalized: pd.DataFrame, rubric: Rubric, unit: str | None = None, dimension: str | None = None,
                 count: int = 8) -> pd.DataFrame:
    """The ``count`` practices that apply with the largest gaps (ties in file order), of one unit and one
    dimension (None: all): ``unit, dimension_name, practice, current, target`` (level names) and ``gap``."""
    keep = _applies(normalized)
    if unit is not None:
        keep &= (normalized["unit"] == unit).to_numpy()
    if dimension is not None:
        keep &= (normalized["dimension"] == dimension).to_numpy()
    rows = normalized[keep]
    rows = rows.assign(gap=rows["gap"].clip(lower=0)).sort_values("gap", ascending=False, kind="stable").head(count)
    return rows.assign(current=level_names(rows["current_level"], rubric),
                       target=level_names(rows["target_level"], rubric))[
        ["unit", "dimension_name", "practice", "current", "target", "gap"]]


def practice_rows(normalized: pd.DataFrame, rubric: Rubric, dimension: str, unit: str | None = None) -> pd.DataFrame:
    """The rows that apply of one dimension and one unit (None: every unit), with their levels' names
    as ``current`` and ``target``: what a page lists to edit targets, keeping the normalized index."""
    keep = _applies(normalized) & (normalized["dimension"] == dimension).to_numpy()
    if unit is not None:
        keep &= (normalized["unit"] == unit).to_numpy()
    rows = normalized[keep]
    return rows.assign(current=level_names(rows["current_level"], rubric),
                       target=level_names(rows["target_level"], rubric))


def level_names(levels: pd.Series, rubric: Rubric) -> pd.Series:
    """Each level's name ('Intermediate'); a fractional score as the level reached and how far into the next
    ('Initial implementation, 0.625 into Structured realization'); None where there is no level."""
    names = map_distinct(levels, lambda v: None if v is None or pd.isna(v) else rubric.score_name(v))
    return names.astype("str")  # pandas' text dtype, as a mapping of names would give (grids draw it as text)
