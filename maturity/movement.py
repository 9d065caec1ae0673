"""What moved in an organisation's history (:func:`maturity.store.history`, one row per snapshot × unit ×
area): which unit × areas went up or down since the previous snapshot, and which have stayed at the same
level for several snapshots while still short of their target.

Plain pandas over the history's rows (a few per unit and area, already averaged by the database), never
over the saved practice rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .store.progress import compare

__all__ = ["MOVEMENT_COLUMNS", "STUCK_COLUMNS", "movements", "snapshot_order", "stuck"]

MOVEMENT_COLUMNS = ("unit", "dimension", "dimension_name", "current_before", "current_after", "change",
                    "target_after", "status")
STUCK_COLUMNS = ("unit", "dimension", "dimension_name", "current_level", "target_level", "gap", "snapshots", "since")


def snapshot_order(history: pd.DataFrame) -> list[int]:
    """The snapshots of ``history`` in its order (oldest as-of date first)."""
    return list(pd.unique(history["snapshot"]))


def _levels(history: pd.DataFrame, snapshot: int) -> pd.DataFrame:
    return history[history["snapshot"] == snapshot]


def movements(history: pd.DataFrame) -> pd.DataFrame:
    """The unit × areas whose current level rose or fell from the snapshot before the latest one to the
    latest (``MOVEMENT_COLUMNS``, status ``improved`` or ``regressed``): the regressions first, largest
    fall first, then the improvements, largest rise first. Empty with fewer than two snapshots."""
    order = snapshot_order(history)
    if len(order) < 2:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in MOVEMENT_COLUMNS})
    compared = compare(_levels(history, order[-2]), _levels(history, order[-1]))
    moved = compared[compared["status"].isin(("improved", "regressed"))]
    regressed = moved[moved["status"] == "regressed"].sort_values("change", kind="stable")
    improved = moved[moved["status"] == "improved"].sort_values("change", ascending=False, kind="stable")
    return pd.concat([regressed, improved])[list(MOVEMENT_COLUMNS)].reset_index(drop=True)


def stuck(history: pd.DataFrame, at_least: int = 2) -> pd.DataFrame:
    """The unit × areas of the latest snapshot still short of their target whose current level has been
    the same for ``at_least`` snapshots or more, counting back from the latest without a gap
    (``STUCK_COLUMNS``: ``snapshots`` how many, ``since`` the first of them, by its label or as-of date),
    longest first. A unit × area missing from a snapshot starts its count again after it."""
    order = snapshot_order(history)
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in STUCK_COLUMNS})
    if len(order) < at_least or history.empty:
        return empty
    latest = _levels(history, order[-1]).reset_index(drop=True)
    keys = pd.MultiIndex.from_frame(latest[["unit", "dimension"]].astype(object))
    grid = (history.pivot_table(index=["unit", "dimension"], columns="snapshot", values="current_level",
                                aggfunc="first", dropna=False)
            .reindex(index=keys, columns=order).to_numpy(dtype=float))
    same = np.isclose(grid, grid[:, [-1]], rtol=0, atol=1e-9) & ~np.isnan(grid)
    run = np.cumprod(same[:, ::-1], axis=1).sum(axis=1)  # equal levels counting back from the latest
    names = {snapshot: (label or as_of) for snapshot, label, as_of in
             history[["snapshot", "label", "as_of"]].drop_duplicates("snapshot").itertuples(index=False)}
    latest["snapshots"] = run
    latest["since"] = [names[order[len(order) - count]] if count else "" for count in run]
    short = latest["gap"].fillna(0) > 0
    found = latest[(latest["snapshots"] >= at_least) & short]
    return found.sort_values("snapshots", ascending=False, kind="stable")[list(STUCK_COLUMNS)].reset_index(drop=True)
