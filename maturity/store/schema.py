"""The store's tables, as SQLAlchemy Core metadata: what the queries are written against.

The migrations in ``migrations/versions/`` create and change these tables; a test compares the
migrated database with this metadata, so the two cannot drift apart. A new saved field is a migration,
a column here, and a line in the snapshot round-trip test.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

__all__ = ["audit_log", "metadata", "snapshot_problems", "snapshot_rows", "snapshot_sources", "snapshots"]

metadata = MetaData()

snapshots = Table(
    "snapshots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("organisation", String(200), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("label", String(200), nullable=False),
    Column("model_id", String(100), nullable=False),
    Column("model_version", String(100), nullable=False),
    Column("model_name", String(300), nullable=False),
    Column("model_fingerprint", String(64), nullable=False),
    Column("rubric", Text, nullable=False),  # the whole model as JSON: a snapshot never looks one up by id again
    Column("corrections", Text, nullable=False),  # JSON: the layout corrections applied
    Column("target_edits", Text, nullable=False),  # JSON: the targets changed by hand
    Column("unit_count", Integer, nullable=False),
    Column("row_count", Integer, nullable=False),
    Column("problem_count", Integer, nullable=False),
    Column("saved_by", String(200), nullable=True),  # who saved it, once there is sign-in
    Column("saved_at", DateTime, nullable=False),  # UTC
    Column("gapmap_version", String(40), nullable=False),
    # Who may see it (maturity.store.access); listed last because migration 0003 added it.
    Column("workspace", String(100), nullable=False, server_default="default"),
    Index("ix_snapshots_organisation_as_of", "organisation", "as_of"),
    Index("ix_snapshots_workspace_organisation", "workspace", "organisation", "as_of"),
)

snapshot_sources = Table(
    "snapshot_sources",
    metadata,
    Column("snapshot_id", Integer, ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("filename", String(500), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("content", LargeBinary, nullable=True),  # None when keeping the bytes is turned off
    Column("reading", Text, nullable=False),  # JSON: the layout, notes, model choice and column types
)

snapshot_rows = Table(
    "snapshot_rows",
    metadata,
    Column("snapshot_id", Integer, ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("source_file", Integer, nullable=False),
    Column("unit", Text, nullable=False),
    Column("dimension", Text, nullable=False),
    Column("dimension_name", Text, nullable=True),
    Column("practice", Text, nullable=True),
    Column("practice_id", Text, nullable=True),
    Column("current_level", Double, nullable=True),
    Column("target_level", Double, nullable=True),
    Column("gap", Double, nullable=True),
    Column("applicable", Boolean, nullable=False),
    Column("source_sheet", Text, nullable=True),
    Column("source_row", Integer, nullable=True),
    Column("extra", Text, nullable=True),  # JSON: the optional columns (priority, owner, notes, cells, phases…)
)

snapshot_problems = Table(
    "snapshot_problems",
    metadata,
    Column("snapshot_id", Integer, ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("source_file", Integer, nullable=False),
    Column("source_sheet", Text, nullable=True),
    Column("source_row", Integer, nullable=True),
    Column("cell", Text, nullable=True),
    Column("column", Text, nullable=True),
    Column("value", Text, nullable=True),
    Column("problem", Text, nullable=True),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),  # UTC
    Column("action", String(40), nullable=False),  # save | open | export | delete
    Column("organisation", String(200), nullable=False),
    Column("snapshot_id", Integer, nullable=True),  # no foreign key: a deleted snapshot's entry stays; None
    #                                                 for an export of several (a history)
    Column("actor", String(200), nullable=True),
    Column("detail", Text, nullable=False),  # JSON: label, as-of date, rows, what was exported, the reason given
    Column("workspace", String(100), nullable=False, server_default="default"),
    Index("ix_audit_log_workspace_at", "workspace", "at"),
)
