"""The workspace tables, as SQLAlchemy Core metadata: what the queries and the first migration share.

Settings, history states and cached rankings are JSON text, not a JSON column type, so SQLite and
PostgreSQL store the same bytes and an export reads back exactly what was written.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
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

# ---------------------------------------------------------------- expert panels (engine.store.panel)

# a panel of experts consulted on one project revision's criteria tree and catalogue, in rounds
panels = Table(
    "panels",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("project_id", String(64), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("name", Text, nullable=False),
    Column("revision", Integer, nullable=False),  # the project revision whose questions it asks
    Column("asks", String(16), nullable=False),  # the default of its experts: judgments|scores|both
    Column("options", Text, nullable=False),  # JSON: aggregation, mean, AHP method, score statistic, …
    Column("survey_mapping", Text, nullable=True),  # JSON of engine.panel.survey.mapping_document
    Column("round", Integer, nullable=False),
    Column("created", String(32), nullable=False),
    Column("updated", String(32), nullable=False),
    UniqueConstraint("project_id", "name", name="uq_panels_project_name"),
)

panel_experts = Table(
    "panel_experts",
    metadata,
    Column("panel_id", String(36), ForeignKey("panels.id", ondelete="CASCADE"), nullable=False),
    Column("id", String(64), nullable=False),
    Column("position", Integer, nullable=False),  # the order of the experts file
    Column("name", Text, nullable=False),
    Column("group_id", Text, nullable=True),  # a group of the criteria file, null when it has none
    Column("weight", Float, nullable=False),  # within the group
    Column("asks", String(16), nullable=False),
    PrimaryKeyConstraint("panel_id", "id", name="pk_panel_experts"),
)

# only the SHA-256 of a token is kept: a stolen database opens no questionnaire
panel_tokens = Table(
    "panel_tokens",
    metadata,
    Column("token_sha256", String(64), primary_key=True),
    Column("panel_id", String(36), ForeignKey("panels.id", ondelete="CASCADE"), nullable=False),
    Column("expert_id", String(64), nullable=False),
    Column("created", String(32), nullable=False),
    Column("expires", String(32), nullable=False),
    Column("revoked", Integer, nullable=False),  # 0 or 1
    Index("ix_panel_tokens_expert", "panel_id", "expert_id"),
)

# one row per answered item, so that each answer is kept the moment it is given
panel_answers = Table(
    "panel_answers",
    metadata,
    Column("panel_id", String(36), ForeignKey("panels.id", ondelete="CASCADE"), nullable=False),
    Column("expert_id", String(64), nullable=False),
    Column("round", Integer, nullable=False),
    Column("item", Text, nullable=False),  # judgment:NODE:A:B, score:MEASURE:CRITERION, rating:ITEM
    Column("value", Text, nullable=False),  # JSON: a number, or a self-rating's level id
    Column("reason", Text, nullable=True),
    Column("source", Text, nullable=False),  # link, or the file it was imported from
    Column("saved", String(32), nullable=False),
    PrimaryKeyConstraint("panel_id", "expert_id", "round", "item", name="pk_panel_answers"),
)

# an expert's submission locks their answers of that round
panel_submissions = Table(
    "panel_submissions",
    metadata,
    Column("panel_id", String(36), ForeignKey("panels.id", ondelete="CASCADE"), nullable=False),
    Column("expert_id", String(64), nullable=False),
    Column("round", Integer, nullable=False),
    Column("at", String(32), nullable=False),
    PrimaryKeyConstraint("panel_id", "expert_id", "round", name="pk_panel_submissions"),
)
