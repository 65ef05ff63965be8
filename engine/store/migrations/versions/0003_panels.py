"""Expert panels: their experts, access tokens (hashed), answers one row per item, submissions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _panel_id() -> sa.Column:
    return sa.Column(
        "panel_id", sa.String(36), sa.ForeignKey("panels.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "panels",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "project_id", sa.String(64), sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("asks", sa.String(16), nullable=False),
        sa.Column("options", sa.Text, nullable=False),
        sa.Column("survey_mapping", sa.Text, nullable=True),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("created", sa.String(32), nullable=False),
        sa.Column("updated", sa.String(32), nullable=False),
        sa.UniqueConstraint("project_id", "name", name="uq_panels_project_name"),
    )
    op.create_table(
        "panel_experts",
        _panel_id(),
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("group_id", sa.Text, nullable=True),
        sa.Column("weight", sa.Float, nullable=False),
        sa.Column("asks", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("panel_id", "id", name="pk_panel_experts"),
    )
    op.create_table(
        "panel_tokens",
        sa.Column("token_sha256", sa.String(64), primary_key=True),
        _panel_id(),
        sa.Column("expert_id", sa.String(64), nullable=False),
        sa.Column("created", sa.String(32), nullable=False),
        sa.Column("expires", sa.String(32), nullable=False),
        sa.Column("revoked", sa.Integer, nullable=False),
    )
    op.create_index("ix_panel_tokens_expert", "panel_tokens", ["panel_id", "expert_id"])
    op.create_table(
        "panel_answers",
        _panel_id(),
        sa.Column("expert_id", sa.String(64), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("item", sa.Text, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("saved", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("panel_id", "expert_id", "round", "item", name="pk_panel_answers"),
    )
    op.create_table(
        "panel_submissions",
        _panel_id(),
        sa.Column("expert_id", sa.String(64), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("panel_id", "expert_id", "round", name="pk_panel_submissions"),
    )


def downgrade() -> None:
    op.drop_table("panel_submissions")
    op.drop_table("panel_answers")
    op.drop_index("ix_panel_tokens_expert", table_name="panel_tokens")
    op.drop_table("panel_tokens")
    op.drop_table("panel_experts")
    op.drop_table("panels")
