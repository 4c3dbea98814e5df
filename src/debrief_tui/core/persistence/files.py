"""Checking a SQLite file before it is opened: ours, of a version we read, or a new private one.

A file that is not a debrief database, or one written by a newer release, is refused before
anything is written to it, so it stays byte-for-byte as it was. So is a file this user cannot
write, when the command would write: on the first frame, not at the first Enter. A command that
only reads opens such a file without writing anything beside it. Standard library only: this
runs before the first frame.
"""

from __future__ import annotations

import os
import sqlite3
import struct
import time
from pathlib import Path

from debrief_tui.core.errors import DatabaseRefused, ReadOnly
from debrief_tui.core.persistence.schema import (
    APP_MARKER,
    BUSY_TIMEOUT_MS,
    IDENTITY,
    META_TABLE,
    SCHEMA_HEAD,
)
from debrief_tui.core.persistence.target import Target

_TRIES = 40
"""Reads of a file caught mid-open by another process, 50 ms apart, before it is called busy."""


def _inspect_sqlite_file(path: Path, options: str = "mode=ro") -> int | None:
    """Read the schema version of an existing SQLite file without writing to it.

    Returns None for a file with no schema at all (a new or empty database); raises
    DatabaseRefused for anything that is not a debrief database of a version we can open.
    """
    # The header is read by SQLite, never through a file handle of our own: closing any handle
    # on the file drops every lock this process holds on it (POSIX), and another process
    # would then take this one's open database for closed and remove its write-ahead log.
    check_log_is_ours(path)
    for attempt in range(_TRIES):
        try:
            names, meta = _read_marker(path, options)
            break
        except sqlite3.OperationalError as exc:
            # Another process is opening or closing the file this instant (a read-only
            # connection cannot wait out WAL recovery, or the last connection removing the
            # WAL); a moment later the file reads as it is.
            if attempt == _TRIES - 1:
                raise DatabaseRefused(f"{path} is busy: another process holds it") from exc
            time.sleep(0.05)
        except sqlite3.DatabaseError as exc:
            if "not a database" in str(exc):
                raise DatabaseRefused(
                    f"{path} is not a debrief database (not an SQLite file); left as is"
                ) from exc
            raise DatabaseRefused(f"{path} is not a debrief database ({exc}); left as is") from exc
    if not names:
        return None
    if META_TABLE not in names:
        raise DatabaseRefused(f"{path} is not a debrief database; left as is")
    if meta.get("app") != APP_MARKER:
        raise DatabaseRefused(f"{path} is not a debrief database; left as is")
    try:
        version = int(meta.get("schema_version", ""))
    except ValueError as exc:
        raise DatabaseRefused(f"{path} has an unreadable schema version; left as is") from exc
    check_not_newer(version, str(path))
    return version


_WAL_MAGIC = (0x377F0682, 0x377F0683)
_WAL_HEADER = 32
_FRAME_HEADER = 24
_IDENTITY_AT = 60
"""Where `PRAGMA user_version` sits in a database's first page."""


def check_log_is_ours(path: Path) -> None:
    """Refuse a file whose write-ahead log belongs to another database.

    SQLite cannot tell: it would merge a `-wal` copied from another file into this one, page
    by page, and the result reads as that other file's pages inside this one's. Every debrief
    file carries a random number in its first page (`IDENTITY`); a log holding a first page
    with another number is another file's. (A log that never wrote a first page cannot be
    told apart this way.)
    """
    wal = _beside(path, "-wal")
    try:
        with wal.open("rb") as log:
            header = log.read(_WAL_HEADER)
            if len(header) < _WAL_HEADER:
                return
            magic, _, page_size, _, salt1, salt2 = struct.unpack(">6I", header[:24])
            if magic not in _WAL_MAGIC or not 512 <= page_size <= 65536:
                return  # SQLite ignores a log without a valid header
            ours = _identity(path)
            while ours and (frame := log.read(_FRAME_HEADER + page_size)):
                page_number, _, frame_salt1, frame_salt2 = struct.unpack(">4I", frame[:16])
                if (frame_salt1, frame_salt2) != (salt1, salt2):
                    break  # the end of what SQLite would read back
                page = frame[_FRAME_HEADER:]
                if page_number == 1 and len(page) >= _IDENTITY_AT + 4:
                    theirs = int.from_bytes(page[_IDENTITY_AT : _IDENTITY_AT + 4], "big")
                    if theirs and theirs != ours:
                        raise DatabaseRefused(
                            f"{path}: the log beside it, {wal.name}, belongs to another "
                            f"database; move {wal.name} and "
                            f"{_beside(path, '-shm').name} away to open the file as it was "
                            "(the files were left as is)"
                        )
    except FileNotFoundError:
        return


def _identity(path: Path) -> int:
    """A file's own number as its main file holds it (0: none yet), its log left unread."""
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?immutable=1", uri=True)
    except sqlite3.Error:
        return 0
    try:
        return int(conn.execute(IDENTITY).fetchone()[0])
    except sqlite3.Error:
        return 0  # not a database: the marker check says so
    finally:
        conn.close()


def _read_marker(path: Path, options: str) -> tuple[set[str], dict[str, str]]:
    """The names of a file's tables, and debrief's marker if it has one."""
    conn = sqlite3.connect(f"{path.as_uri()}?{options}", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if META_TABLE not in names:
            return names, {}
        return names, dict(conn.execute(f"SELECT key, value FROM {META_TABLE}").fetchall())
    finally:
        conn.close()


def check_not_newer(version: int, label: str, what: str = "file") -> None:
    """Refuse a schema newer than this release reads; `what` names the file or database."""
    if version > SCHEMA_HEAD:
        raise DatabaseRefused(
            f"{label} was written by a newer debrief (schema {version}; this release reads up to "
            f"{SCHEMA_HEAD}); upgrade debrief to open it. The {what} was left as is"
        )


def check_file(target: Target, *, write: bool = True) -> None:
    """For a SQLite file: refuse it if it is not ours or too new (or, for a command that
    writes, read-only); create it if missing."""
    if target.path is not None:
        prepare_file(target.path, write=write)


def prepare_file(path: Path, *, write: bool = True) -> str | None:
    """Check an existing file is ours, or create a new private one; OS errors become refusals.

    Returns the SQLite URI options to open it with when it must be read without writing (a
    read-only file, for a command that only reads), else None. A command that writes is
    refused a read-only file with `ReadOnly`.
    """
    try:
        if path.is_dir():
            raise DatabaseRefused(f"{path} is a directory, not a database file")
        if path.exists() and path.stat().st_size > 0:
            why = _why_read_only(path)
            if why and write:
                raise ReadOnly(
                    f"read-only: {path} cannot be written ({why}); "
                    "`debrief list` and `debrief export` can still read it"
                )
            options = _reading_options(path) if why else None
            _inspect_sqlite_file(path, options or "mode=ro")
            return options
        if path.exists():
            if why := _why_read_only(path):
                raise ReadOnly(f"read-only: {path} cannot become a database ({why})")
            path.chmod(0o600)  # an empty file becomes our database: readable by its owner only
        else:
            _create_private_file(path)
    except OSError as exc:
        raise DatabaseRefused(f"cannot open {path}: {exc.strerror or exc}") from exc
    return None


def _beside(path: Path, suffix: str) -> Path:
    """SQLite's write-ahead log (`-wal`) or its index (`-shm`) beside the database file."""
    return path.with_name(path.name + suffix)


def _why_read_only(path: Path) -> str | None:
    """Why SQLite could not write the database at `path` (its file, its folder, or the files
    SQLite keeps beside it), or None when it can."""
    folder = path.parent
    # os.access also answers for a read-only mount, and for root, who may write anything else.
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"its folder {folder} is read-only; SQLite keeps a log file beside the database"
    if not os.access(path, os.W_OK):
        return f"the file is read-only, mode {path.stat().st_mode & 0o777:04o}"
    for side in (_beside(path, "-wal"), _beside(path, "-shm")):
        if side.exists() and not os.access(side, os.W_OK):
            info = side.stat()
            if info.st_uid == os.geteuid():
                # Left read-only by an older release reading the file while it was read-only:
                # ours to put right, and chmod disturbs no process that has it open.
                side.chmod(0o600)
                continue
            return f"{side.name} beside it is read-only"
    return None


def reading_uri(path: Path) -> str:
    """The URI that opens `path` only to read it: without writing beside it when it cannot
    be written (`_reading_options`; ReadOnly when it cannot be read so), else read-only."""
    options = _reading_options(path) if _why_read_only(path) else "mode=ro"
    return f"{path.as_uri()}?{options}"


def _reading_options(path: Path) -> str:
    """How to open a read-only database without writing beside it.

    With no write-ahead log to read, the file is all there is and SQLite is told it cannot
    change (no lock files are made); with one, SQLite reads it through its existing index.
    """
    wal, shm = _beside(path, "-wal"), _beside(path, "-shm")
    if not wal.exists() or wal.stat().st_size == 0:
        return "immutable=1"
    if shm.exists() and os.access(shm, os.R_OK) and os.access(wal, os.R_OK):
        return "mode=ro"
    raise ReadOnly(
        f"read-only: {path} has changes in {wal.name} that SQLite can read only if the file "
        "and its folder are writable; make them writable, or ask the person who wrote it"
    )


def _private_folders(folder: Path) -> None:
    """Create the missing folders down to `folder`, each readable by its owner only (mkdir's
    `parents` gives the ones above the last whatever the umask allows, 0777 under umask 000)."""
    missing: list[Path] = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for created in reversed(missing):
        created.mkdir(mode=0o700, exist_ok=True)
        created.chmod(0o700)  # the umask may have taken bits from mkdir's mode too


def _create_private_file(path: Path) -> None:
    """Create an empty database file readable by its owner only."""
    _private_folders(path.parent)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)
    os.chmod(path, 0o600)
