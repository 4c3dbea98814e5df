"""Saving: one confirmed edit through the database, against a plain sqlite3 INSERT + COMMIT."""

from __future__ import annotations

import sqlite3
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from debrief_tui.core.persistence.unit import Unit

from debrief_tui.core.persistence.engine import open_engine
from debrief_tui.core.persistence.unit import Database


def _add_attendee(tx: Unit, session_id: int, name: str) -> None:
    tx.attendees.add(session_id, name, "Team", "responder")


def _set_users(tx: Unit, session_id: int, users: int) -> None:
    tx.sessions.update(session_id, users_affected=users)


def measure(runs: int, workdir: Path) -> tuple[list[float], list[float], list[float]]:
    """Milliseconds per commit: plain sqlite3 (WAL, synchronous=FULL), attendee add, fact edit."""
    plain_path = workdir / "plain.db"
    conn = sqlite3.connect(plain_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, session_id INTEGER, name TEXT)")
    plain: list[float] = []
    for i in range(runs):
        start = time.perf_counter()
        conn.execute("BEGIN")
        conn.execute("INSERT INTO t (session_id, name) VALUES (1, ?)", (f"n{i}",))
        conn.execute("COMMIT")
        plain.append((time.perf_counter() - start) * 1000)
    conn.close()

    engine = open_engine(str(workdir / "database.db"))
    database = Database(engine)
    session = database.write(lambda tx: tx.sessions.create("Bench", "SEV2"))
    assert session.id is not None
    session_id = session.id
    adds: list[float] = []
    edits: list[float] = []
    for i in range(runs):
        name = f"Person {i}"
        start = time.perf_counter()
        database.write(partial(_add_attendee, session_id=session_id, name=name))
        adds.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        database.write(partial(_set_users, session_id=session_id, users=i))
        edits.append((time.perf_counter() - start) * 1000)
    engine.dispose()
    return plain, adds, edits
