"""Opening the database: the engine, upgrading the schema, and how transactions begin.

SQLite runs in WAL mode with foreign keys on and a busy timeout; a write transaction begins with
`BEGIN IMMEDIATE`, taking the write lock first, so two processes on one file wait for each other
for up to the busy timeout instead of one failing at once part-way through.
"""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa
from sqlalchemy.pool import StaticPool

from debrief_tui.core.errors import DatabaseRefused
from debrief_tui.core.persistence import migrations
from debrief_tui.core.persistence.files import check_not_newer, prepare_file
from debrief_tui.core.persistence.schema import BUSY_TIMEOUT_MS, SCHEMA_HEAD
from debrief_tui.core.persistence.target import Target, resolve

WRITE = "debrief_write"
"""Execution option of a connection whose transaction writes: it begins IMMEDIATE."""


def _sqlite_engine(url: str, *, memory: bool) -> sa.Engine:
    kwargs: dict[str, object] = {"connect_args": {"check_same_thread": False}}
    if memory:
        kwargs["poolclass"] = StaticPool
    engine = sa.create_engine(url, **kwargs)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself, so DDL in migrations is
        # transactional and a failed upgrade leaves the file as it was.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # A write takes the write lock up front, so the busy timeout applies to it; a
        # deferred BEGIN that later upgrades to a write fails at once when another process
        # holds the lock ("database is locked"), and SQLite cannot wait for it then.
        writes = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

    return engine


def open_engine(target: Target | str | None = None) -> sa.Engine:
    """Open (creating or upgrading as needed) the debrief database and return its engine.

    Raises DatabaseRefused, with a one-line message, for a foreign file, a newer schema, or a
    database that cannot be reached.
    """
    if not isinstance(target, Target):
        target = resolve(target)
    backend = sa.make_url(target.url).get_backend_name()
    if backend == "sqlite":
        if target.path is not None:
            prepare_file(target.path)
        engine = _sqlite_engine(target.url, memory=target.path is None)
    else:
        try:
            engine = sa.create_engine(target.url, pool_pre_ping=True)
        except Exception as exc:  # a missing driver or a malformed URL
            raise DatabaseRefused(f"cannot use {target.label}: {exc}") from exc
    try:
        migrate(engine, target.label)
    except DatabaseRefused:
        engine.dispose()
        raise
    except sa.exc.SQLAlchemyError as exc:
        engine.dispose()
        raise DatabaseRefused(f"cannot open {target.label}: {first_line(exc)}") from exc
    return engine


def first_line(exc: Exception) -> str:
    """The driver's own first line of an error, which says what went wrong."""
    cause = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    return lines[0][:200] if lines else exc.__class__.__name__


def migrate(engine: sa.Engine, label: str, target_version: int = SCHEMA_HEAD) -> None:
    """Bring the schema up to `target_version` in one transaction, or refuse."""
    with engine.execution_options(**{WRITE: True}).begin() as conn:
        inspector = sa.inspect(conn)
        version = migrations.read_version(conn)
        if version is None:
            if inspector.get_table_names():
                raise DatabaseRefused(f"{label} is not a debrief database; left as is")
            version = 0
        check_not_newer(version, label)
        if version < target_version:
            migrations.upgrade(conn, version, target_version)
