"""Targets changed by hand, as rows that name what they change: ``unit, dimension, practice,
source_sheet, source_row, target_level``. A row index means nothing once a file is read again; these
keys find the same row in a snapshot read back, or in the file read anew with the same corrections."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..normalize import Assessment
from ..targets import retarget

__all__ = ["EDIT_COLUMNS", "apply_target_edits", "target_edits"]

EDIT_KEYS = ("unit", "dimension", "practice", "source_sheet", "source_row")
EDIT_COLUMNS = (*EDIT_KEYS, "target_level")


def target_edits(assessment: Assessment, levels: Mapping[int, float]) -> pd.DataFrame:
    """The edit rows of ``levels`` (``{normalized row index: target level}``, as the dashboard keeps them)."""
    index = list(levels)
    rows = assessment.normalized.loc[index, list(EDIT_KEYS)].reset_index(drop=True)
    return rows.assign(target_level=[float(levels[i]) for i in index])[list(EDIT_COLUMNS)]


def _keys(frame: pd.DataFrame) -> pd.MultiIndex:
    keyed = frame[list(EDIT_KEYS)].astype(object).where(frame[list(EDIT_KEYS)].notna(), "")
    keyed["source_row"] = keyed["source_row"].map(lambda v: "" if v == "" else int(v))
    return pd.MultiIndex.from_frame(keyed.astype(str))


def apply_target_edits(assessment: Assessment, edits: pd.DataFrame | None) -> Assessment:
    """``assessment`` with the targets ``edits`` names (gaps and warnings follow; an edit already applied
    changes nothing). Raises ValueError when an edit names no row of ``assessment``, or a level outside
    its model."""
    if edits is None or not len(edits):
        return assessment
    position = pd.Series(range(len(assessment.normalized)), index=_keys(assessment.normalized))
    position = position[~position.index.duplicated()]
    keys = _keys(edits)
    missing = ~keys.isin(position.index)
    if missing.any():
        raise ValueError(f"{int(missing.sum())} target edits name no row of {assessment.filename}: "
                         f"{[tuple(k) for k in keys[missing][:3]]}")
    rows = assessment.normalized.index[position.loc[keys].to_numpy()]
    return retarget(assessment, pd.Series(edits["target_level"].to_numpy(dtype=float), index=rows))
