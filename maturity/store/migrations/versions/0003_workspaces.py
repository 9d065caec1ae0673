"""Workspaces: every snapshot belongs to one (those saved before are in "default"), and the audit log
says in which workspace each action was, and records opening and exporting too (an action about no one
snapshot, such as exporting a history, has none).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN, never a copy of the table: on SQLite, dropping the old snapshots table would
    # cascade to every row of every snapshot.
    op.add_column("snapshots", sa.Column("workspace", sa.String(100), nullable=False, server_default="default"))
    op.create_index("ix_snapshots_workspace_organisation", "snapshots", ["workspace", "organisation", "as_of"])
    with op.batch_alter_table("audit_log") as batch:  # nothing refers to the audit log: copying it is safe
        batch.add_column(sa.Column("workspace", sa.String(100), nullable=False, server_default="default"))
        batch.alter_column("snapshot_id", existing_type=sa.Integer, nullable=True)
        batch.create_index("ix_audit_log_workspace_at", ["workspace", "at"])


def downgrade() -> None:
    op.execute("DELETE FROM audit_log WHERE snapshot_id IS NULL")  # revision 0002 had no place for them
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_index("ix_audit_log_workspace_at")
        batch.alter_column("snapshot_id", existing_type=sa.Integer, nullable=False)
        batch.drop_column("workspace")
    op.drop_index("ix_snapshots_workspace_organisation", table_name="snapshots")
    op.drop_column("snapshots", "workspace")
