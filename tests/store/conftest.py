"""Each workspace test gets an empty database: an SQLite file always, and a PostgreSQL schema of
its own when ``POLICYRANK_TEST_POSTGRES_URL`` names a server (``.ci/run`` starts one)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

POSTGRES = os.environ.get("POLICYRANK_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES else [])]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database; ``open_store(db_url)`` migrates it."""
    if request.param == "sqlite":
        yield f"sqlite+pysqlite:///{tmp_path / 'workspace.sqlite'}"
        return
    import sqlalchemy as sa

    assert POSTGRES is not None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = sa.make_url(POSTGRES).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(db_url: str):
    from engine.store import open_store

    opened = open_store(db_url)
    yield opened
    opened.close()
