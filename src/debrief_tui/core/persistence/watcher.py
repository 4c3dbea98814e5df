"""Watching for other seats' changes: a thread that reads the change log when it grows.

On SQLite it asks `PRAGMA data_version` ten times a second, which costs microseconds and changes
only when another connection has committed; then it reads the new change-log rows. On PostgreSQL
it waits on `LISTEN` for the notification each logging commit sends. Either way a seat never
re-reads its data on a timer: it is told what changed and reloads only that.

Standard library only, but for the PostgreSQL driver, loaded when a team database is watched.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any, NamedTuple, Protocol

POLL_SECONDS = 0.1
"""How often a SQLite seat asks whether anything was committed elsewhere."""
_LISTEN_SECONDS = 0.5
"""How long a PostgreSQL seat waits for a notification before checking it should stop."""
_GATHER_SECONDS = 0.02
"""After a notification, how long a PostgreSQL seat gathers the ones right behind it."""
_BATCH = 2000
_QUERY = (
    "SELECT seq, session_id, kind, row_id, op, seat FROM change_log WHERE seq > ? "
    f"ORDER BY seq LIMIT {_BATCH}"
)


class Change(NamedTuple):
    """One row of the change log: `kind` of item (`minute`, `why`, `stage`, ...) changed by
    `op` (`add`, `edit`, `delete`) in a session by a seat (None: the command line)."""

    seq: int
    session_id: int | None
    kind: str
    row_id: int | None
    op: str
    seat: str | None


Deliver = Callable[[list[Change]], None]
"""Takes the changes other seats made, on the watcher's thread (it must only hand them over)."""


class _Cursor(Protocol):
    def execute(self, query: Any, params: Any = ...) -> Any: ...
    def fetchall(self) -> list[Any]: ...


class Watcher(ABC):
    """Hands over every change in the log made by a seat other than `seat`, in order."""

    def __init__(self, deliver: Deliver, seat: str | None) -> None:
        self._deliver = deliver
        self._seat = seat
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last = 0
        self._ready = threading.Event()
        self.error: BaseException | None = None

    def start(self) -> None:
        """Start watching from the newest change now in the log (what came before is in
        whatever the seat reads next)."""
        self._thread = threading.Thread(target=self._guarded, name="debrief-watcher", daemon=True)
        self._thread.start()
        self._ready.wait(5)

    def stop(self) -> None:
        """Stop watching (within half a second)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)
            self._thread = None

    def _guarded(self) -> None:
        try:
            self._watch()
        except Exception as exc:  # a seat that cannot watch still works: it says so once
            self.error = exc
        finally:
            self._ready.set()

    @abstractmethod
    def _watch(self) -> None:
        """Wait for commits and catch up after each, until stopped (on the watcher's thread)."""

    def _catch_up(self, cursor: _Cursor, marker: str = "?") -> None:
        while True:
            cursor.execute(_QUERY.replace("?", marker), (self._last,))
            rows = [Change(*row) for row in cursor.fetchall()]
            if not rows:
                return
            self._last = rows[-1].seq
            theirs = [row for row in rows if row.seat is None or row.seat != self._seat]
            if theirs:
                self._deliver(theirs)
            if len(rows) < _BATCH:
                return

    def _newest(self, cursor: _Cursor) -> int:
        cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM change_log")
        return int(cursor.fetchall()[0][0])


class SQLiteWatcher(Watcher):
    """Polls `PRAGMA data_version` on a connection of its own."""

    def __init__(self, path: Path, deliver: Deliver, seat: str | None) -> None:
        super().__init__(deliver, seat)
        self._path = path

    def _watch(self) -> None:
        with closing(sqlite3.connect(self._path, check_same_thread=False)) as conn:
            conn.execute("PRAGMA busy_timeout=5000")
            cursor = conn.cursor()
            self._last = self._newest(cursor)
            version = _data_version(conn)
            self._ready.set()
            while not self._stop.is_set():
                # A plain sleep: waiting on the stop event with a timeout cost twice the CPU
                # of the poll itself, ten times a second. Stopping waits out one period.
                time.sleep(POLL_SECONDS)
                now = _data_version(conn)
                if now != version:
                    version = now
                    self._catch_up(cursor)


def _data_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


class PostgresWatcher(Watcher):
    """Listens on the channel every logging commit notifies."""

    def __init__(self, conninfo: str, deliver: Deliver, seat: str | None, channel: str) -> None:
        super().__init__(deliver, seat)
        self._conninfo = conninfo
        self._channel = channel

    def _watch(self) -> None:
        import psycopg

        with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5) as conn:
            cursor = conn.cursor()
            conn.execute(f'LISTEN "{self._channel}"')
            self._last = self._newest(cursor)
            self._ready.set()
            while not self._stop.is_set():
                # Read after the wait, not inside it: the wait holds the connection's lock.
                if list(conn.notifies(timeout=_LISTEN_SECONDS, stop_after=1)):
                    # Commits come in bursts (a seat typing flat out, an import): take the
                    # ones a moment behind this one too, and read the log once for them all.
                    list(conn.notifies(timeout=_GATHER_SECONDS))
                    self._catch_up(cursor, "%s")
