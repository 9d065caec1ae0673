"""Snapshots of assessments in a database: SQLite by default, PostgreSQL for shared deployments.

A maturity programme is a loop (assess, plan, reassess next quarter), and a snapshot is one turn of
it: an organisation's assessment as of a date, with its model, source files, corrections, target
edits, normalized rows and problem rows, saved in one transaction and never changed after. History
and differences between snapshots are computed by the database::

    store = open_store()                                    # GAPMAP_DATABASE_URL, or ~/.gapmap/gapmap.db
    me = Access.operator_named()                            # or an access file's Access for a signed-in user
    snapshot_id = save_snapshot(store, [assessment], "Acme", "2026-03-31", "Q1 2026", access=me,
                                workspace="default")
    list_snapshots(store, "Acme", access=me)                # id, as_of, label, model, units, rows, …
    history(store, "Acme", access=me)                       # snapshot × unit × area mean levels
    diff(store, "Acme", "Q1 2026", "2026-06-30", access=me) # before, after, change, status
    load_snapshot(store, snapshot_id, access=me).assessment # the assessment exactly as saved

Every read and write takes an :class:`Access` (``access.py``): a snapshot belongs to a workspace, and a
user outside it finds nothing; viewers read, editors save, admins delete and read the audit log
(``audit.py``). Who is in which workspace comes from the access file (``access_file.py``).

The schema is created and upgraded by the Alembic migrations in ``migrations/`` the first time a
process opens a database (never by ``create_all``); a database written by a newer gapmap is refused.
Every failure meant for users is a :class:`~maturity.errors.StoreError` with a one-line message.
"""

from __future__ import annotations

from .access import DEFAULT_WORKSPACE, ROLES, Access
from .access_file import ACCESS_FILE_VARIABLE, AccessFile, AccessPolicy, access_file, policy_from_yaml
from .audit import AUDIT_COLUMNS, audit_trail, record_export
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
from .save import save_snapshot
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
    snapshot_infos,
)

__all__ = [
    "ACCESS_FILE_VARIABLE",
    "AUDIT_COLUMNS",
    "DEFAULT_WORKSPACE",
    "DIFF_COLUMNS",
    "EDIT_COLUMNS",
    "HEAD",
    "HISTORY_COLUMNS",
    "ROLES",
    "SNAPSHOT_COLUMNS",
    "STATUSES",
    "Access",
    "AccessFile",
    "AccessPolicy",
    "AppliedCorrections",
    "Snapshot",
    "SnapshotInfo",
    "Source",
    "SourceFile",
    "Store",
    "access_file",
    "apply_target_edits",
    "area_levels",
    "audit_trail",
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
    "policy_from_yaml",
    "record_export",
    "regressions",
    "resolve_snapshot",
    "save_snapshot",
    "snapshot_infos",
    "snapshot_levels",
    "target_edits",
]
