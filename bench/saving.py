"""Saving: one confirmed edit through the store, against a plain sqlite3 INSERT + COMMIT."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from debrief_tui.core.persistence.db import open_engine
from debrief_tui.core.persistence.store import Store


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

    engine = open_engine(str(workdir / "store.db"))
    store = Store(engine)
    session = store.create_session("Bench", "SEV2")
    assert session.id is not None
    adds: list[float] = []
    edits: list[float] = []
    for i in range(runs):
        start = time.perf_counter()
        store.add_attendee(session.id, f"Person {i}", "Team", "responder")
        adds.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        store.update_session(session.id, users_affected=i)
        edits.append((time.perf_counter() - start) * 1000)
    engine.dispose()
    return plain, adds, edits
