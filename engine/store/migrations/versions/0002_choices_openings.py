"""Scenarios keep the analysis choices beyond the settings; each user's open scenario is kept.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite cannot add a NOT NULL column with ALTER TABLE unless it has a default
    with op.batch_alter_table("scenarios") as batch:
        batch.add_column(sa.Column("choices", sa.Text, nullable=False, server_default="{}"))
    op.create_table(
        "openings",
        sa.Column(
            "project_id", sa.String(64), sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("who", sa.Text, nullable=False),
        sa.Column("scenario_id", sa.String(36), nullable=False),
        sa.Column("updated", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("project_id", "who", name="pk_openings"),
    )


def downgrade() -> None:
    op.drop_table("openings")
    with op.batch_alter_table("scenarios") as batch:
        batch.drop_column("choices")
