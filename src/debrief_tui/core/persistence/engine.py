"""Opening the database: the engine, upgrading the schema, and how transactions begin.

SQLite runs in WAL mode with foreign keys on and a busy timeout; a write transaction begins with
`BEGIN IMMEDIATE`, taking the write lock first, so two processes on one file wait for each other
for up to the busy timeout instead of one failing at once part-way through.

PostgreSQL (a team database) goes through psycopg: `postgresql://` means `postgresql+psycopg://`,
a server that does not answer is given up on after a few seconds, and a value the server cannot
store is refused in one line. A write transaction takes the database's write lock first (an
advisory lock), as on SQLite: every seat's writes run one at a time, each reading what the last
one committed, and one waits for the others up to the same busy timeout before it is refused.
"""

from __future__ import annotations

import secrets
import sqlite3
import time

import sqlalchemy as sa
from sqlalchemy.pool import StaticPool

from debrief_tui.core.errors import DatabaseRefused, InputError, ReadOnly, first_line
from debrief_tui.core.persistence import migrations
from debrief_tui.core.persistence.files import check_not_newer, prepare_file
from debrief_tui.core.persistence.schema import (
    BUSY_TIMEOUT_MS,
    CONNECT_TIMEOUT_S,
    IDENTITY,
    SCHEMA_HEAD,
)
from debrief_tui.core.persistence.target import Target, resolve

WRITE = "debrief_write"
"""Execution option of a connection whose transaction writes: it takes the write lock first."""
_WRITE_LOCK = 0x64656272696577  # "debriew": PostgreSQL's BEGIN IMMEDIATE
_MIGRATION_LOCK = 0x6465627269656D  # "debriem": one seat at a time checks and upgrades a schema
_PG_DRIVERS = ("psycopg", "psycopg2")
"""Drivers that read libpq's `connect_timeout`."""


def _sqlite_engine(target: Target, options: str | None) -> sa.Engine:
    """An engine on a SQLite file (or in memory); `options` open a read-only file for reading
    only (SQLite URI options), with nothing written beside it."""
    kwargs: dict[str, object] = {"connect_args": {"check_same_thread": False}}
    if target.path is None:
        kwargs["poolclass"] = StaticPool
    if options is not None and target.path is not None:
        uri = f"{target.path.as_uri()}?{options}"
        kwargs["creator"] = lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
    engine = sa.create_engine(target.url, **kwargs)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself, so DDL in migrations is
        # transactional and a failed upgrade leaves the file as it was.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if options is None:  # (a read-only file is already in WAL mode, or cannot be changed)
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
        if conn.get_execution_options().get(WRITE, False):
            driver = conn.connection.driver_connection
            assert isinstance(driver, sqlite3.Connection)
            _begin_immediate(driver)
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


_RETRY_SECONDS = 0.001


def _begin_immediate(driver: sqlite3.Connection) -> None:
    """Take the write lock, waiting for another writer in short steps.

    SQLite's own busy handler sleeps 1, 2, 5, 10, 15, 20, 25 ms... between tries, so a write
    that meets another seat's (which holds the lock for a millisecond or two) often waited tens
    of milliseconds for nothing. This tries every millisecond instead, for up to the same busy
    timeout; the connection's own timeout is off meanwhile and back on for what follows.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    driver.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                driver.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if ("locked" not in str(exc) and "busy" not in str(exc)) or (
                    time.monotonic() >= deadline
                ):
                    # As SQLAlchemy raises it, so the unit of work refuses it in one line.
                    raise sa.exc.OperationalError("BEGIN IMMEDIATE", (), exc) from exc
            time.sleep(_RETRY_SECONDS)
    finally:
        driver.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def open_engine(target: Target | str | None = None, *, read_only: bool = False) -> sa.Engine:
    """Open (creating or upgrading as needed) the debrief database and return its engine.

    Raises DatabaseRefused, with a one-line message, for a foreign file, a newer schema, or a
    database that cannot be reached; `ReadOnly` for a file this user cannot write, unless
    `read_only` (a command that only reads), which then reads it as it is.
    """
    if not isinstance(target, Target):
        target = resolve(target)
    backend = sa.make_url(target.url).get_backend_name()
    options = None
    if backend == "sqlite":
        if target.path is not None:
            options = prepare_file(target.path, write=not read_only)
        engine = _sqlite_engine(target, options)
    else:
        engine = _server_engine(target)
    try:
        if options is None:
            migrate(engine, target.label)
        else:
            _check_current(engine, target.label)
    except DatabaseRefused:
        engine.dispose()
        raise
    except TypeError:
        # SQLAlchemy cannot read an SQL_ASCII server at all (its version comes back as bytes):
        # ask the driver alone what the encoding is, and say so.
        engine.dispose()
        if engine.dialect.name == "postgresql" and engine.url.get_driver_name() == "psycopg":
            _check_utf8(engine, target.label)
        raise
    except sa.exc.SQLAlchemyError as exc:
        engine.dispose()
        raise DatabaseRefused(f"cannot open {target.label}: {first_line(exc)}") from exc
    return engine


def _server_engine(target: Target) -> sa.Engine:
    """The engine of a database server (PostgreSQL): psycopg unless the URL names a driver."""
    url = sa.make_url(target.url)
    if url.drivername == "postgresql":
        # SQLAlchemy 2.0 takes a bare postgresql:// to mean psycopg2; debrief ships psycopg.
        url = url.set(drivername="postgresql+psycopg")
    kwargs: dict[str, object] = {"pool_pre_ping": True}
    postgres = url.get_backend_name() == "postgresql"
    if postgres and url.get_driver_name() in _PG_DRIVERS and "connect_timeout" not in url.query:
        kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_S}
    try:
        engine = sa.create_engine(url, **kwargs)
    except ImportError as exc:  # the URL's driver is not installed
        if not postgres:
            hint = "install its driver"
        elif url.get_driver_name() == "psycopg":
            hint = "install 'debrief-tui[postgres]'"
        else:
            hint = "install that driver, or 'debrief-tui[postgres]' and use postgresql+psycopg://"
        raise DatabaseRefused(
            f"cannot use {target.label}: its driver is missing ({exc}); {hint}"
        ) from exc
    except Exception as exc:  # an unknown dialect or a malformed URL
        raise DatabaseRefused(f"cannot use {target.label}: {first_line(exc)}") from exc
    if postgres:
        sa.event.listen(engine, "begin", _take_the_write_lock)
        sa.event.listen(engine, "handle_error", _refuse_unstorable_value)
    return engine


def _check_utf8(engine: sa.Engine, label: str) -> None:
    """Refuse an SQL_ASCII server database, asked over a plain driver connection (what
    SQLAlchemy cannot do); nothing when it cannot be reached this way either."""
    import psycopg

    conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(conninfo, connect_timeout=CONNECT_TIMEOUT_S) as conn:
            row = conn.execute("SHOW server_encoding").fetchone()
    except psycopg.Error:
        return
    refuse_encoding(row[0] if row else "UTF8", label)


def refuse_encoding(encoding: object, label: str) -> None:
    """Refuse a server database whose encoding is not UTF8: SQL_ASCII hands text back as
    bytes, and other encodings cannot hold all that people type."""
    if isinstance(encoding, bytes):
        encoding = encoding.decode("ascii", "replace")
    if str(encoding).upper() not in ("UTF8", "UTF-8"):
        raise DatabaseRefused(
            f"{label} uses the {encoding} encoding; debrief needs a UTF8 database "
            "(createdb -E UTF8 -T template0 NAME); left as is"
        )


def _take_the_write_lock(conn: sa.Connection) -> None:
    """A write transaction holds the write lock to its end; waiting for it, or for any other
    lock, past the busy timeout fails the write (lock_timeout: an OperationalError)."""
    if conn.get_execution_options().get(WRITE, False):
        conn.exec_driver_sql(
            f"SELECT pg_advisory_xact_lock({_WRITE_LOCK}) FROM"
            f" (SELECT set_config('lock_timeout', '{int(BUSY_TIMEOUT_MS)}ms', true)) AS timeout"
        )


def _refuse_unstorable_value(context: sa.engine.ExceptionContext) -> None:
    """A value the server will not store (text with a NUL character, a number out of range)
    is the user's input refused, in one line, rather than a crash."""
    if not isinstance(context.sqlalchemy_exception, sa.exc.DataError):
        return
    cause = first_line(context.original_exception)
    if "NUL" in cause:
        raise InputError("text with a NUL character (\\x00) cannot be stored in PostgreSQL")
    raise InputError(f"the database cannot store this value: {cause}")


def _check_current(engine: sa.Engine, label: str) -> None:
    """For a file read without writing: refuse one that would need an upgrade first."""
    with engine.connect() as conn:
        version = migrations.read_version(conn)
    if version is not None and version < SCHEMA_HEAD:
        raise ReadOnly(
            f"read-only: {label} was written by an older debrief (schema {version}) and must be "
            "upgraded before it is read; make it writable and run any debrief command once"
        )


def migrate(engine: sa.Engine, label: str, target_version: int = SCHEMA_HEAD) -> None:
    """Bring the schema up to `target_version` in one transaction, or refuse.

    On a server, the schema is the connection's default one (`public`): it must be empty or
    debrief's. Seats opening one database at once take turns, so only the first creates it.
    """
    with engine.execution_options(**{WRITE: True}).begin() as conn:
        if conn.dialect.name == "postgresql":
            refuse_encoding(conn.execute(sa.text("SHOW server_encoding")).scalar(), label)
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        inspector = sa.inspect(conn)
        version = migrations.read_version(conn)
        if version is None:
            if inspector.get_table_names():
                raise DatabaseRefused(f"{label} is not a debrief database; left as is")
            version = 0
        check_not_newer(version, label, "file" if conn.dialect.name == "sqlite" else "database")
        if version < target_version:
            migrations.upgrade(conn, version, target_version)
        if conn.dialect.name == "sqlite" and not conn.exec_driver_sql(IDENTITY).scalar():
            # Each file's own number, in its first page: a write-ahead log whose first page
            # carries another number belongs to another file (see files.check_log_is_ours).
            conn.exec_driver_sql(f"{IDENTITY} = {secrets.randbits(31) | 1}")
