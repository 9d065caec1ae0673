"""Snapshots of assessments in a database: SQLite by default, PostgreSQL for shared deployments.

A maturity programme is a loop (assess, plan, reassess next quarter), and a snapshot is one turn of
it: an organisation's assessment as of a date, with its model, source files, corrections, target
edits, normalized rows and problem rows, saved in one transaction and never changed after. History
and differences between snapshots are computed by the database::

    store = open_store()                                    # GAPMAP_DATABASE_URL, or ~/.gapmap/gapmap.db
    snapshot_id = save_snapshot(store, [assessment], "Acme", "2026-03-31", "Q1 2026")
    list_snapshots(store, "Acme")                           # id, as_of, label, model, units, rows, …
    history(store, "Acme")                                  # snapshot × unit × area mean levels
    diff(store, "Acme", "Q1 2026", "2026-06-30")            # before, after, change, status
    load_snapshot(store, snapshot_id).assessment            # the assessment exactly as saved

The schema is created and upgraded by the Alembic migrations in ``migrations/`` the first time a
process opens a database (never by ``create_all``); a database written by a newer gapmap is refused.
Every failure meant for users is a :class:`~maturity.errors.StoreError` with a one-line message.
"""

from __future__ import annotations

from .codec import AppliedCorrections, corrections_from_dict, corrections_to_dict
from .combine import check_overlap, combine
from .connect import HEAD, Store, database_url, open_store
from .edits import EDIT_COLUMNS, apply_target_edits, target_edits
from .progress import (
    DIFF_COLUMNS,
    HISTORY_COLUMNS,
    STATUSES,
    area_levels,
    compare,
    diff,
    history,
    regressions,
    snapshot_levels,
)
from .snapshots import (
    SNAPSHOT_COLUMNS,
    Snapshot,
    SnapshotInfo,
    Source,
    SourceFile,
    delete_snapshot,
    list_snapshots,
    load_snapshot,
    organisations,
    parse_as_of,
    resolve_snapshot,
    save_snapshot,
    snapshot_infos,
)

__all__ = [
    "DIFF_COLUMNS",
    "EDIT_COLUMNS",
    "HEAD",
    "HISTORY_COLUMNS",
    "SNAPSHOT_COLUMNS",
    "STATUSES",
    "AppliedCorrections",
    "Snapshot",
    "SnapshotInfo",
    "Source",
    "SourceFile",
    "Store",
    "apply_target_edits",
    "area_levels",
    "check_overlap",
    "combine",
    "compare",
    "corrections_from_dict",
    "corrections_to_dict",
    "database_url",
    "delete_snapshot",
    "diff",
    "history",
    "list_snapshots",
    "load_snapshot",
    "open_store",
    "organisations",
    "parse_as_of",
    "regressions",
    "resolve_snapshot",
    "save_snapshot",
    "snapshot_infos",
    "snapshot_levels",
    "target_edits",
]
