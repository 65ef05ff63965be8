"""Where the workspace lives and how it is written: the engine, the write transaction, migrations.

``POLICYRANK_DB`` names the database: an SQLAlchemy URL (``postgresql+psycopg://…``) or a bare
path, an SQLite file. Without it, one SQLite file in the user's data directory, created and
migrated on first use.

SQLite runs in WAL mode (readers never wait for the writer) with ``synchronous=NORMAL``: a
committed transaction survives the process being killed. Every write takes the write lock at its
start (``BEGIN IMMEDIATE``) so two writers queue on ``busy_timeout`` instead of one of them
failing half-way with "database is locked"; a busy error that still gets through is retried with
backoff. On PostgreSQL a write locks its project row first, which queues writers of one project.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

ENV = "POLICYRANK_DB"
APP_NAME = "policyrank"
BUSY_TIMEOUT_MS = 30_000
RETRIES = 8
MIGRATIONS = Path(__file__).resolve().parent / "migrations"

_Result = TypeVar("_Result")


def default_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME)) / "workspace.sqlite"


def database_url(url: str | None = None) -> URL:
    """The database to use: ``url``, else ``POLICYRANK_DB``, else the default SQLite file."""
    named = url or os.environ.get(ENV) or ""
    if "://" in named:
        return make_url(named)
    path = Path(named).expanduser() if named else default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return URL.create("sqlite+pysqlite", database=str(path.resolve()))


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # SQLAlchemy, not the sqlite3 module, says when a transaction begins (see "begin" below)
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin(connection: Connection) -> None:
        writing = connection.get_execution_options().get("policyrank_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def make_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _busy(exc: OperationalError) -> bool:
    message = str(exc.orig).lower()
    return "database is locked" in message or "database is busy" in message or "deadlock" in message


@contextmanager
def _write_connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        connection = connection.execution_options(policyrank_write=True)
        with connection.begin():
            yield connection


def write(engine: Engine, work: Callable[[Connection], _Result]) -> _Result:
    """Run ``work`` in one write transaction, retried from the start if the database was busy.

    ``work`` must do nothing outside the database (it may run more than once).
    """
    for attempt in range(RETRIES):
        try:
            with _write_connection(engine) as connection:
                return work(connection)
        except OperationalError as exc:
            if not _busy(exc) or attempt == RETRIES - 1:
                raise
            time.sleep(min(2.0, 0.05 * 2**attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")


def lock_project(connection: Connection, project_id: str) -> None:
    """Queue this transaction behind other writers of the project (SQLite's write lock already does).

    An advisory lock on the project's id rather than a row lock: it also queues two processes
    creating the same project, when there is no row yet to lock (both would insert it).
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:id))"), {"id": project_id})


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration, once, whoever else is opening the database now."""
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as probe:
        current = MigrationContext.configure(probe).get_current_revision()
        probe.rollback()
    if current == head:
        return

    def upgrade(connection: Connection) -> None:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(7461737)"))
        if MigrationContext.configure(connection).get_current_revision() == head:
            return
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

    write(engine, upgrade)
