"""Opening the database: where it lives, checking it is ours, and upgrading it.

This module and `debrief_tui.core.persistence.store` are the only places that touch SQL. A file that is not a
debrief database, or one written by a newer release, is refused before anything is written to
it, so it stays byte-for-byte as it was.

Only the standard library is imported at module level: checking a file and peeking at a session
(what the first frame shows) cost milliseconds, while SQLAlchemy is loaded by `open_engine`.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import sqlalchemy as sa

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
SCHEMA_HEAD = 2
"""The schema version this release writes; `migrations.HEAD` must agree (a test checks)."""
APP_MARKER = "debrief"
META_TABLE = "debrief_meta"


class DatabaseRefused(Exception):
    """The database cannot be used by this release; the message is one line for the user."""


class Target(NamedTuple):
    """Where the database is: a SQLAlchemy URL, and the file path when it is a SQLite file."""

    url: str
    path: Path | None

    @property
    def label(self) -> str:
        """How to name the database in a message (a URL's password hidden)."""
        if self.path:
            return str(self.path)
        import sqlalchemy as sa

        return sa.make_url(self.url).render_as_string()


def default_path() -> Path:
    """The default database file, in the user's data directory."""
    from platformdirs import user_data_path

    return user_data_path("debrief", appauthor=False) / "debrief.db"


def resolve(spec: str | None) -> Target:
    """Turn `--db` / `DEBRIEF_DB` (a file path or a SQLAlchemy URL) into a target."""
    spec = spec or os.environ.get("DEBRIEF_DB") or None
    if spec is None:
        path = default_path()
        return Target(f"sqlite:///{path}", path)
    if "://" in spec:
        import sqlalchemy as sa

        try:
            url = sa.make_url(spec)
        except sa.exc.ArgumentError as exc:
            raise DatabaseRefused(f"not a database URL: {spec!r}") from exc
        if url.get_backend_name() == "sqlite":
            database = url.database or ""
            if database in ("", ":memory:"):
                return Target(spec, None)
            path = Path(database).expanduser().resolve()
            return Target(f"sqlite:///{path}", path)
        return Target(spec, None)
    path = Path(spec).expanduser().resolve()
    return Target(f"sqlite:///{path}", path)


def _inspect_sqlite_file(path: Path) -> int | None:
    """Read the schema version of an existing SQLite file without writing to it.

    Returns None for a file with no schema at all (a new or empty database); raises
    DatabaseRefused for anything that is not a debrief database of a version we can open.
    """
    with path.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise DatabaseRefused(f"{path} is not a debrief database (not an SQLite file); left as is")
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DatabaseRefused(f"{path} cannot be read: {exc}") from exc
    try:
        objects = conn.execute("SELECT name FROM sqlite_master").fetchall()
        if not objects:
            return None
        names = {row[0] for row in objects}
        if META_TABLE not in names:
            raise DatabaseRefused(f"{path} is not a debrief database; left as is")
        meta = dict(conn.execute(f"SELECT key, value FROM {META_TABLE}").fetchall())
    except sqlite3.Error as exc:
        raise DatabaseRefused(f"{path} is not a debrief database ({exc}); left as is") from exc
    finally:
        conn.close()
    if meta.get("app") != APP_MARKER:
        raise DatabaseRefused(f"{path} is not a debrief database; left as is")
    try:
        version = int(meta.get("schema_version", ""))
    except ValueError as exc:
        raise DatabaseRefused(f"{path} has an unreadable schema version; left as is") from exc
    _check_not_newer(version, str(path))
    return version


def _check_not_newer(version: int, label: str) -> None:
    if version > SCHEMA_HEAD:
        raise DatabaseRefused(
            f"{label} was written by a newer debrief (schema {version}; this release reads up to "
            f"{SCHEMA_HEAD}); upgrade debrief to open it. The file was left as is"
        )


def check_file(target: Target) -> None:
    """For a SQLite file: refuse it if it is not ours or too new; create it if missing."""
    if target.path is not None:
        _prepare_file(target.path)


def _prepare_file(path: Path) -> None:
    """Check an existing file is ours, or create a new private one; OS errors become refusals."""
    try:
        if path.is_dir():
            raise DatabaseRefused(f"{path} is a directory, not a database file")
        if path.exists() and path.stat().st_size > 0:
            _inspect_sqlite_file(path)
        else:
            _create_private_file(path)
    except OSError as exc:
        raise DatabaseRefused(f"cannot open {path}: {exc.strerror or exc}") from exc


def _create_private_file(path: Path) -> None:
    """Create an empty database file readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)
    os.chmod(path, 0o600)


def _sqlite_engine(url: str, *, memory: bool) -> sa.Engine:
    import sqlalchemy as sa
    from sqlalchemy.pool import StaticPool

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
        conn.exec_driver_sql("BEGIN")

    return engine


def open_engine(target: Target | str | None = None) -> sa.Engine:
    """Open (creating or upgrading as needed) the debrief database and return its engine.

    Raises DatabaseRefused, with a one-line message, for a foreign file, a newer schema, or a
    database that cannot be reached.
    """
    import sqlalchemy as sa

    if not isinstance(target, Target):
        target = resolve(target)
    backend = sa.make_url(target.url).get_backend_name()
    if backend == "sqlite":
        if target.path is not None:
            _prepare_file(target.path)
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
        raise DatabaseRefused(f"cannot open {target.label}: {_first_line(exc)}") from exc
    return engine


def _first_line(exc: Exception) -> str:
    """The driver's own first line of an error, which says what went wrong."""
    cause = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    return lines[0][:200] if lines else exc.__class__.__name__


def migrate(engine: sa.Engine, label: str, target_version: int = SCHEMA_HEAD) -> None:
    """Bring the schema up to `target_version` in one transaction, or refuse."""
    import sqlalchemy as sa

    from debrief_tui.core.persistence import migrations

    with engine.begin() as conn:
        inspector = sa.inspect(conn)
        version = migrations.read_version(conn)
        if version is None:
            if inspector.get_table_names():
                raise DatabaseRefused(f"{label} is not a debrief database; left as is")
            version = 0
        _check_not_newer(version, label)
        if version < target_version:
            migrations.upgrade(conn, version, target_version)


class SessionPeek(NamedTuple):
    """What the first frame of a session shows, read without the ORM."""

    session_id: int
    title: str
    timezone: str
    current_stage: str | None
    agenda_path: str | None
    spent_by_stage: dict[str, float]


def peek_session(target: Target, session_id: int) -> SessionPeek | None:
    """Read a session's title, stage and time spent straight from a SQLite file.

    For a fast first frame: stdlib sqlite3, read-only. Returns None when the target is not a
    file, the session does not exist, or the file cannot be read this way; callers then fall
    back to the store.
    """
    if target.path is None or not target.path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{target.path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(session)")}
        stage_cols = "current_stage, agenda_path" if "current_stage" in columns else "NULL, NULL"
        row = conn.execute(
            f"SELECT title, timezone, {stage_cols} FROM session WHERE id = ?", (session_id,)
        ).fetchone()
        if row is None:
            return None
        spent: dict[str, float] = {}
        for stage, seconds in conn.execute(
            "SELECT stage, SUM((julianday(ended_at) - julianday(started_at)) * 86400.0)"
            " FROM stage_run WHERE session_id = ? AND ended_at IS NOT NULL GROUP BY stage",
            (session_id,),
        ):
            spent[stage] = max(0.0, float(seconds or 0.0))
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return SessionPeek(session_id, row[0], row[1], row[2], row[3], spent)
