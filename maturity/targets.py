"""Target levels: the default target of a file that has none, targets changed by hand, and the gaps
and warnings that follow from them."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .distinct import map_distinct
from .errors import NoDataError
from .levels import level_dtype
from .matching import join_messages
from .rubric import Rubric, match_key

if TYPE_CHECKING:
    from .normalize import Assessment

__all__ = ["OVER_TARGET", "default_levels", "default_target_for", "retarget", "with_gaps"]

OVER_TARGET = "current is above target"


def default_levels(current: pd.Series, default_target: str, rubric: Rubric) -> pd.Series:
    """The target of each row of a current-only sheet: one whole level above current (capped at the top)
    for ``next``, else the level ``default_target`` names."""
    if default_target == "next":
        target = (np.floor(current.astype("Float64")) + 1).clip(upper=rubric.highest)
    else:
        target = pd.Series(float(default_target), index=current.index, dtype="Float64").where(current.notna())
    return target.astype(level_dtype(rubric))


def default_target_for(value: str, rubric: Rubric) -> str:
    """``value`` as a default target for ``rubric``: ``next`` or a level it has (by number or name)."""
    text = str(value).strip()
    if text.lower() == "next":
        return "next"
    level = rubric.level_lookup.get(match_key(text))
    if level is None:
        try:
            level = int(text)
        except ValueError:
            level = None
    if level is None or not rubric.lowest <= level <= rubric.highest:
        raise NoDataError(f"--default-target {text!r} is not a level of {rubric.label}: use next, or a level "
                          f"{rubric.lowest}–{rubric.highest} ({', '.join(lv.name for lv in rubric.levels)})")
    return str(level)


def retarget(assessment: Assessment, target_levels: pd.Series) -> Assessment:
    """A copy of ``assessment`` whose target levels are ``target_levels`` (aligned on the normalized index).

    Gaps and warnings follow. Raises ValueError for a level outside the rubric, or a fractional level
    for a whole-level rubric, since the caller (a page offering the rubric's levels) should never send one.
    """
    rubric = assessment.rubric
    targets = pd.to_numeric(pd.Series(target_levels), errors="raise").astype("Float64")
    targets = targets.reindex(assessment.normalized.index)
    outside = targets.notna() & ~targets.between(rubric.lowest, rubric.highest)
    if not rubric.fractional:
        outside |= targets.notna() & (targets.round() != targets).fillna(False)
    if outside.any():
        raise ValueError(f"target levels must be {rubric.lowest}–{rubric.highest}"
                         f"{'' if rubric.fractional else ', whole'}: {targets[outside].tolist()[:3]}")
    normalized = assessment.normalized.copy()
    normalized["target_level"] = targets.fillna(normalized["target_level"]).astype(level_dtype(rubric))
    return replace(assessment, normalized=with_gaps(normalized, rubric))


def with_gaps(frame: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Set ``gap`` = target − current and warn (not drop) where current is above target; a row's other
    warnings (an area read as a close spelling) stay."""
    frame["gap"] = (frame["target_level"] - frame["current_level"]).astype(level_dtype(rubric))
    over = (frame["current_level"] > frame["target_level"]).fillna(False)
    if "warning" in frame:
        others = map_distinct(frame["warning"], lambda w: "; ".join(
            p for p in w.split("; ") if p != OVER_TARGET) or None if isinstance(w, str) else None)
    else:
        others = pd.Series(None, index=frame.index, dtype=object)
    flagged = pd.Series(np.where(over, OVER_TARGET, None), index=frame.index, dtype=object)
    frame["warning"] = join_messages(flagged, others)
    return frame
