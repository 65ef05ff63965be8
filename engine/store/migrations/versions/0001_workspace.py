"""The workspace: projects, scenarios and their append-only history.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
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
        "projects",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("criteria_label", sa.Text, nullable=False),
        sa.Column("criteria_yaml", sa.Text, nullable=False),
        sa.Column("criteria_sha256", sa.String(64), nullable=False),
        sa.Column("catalogue_label", sa.Text, nullable=False),
        sa.Column("catalogue_yaml", sa.Text, nullable=False),
        sa.Column("catalogue_sha256", sa.String(64), nullable=False),
        sa.Column("evidence_label", sa.Text, nullable=False),
        sa.Column("evidence_yaml", sa.Text, nullable=False),
        sa.Column("evidence_sha256", sa.String(64), nullable=False),
        sa.Column("presets", sa.Text, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("created", sa.String(32), nullable=False),
        sa.Column("updated", sa.String(32), nullable=False),
    )
    op.create_table(
        "scenarios",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "project_id", sa.String(64), sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("settings", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created", sa.String(32), nullable=False),
        sa.Column("updated", sa.String(32), nullable=False),
        sa.Column("top", sa.Text, nullable=True),
        sa.Column("top_revision", sa.Integer, nullable=True),
        sa.UniqueConstraint("project_id", "name", name="uq_scenarios_project_name"),
    )
    op.create_table(
        "history",
        sa.Column(
            "project_id", sa.String(64), sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("who", sa.Text, nullable=False),
        sa.Column("entity", sa.String(16), nullable=False),
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("from_state", sa.Text, nullable=True),
        sa.Column("to_state", sa.Text, nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("project_id", "seq", name="pk_history"),
    )
    op.create_index("ix_history_entity", "history", ["project_id", "entity_id"])


def downgrade() -> None:
    op.drop_index("ix_history_entity", table_name="history")
    op.drop_table("history")
    op.drop_table("scenarios")
    op.drop_table("projects")
