"""What moved between snapshots: each unit × area's mean levels per snapshot (in SQL, over however many
rows the organisation has saved), the difference between two snapshots, and what fell since one.

A unit × area's levels are the means over that unit's rows in that area that apply (a row marked not
applicable counts nowhere); its gap is the mean of each row's gap as the dashboard's heatmap counts it,
a practice above its target counting 0. Means are rounded to 6 decimals, below any level's precision,
so float noise never reads as movement.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import and_, case, func, select

from .access import Access, readable
from .connect import Store
from .schema import snapshot_rows, snapshots
from .snapshots import _text, resolve_snapshot

__all__ = ["DIFF_COLUMNS", "HISTORY_COLUMNS", "STATUSES", "area_levels", "compare", "diff", "history",
           "regressions", "snapshot_levels"]

HISTORY_COLUMNS = ("snapshot", "label", "as_of", "unit", "dimension", "dimension_name", "current_level",
                   "target_level", "gap")
LEVEL_COLUMNS = ("unit", "dimension", "dimension_name", "current_level", "target_level", "gap")
DIFF_COLUMNS = ("unit", "dimension", "dimension_name", "current_before", "current_after", "change", "target_before",
                "target_after", "status")
STATUSES = ("improved", "regressed", "unchanged", "added", "removed")
_DECIMALS = 6


def _levels_query(*where):
    rows = snapshot_rows.c
    both = and_(rows.current_level.is_not(None), rows.target_level.is_not(None))
    climb = case((both & (rows.target_level > rows.current_level), rows.target_level - rows.current_level),
                 (both, 0.0), else_=None)
    return (
        select(snapshots.c.id.label("snapshot"), snapshots.c.label, snapshots.c.as_of, rows.unit, rows.dimension,
               func.max(rows.dimension_name).label("dimension_name"),
               func.avg(rows.current_level).label("current_level"), func.avg(rows.target_level).label("target_level"),
               func.avg(climb).label("gap"), func.min(rows.position).label("first_row"))
        .select_from(snapshots.join(snapshot_rows, snapshot_rows.c.snapshot_id == snapshots.c.id))
        .where(rows.applicable, *where)
        .group_by(snapshots.c.id, snapshots.c.label, snapshots.c.as_of, rows.unit, rows.dimension)
        .order_by(snapshots.c.as_of, snapshots.c.id, "first_row")
    )


def _frame(store: Store, query) -> pd.DataFrame:
    with store.reading() as connection:
        result = connection.execute(query)
        frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    frame = frame.drop(columns="first_row")
    for column in ("current_level", "target_level", "gap"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float).round(_DECIMALS)
    frame["as_of"] = frame["as_of"].map(lambda d: d.isoformat() if hasattr(d, "isoformat") else str(d))
    return frame


def history(store: Store, org: str, *, access: Access, workspace: str | None = None) -> pd.DataFrame:
    """Every snapshot of ``org`` that ``access`` may see (in ``workspace`` when one is named) × unit × area
    with its mean levels, one row each (``HISTORY_COLUMNS``), oldest snapshot first and each snapshot's
    units and areas in the order of its rows; computed by the database. Empty when there are none."""
    organisation = _text(org, "an organisation", True)
    frame = _frame(store, _levels_query(snapshots.c.organisation == organisation,
                                        readable(access, snapshots.c.workspace, workspace)))
    return frame[list(HISTORY_COLUMNS)].reset_index(drop=True)


def snapshot_levels(store: Store, snapshot_id: int, *, access: Access) -> pd.DataFrame:
    """One snapshot's unit × area mean levels (``unit, dimension, dimension_name, current_level,
    target_level, gap``), computed by the database; no rows when ``access`` may not see it."""
    frame = _frame(store, _levels_query(snapshots.c.id == int(snapshot_id), readable(access, snapshots.c.workspace)))
    return frame[list(LEVEL_COLUMNS)].reset_index(drop=True)


def area_levels(normalized: pd.DataFrame) -> pd.DataFrame:
    """:func:`snapshot_levels` of rows not saved (a file just read), in pandas, by the same rules."""
    rows = normalized
    if "applicable" in rows:
        rows = rows[rows["applicable"].astype(bool)]
    current = pd.to_numeric(rows["current_level"], errors="coerce").astype(float)
    target = pd.to_numeric(rows["target_level"], errors="coerce").astype(float)
    frame = pd.DataFrame({"unit": rows["unit"].astype(object), "dimension": rows["dimension"].astype(object),
                          "dimension_name": rows["dimension_name"].astype(object), "current_level": current,
                          "target_level": target, "gap": (target - current).clip(lower=0)})
    levels = frame.groupby(["unit", "dimension"], sort=False, dropna=False).agg(
        dimension_name=("dimension_name", "max"), current_level=("current_level", "mean"),
        target_level=("target_level", "mean"), gap=("gap", "mean")).reset_index()
    for column in ("current_level", "target_level", "gap"):
        levels[column] = levels[column].round(_DECIMALS)
    return levels[list(LEVEL_COLUMNS)]


def compare(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Each unit × area of two level tables (:func:`snapshot_levels`) side by side (``DIFF_COLUMNS``):
    ``change`` is the current level's, and ``status`` improved, regressed or unchanged by it, added (only
    after) or removed (only before). Rows follow ``after``'s order, then the removed ones."""
    keys = ["unit", "dimension"]
    merged = after[[*keys, "dimension_name", "current_level", "target_level"]].merge(
        before[[*keys, "dimension_name", "current_level", "target_level"]], on=keys, how="outer",
        suffixes=("_after", "_before"), indicator=True, sort=False)
    order = {key: i for i, key in enumerate(zip(after["unit"], after["dimension"], strict=True))}
    removed_order = {key: len(order) + i for i, key in enumerate(zip(before["unit"], before["dimension"],
                                                                         strict=True))}
    merged["_order"] = [order.get(k, removed_order.get(k)) for k in zip(merged["unit"], merged["dimension"],
                                                                           strict=True)]
    merged = merged.sort_values("_order", kind="stable").reset_index(drop=True)
    change = (merged["current_level_after"] - merged["current_level_before"]).round(_DECIMALS)
    status = pd.Series("unchanged", index=merged.index, dtype=object)
    status[change > 0] = "improved"
    status[change < 0] = "regressed"
    status[merged["_merge"] == "left_only"] = "added"
    status[merged["_merge"] == "right_only"] = "removed"
    return pd.DataFrame({
        "unit": merged["unit"], "dimension": merged["dimension"],
        "dimension_name": merged["dimension_name_after"].where(merged["dimension_name_after"].notna(),
                                                               merged["dimension_name_before"]),
        "current_before": merged["current_level_before"], "current_after": merged["current_level_after"],
        "change": change, "target_before": merged["target_level_before"],
        "target_after": merged["target_level_after"], "status": status,
    })[list(DIFF_COLUMNS)]


def diff(store: Store, org: str, old: str | int, new: str | int, *, access: Access,
         workspace: str | None = None) -> pd.DataFrame:
    """:func:`compare` of two snapshots of ``org``, each named by an id, a label or an as-of date, among
    those ``access`` may see (in ``workspace`` when one is named). Raises StoreError when ``org`` has no
    such snapshot there."""
    before = snapshot_levels(store, resolve_snapshot(store, org, old, access=access, workspace=workspace),
                             access=access)
    after = snapshot_levels(store, resolve_snapshot(store, org, new, access=access, workspace=workspace),
                            access=access)
    return compare(before, after)


def regressions(compared: pd.DataFrame) -> pd.DataFrame:
    """The rows of a :func:`compare` table whose current level fell."""
    return compared[compared["status"] == "regressed"].reset_index(drop=True)
