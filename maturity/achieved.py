"""Steps achieved: which steps of an earlier assessment's roadmap a later assessment shows as reached.

A step (one unit, one practice, one level to reach: :func:`maturity.build_roadmap`) is reached when the
later assessment's current level for that unit and practice is at least the level the step reaches
(for a fractional model, the score it reaches). A practice is the same one in both when its rubric id
is (its text when the row has none, as in a file's own model), within the same unit and area.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .roadmap import WHOLE_DIMENSION

__all__ = ["ACHIEVED_COLUMNS", "STEP_STATUSES", "achieved_by_phase", "steps_achieved"]

ACHIEVED_COLUMNS = ("phase", "unit", "dimension", "dimension_name", "practice", "from_level", "to_level", "to_label",
                    "current_after", "status")
STEP_STATUSES = ("reached", "not yet", "not assessed")  # not assessed: no level for it in the later assessment
_KEYS = ["unit", "dimension", "_practice"]
_TOLERANCE = 1e-9


def _practice_key(rows: pd.DataFrame) -> pd.Series:
    ids = rows["practice_id"] if "practice_id" in rows else pd.Series(pd.NA, index=rows.index)
    texts = rows["practice"].astype(object).where(rows["practice"].notna(), WHOLE_DIMENSION)
    return ("id:" + ids.astype(object).astype(str)).where(ids.notna(), "text:" + texts.astype(str))


def steps_achieved(roadmap: pd.DataFrame, later: pd.DataFrame) -> pd.DataFrame:
    """Each step of ``roadmap`` (an earlier assessment's, in its order) with ``current_after``, the later
    assessment's current level of its unit and practice (``later``: its normalized rows; the mean where
    several rows hold one practice; rows that do not apply left out), and ``status``: ``reached``, ``not
    yet``, or ``not assessed`` (no current level for it later). Columns ``ACHIEVED_COLUMNS``."""
    if roadmap.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ACHIEVED_COLUMNS})
    rows = later
    if "applicable" in rows:
        rows = rows[rows["applicable"].astype(bool)]
    levels = pd.DataFrame({"unit": rows["unit"].astype(object), "dimension": rows["dimension"].astype(object),
                           "_practice": _practice_key(rows),
                           "current_after": pd.to_numeric(rows["current_level"], errors="coerce").astype(float)})
    levels = levels.groupby(_KEYS, sort=False)["current_after"].mean().reset_index()
    steps = roadmap.assign(_practice=_practice_key(roadmap), unit=roadmap["unit"].astype(object),
                           dimension=roadmap["dimension"].astype(object))
    merged = steps.merge(levels, on=_KEYS, how="left", sort=False)
    after = merged["current_after"].to_numpy(dtype=float)
    reaches = pd.to_numeric(merged["to_level"], errors="coerce").to_numpy(dtype=float)
    merged["status"] = np.where(np.isnan(after), "not assessed",
                                np.where(after >= reaches - _TOLERANCE, "reached", "not yet"))
    return merged[list(ACHIEVED_COLUMNS)]


def achieved_by_phase(achieved: pd.DataFrame) -> pd.DataFrame:
    """Per phase of :func:`steps_achieved`'s steps: ``phase``, ``steps``, ``reached``, ``share`` (0–1)."""
    if achieved.empty:
        return pd.DataFrame({"phase": pd.Series(dtype=int), "steps": pd.Series(dtype=int),
                             "reached": pd.Series(dtype=int), "share": pd.Series(dtype=float)})
    grouped = achieved.assign(_reached=achieved["status"] == "reached").groupby("phase", sort=True)["_reached"]
    table = pd.DataFrame({"steps": grouped.size(), "reached": grouped.sum().astype(int)}).reset_index()
    table["share"] = table["reached"] / table["steps"]
    return table
