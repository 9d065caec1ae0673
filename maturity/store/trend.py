"""An organisation's figures per snapshot, computed by the database: what the Overview's headline says of
each snapshot (units, practices that apply, average current, target and gap, level steps), for the
whole organisation or per area, over however many rows the organisation has saved.

The averages are over the rows that apply, as :func:`maturity.charts.headline` counts them (a row's gap
is the levels still to climb, 0 at or above target), so a snapshot's trend point and the headline of
that snapshot opened in the dashboard are the same figures.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import and_, case, func, select

from .access import Access, readable
from .connect import Store
from .schema import snapshot_rows, snapshots
from .snapshots import _text

__all__ = ["TREND_COLUMNS", "organisation_trend"]

TREND_COLUMNS = ("snapshot", "label", "as_of", "units", "practices", "current_level", "target_level", "gap", "steps")
_DECIMALS = 6


def organisation_trend(store: Store, org: str, by_dimension: bool = False, *, access: Access,
                       workspace: str | None = None) -> pd.DataFrame:
    """One row per snapshot of ``org`` that ``access`` may see (in ``workspace`` when one is named),
    oldest first, with ``TREND_COLUMNS``; with ``by_dimension`` one row per snapshot and area
    (``dimension`` and ``dimension_name`` after ``as_of``, areas in the order of the snapshot's rows).
    Empty when there are none."""
    organisation = _text(org, "an organisation", True)
    rows = snapshot_rows.c
    applies = rows.applicable
    both = and_(applies, rows.current_level.is_not(None), rows.target_level.is_not(None))
    climb = case((both & (rows.target_level > rows.current_level), rows.target_level - rows.current_level),
                 (both, 0.0), else_=None)
    keys = [snapshots.c.id, snapshots.c.label, snapshots.c.as_of]
    area = [rows.dimension] if by_dimension else []
    query = (
        select(snapshots.c.id.label("snapshot"), snapshots.c.label, snapshots.c.as_of, *area,
               *([func.max(rows.dimension_name).label("dimension_name")] if by_dimension else []),
               func.count(func.distinct(rows.unit)).label("units"),
               func.sum(case((applies, 1), else_=0)).label("practices"),
               func.avg(case((applies, rows.current_level), else_=None)).label("current_level"),
               func.avg(case((applies, rows.target_level), else_=None)).label("target_level"),
               func.avg(climb).label("gap"), func.sum(climb).label("steps"),
               func.min(rows.position).label("first_row"))
        .select_from(snapshots.join(snapshot_rows, snapshot_rows.c.snapshot_id == snapshots.c.id))
        .where(snapshots.c.organisation == organisation, readable(access, snapshots.c.workspace, workspace))
        .group_by(*keys, *area)
        .order_by(snapshots.c.as_of, snapshots.c.id, "first_row")
    )
    with store.reading() as connection:
        result = connection.execute(query)
        frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    for column in ("current_level", "target_level", "gap", "steps"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float).round(_DECIMALS)
    for column in ("units", "practices"):
        frame[column] = pd.to_numeric(frame[column]).fillna(0).astype(int)
    frame["as_of"] = frame["as_of"].map(lambda d: d.isoformat() if hasattr(d, "isoformat") else str(d))
    columns = list(TREND_COLUMNS)
    if by_dimension:
        columns[3:3] = ["dimension", "dimension_name"]
    return frame[columns].reset_index(drop=True)
