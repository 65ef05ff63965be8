"""The workspace tables, as SQLAlchemy Core metadata: what the queries and the first migration share.

Settings, history states and cached rankings are JSON text, not a JSON column type, so SQLite and
PostgreSQL store the same bytes and an export reads back exactly what was written.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

projects = Table(
    "projects",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("criteria_label", Text, nullable=False),
    Column("criteria_yaml", Text, nullable=False),
    Column("criteria_sha256", String(64), nullable=False),
    Column("catalogue_label", Text, nullable=False),
    Column("catalogue_yaml", Text, nullable=False),
    Column("catalogue_sha256", String(64), nullable=False),
    Column("evidence_label", Text, nullable=False),
    Column("evidence_yaml", Text, nullable=False),
    Column("evidence_sha256", String(64), nullable=False),
    Column("presets", Text, nullable=False),  # JSON: [{"label": …, "yaml": …}, …]
    Column("revision", Integer, nullable=False),
    Column("created", String(32), nullable=False),
    Column("updated", String(32), nullable=False),
)

scenarios = Table(
    "scenarios",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("project_id", String(64), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("name", Text, nullable=False),
    Column("settings", Text, nullable=False),  # JSON of Settings.to_mapping()
    Column("choices", Text, nullable=False, server_default="{}"),  # JSON: engine.store.choices
    Column("note", Text, nullable=False),
    Column("revision", Integer, nullable=False),  # the project revision it was saved on
    Column("version", Integer, nullable=False),
    Column("created", String(32), nullable=False),
    Column("updated", String(32), nullable=False),
    # the top three on revision top_revision: a cache, filled by listing, never exported
    Column("top", Text, nullable=True),
    Column("top_revision", Integer, nullable=True),
    UniqueConstraint("project_id", "name", name="uq_scenarios_project_name"),
)

history = Table(
    "history",
    metadata,
    Column("project_id", String(64), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),  # 1, 2, … within the project: an export keeps it
    Column("at", String(32), nullable=False),
    Column("who", Text, nullable=False),
    Column("entity", String(16), nullable=False),
    Column("entity_id", Text, nullable=False),
    Column("action", String(16), nullable=False),
    Column("from_state", Text, nullable=True),  # JSON, null when the entity did not exist
    Column("to_state", Text, nullable=True),  # JSON, null when it no longer exists
    Column("reason", Text, nullable=True),
    PrimaryKeyConstraint("project_id", "seq", name="pk_history"),
    Index("ix_history_entity", "project_id", "entity_id"),
)

# the scenario each user last had open in a project: where the app continues in a new tab
openings = Table(
    "openings",
    metadata,
    Column("project_id", String(64), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("who", Text, nullable=False),
    Column("scenario_id", String(36), nullable=False),
    Column("updated", String(32), nullable=False),
    PrimaryKeyConstraint("project_id", "who", name="pk_openings"),
)
