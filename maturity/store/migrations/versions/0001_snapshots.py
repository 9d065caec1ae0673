"""Snapshots: one saved assessment each, with its source files, normalized rows and problem rows.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("organisation", sa.String(200), nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("model_id", sa.String(100), nullable=False),
        sa.Column("model_version", sa.String(100), nullable=False),
        sa.Column("model_name", sa.String(300), nullable=False),
        sa.Column("model_fingerprint", sa.String(64), nullable=False),
        sa.Column("rubric", sa.Text, nullable=False),
        sa.Column("corrections", sa.Text, nullable=False),
        sa.Column("target_edits", sa.Text, nullable=False),
        sa.Column("unit_count", sa.Integer, nullable=False),
        sa.Column("row_count", sa.Integer, nullable=False),
        sa.Column("problem_count", sa.Integer, nullable=False),
        sa.Column("saved_by", sa.String(200), nullable=True),
        sa.Column("saved_at", sa.DateTime, nullable=False),
        sa.Column("gapmap_version", sa.String(40), nullable=False),
    )
    op.create_index("ix_snapshots_organisation_as_of", "snapshots", ["organisation", "as_of"])
    op.create_table(
        "snapshot_sources",
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("filename", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=True),
        sa.Column("reading", sa.Text, nullable=False),
    )
    op.create_table(
        "snapshot_rows",
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("source_file", sa.Integer, nullable=False),
        sa.Column("unit", sa.Text, nullable=False),
        sa.Column("dimension", sa.Text, nullable=False),
        sa.Column("dimension_name", sa.Text, nullable=True),
        sa.Column("practice", sa.Text, nullable=True),
        sa.Column("practice_id", sa.Text, nullable=True),
        sa.Column("current_level", sa.Double, nullable=True),
        sa.Column("target_level", sa.Double, nullable=True),
        sa.Column("gap", sa.Double, nullable=True),
        sa.Column("applicable", sa.Boolean, nullable=False),
        sa.Column("source_sheet", sa.Text, nullable=True),
        sa.Column("source_row", sa.Integer, nullable=True),
        sa.Column("extra", sa.Text, nullable=True),
    )
    op.create_table(
        "snapshot_problems",
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("source_file", sa.Integer, nullable=False),
        sa.Column("source_sheet", sa.Text, nullable=True),
        sa.Column("source_row", sa.Integer, nullable=True),
        sa.Column("cell", sa.Text, nullable=True),
        sa.Column("column", sa.Text, nullable=True),
        sa.Column("value", sa.Text, nullable=True),
        sa.Column("problem", sa.Text, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("snapshot_problems")
    op.drop_table("snapshot_rows")
    op.drop_table("snapshot_sources")
    op.drop_index("ix_snapshots_organisation_as_of", table_name="snapshots")
    op.drop_table("snapshots")
