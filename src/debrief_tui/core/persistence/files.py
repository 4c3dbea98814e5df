"""Checking a SQLite file before it is opened: ours, of a version we read, or a new private one.

A file that is not a debrief database, or one written by a newer release, is refused before
anything is written to it, so it stays byte-for-byte as it was. Standard library only: this runs
before the first frame.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from debrief_tui.core.errors import DatabaseRefused
from debrief_tui.core.persistence.schema import APP_MARKER, META_TABLE, SCHEMA_HEAD, SQLITE_HEADER
from debrief_tui.core.persistence.target import Target


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
    check_not_newer(version, str(path))
    return version


def check_not_newer(version: int, label: str, what: str = "file") -> None:
    """Refuse a schema newer than this release reads; `what` names the file or database."""
    if version > SCHEMA_HEAD:
        raise DatabaseRefused(
            f"{label} was written by a newer debrief (schema {version}; this release reads up to "
            f"{SCHEMA_HEAD}); upgrade debrief to open it. The {what} was left as is"
        )


def check_file(target: Target) -> None:
    """For a SQLite file: refuse it if it is not ours or too new; create it if missing."""
    if target.path is not None:
        prepare_file(target.path)


def prepare_file(path: Path) -> None:
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
