"""Alembic's environment: always online, on the connection :mod:`engine.store.database` hands over.

The caller holds the write lock and the transaction, so two processes opening a new database at
once migrate it once.
"""

from __future__ import annotations

from alembic import context

from engine.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
context.run_migrations()
