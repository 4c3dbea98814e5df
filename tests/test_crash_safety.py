"""A confirmed edit is on disk before the screen says so: `kill -9` right after Enter loses nothing.

Runs the real `debrief` in a pseudo-terminal, as a person would.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from debrief_tui.core.persistence.engine import open_engine
from debrief_tui.core.persistence.unit import Database


class Terminal:
    """A process in an 80x24 pseudo-terminal, with what it has drawn so far."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        master, slave = pty.openpty()
        os.set_blocking(master, False)
        self.fd = master
        self.proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**env, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"},
            close_fds=True,
        )
        os.close(slave)
        self.seen = b""

    def wait_for(self, needle: bytes, timeout: float = 30) -> None:
        """Read the output until `needle` has been drawn."""
        deadline = time.monotonic() + timeout
        while needle not in self.seen:
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} not shown; tail: {self.seen[-400:]!r}")
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    self.seen += os.read(self.fd, 65536)
                except OSError:
                    break

    def type(self, data: bytes) -> None:
        """Send keys."""
        os.write(self.fd, data)

    def kill(self) -> None:
        """SIGKILL: no quit handler, no flush, nothing runs after this."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        os.close(self.fd)


F5 = b"\x1b[15~"  # starts the meeting's clock
F2 = b"\x1bOQ"


def _session(db: Path, title: str) -> int:
    engine = open_engine(str(db))
    database = Database(engine)
    row = database.write(lambda tx: tx.sessions.create(title, "SEV2", "UTC"))
    session_id = row.id or 0
    database.write(lambda tx: tx.attendees.add(session_id, "Priya Raman", "SRE", "facilitator"))
    engine.dispose()
    assert row.id is not None
    row_id = row.id
    return row_id


def _opened(db: Path, title: str) -> tuple[Path, int, Terminal]:
    """A new session titled `title` in `db`, opened by `debrief open` in a pseudo-terminal."""
    session_id = _session(db, title)
    env = {**os.environ, "DEBRIEF_DB": str(db)}
    argv = [sys.executable, "-m", "debrief_tui", "open", str(session_id)]
    return db, session_id, Terminal(argv, env)


def _wait_for_rows(db: Path, query: str, timeout: float = 30) -> None:
    """Poll the file read-only, as another process would, until the query counts a row."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
        try:
            if conn.execute(query).fetchone()[0]:
                return
        except sqlite3.OperationalError:
            pass
        finally:
            conn.close()
        time.sleep(0.01)
    raise AssertionError(f"never committed: {query}")


def _read(db: Path) -> Database:
    return Database(open_engine(str(db)))


def test_minutes_typed_at_machine_speed_survive_kill_9(tmp_path: Path) -> None:
    db, session_id, term = _opened(tmp_path / "crash.db", "Minutes crash")
    lines = [f"line {n} of the minutes" for n in range(1, 31)]
    try:
        term.wait_for(b"Minutes crash")
        # No pauses: 30 lines and their Enters in one write, as a script or a paste of keys.
        term.type(b"priya: " + "\r".join(lines).encode() + b"\r")
        term.type(b"and the last one\r")
        # Kill the moment the last line is committed: no later write may be needed.
        _wait_for_rows(db, "SELECT count(*) FROM minute WHERE text = 'and the last one'")
    finally:
        term.kill()
    database = _read(db)
    saved = [(m.author, m.text) for m in database.read(lambda tx: tx.minutes.of(session_id))]
    database.engine.dispose()
    expected = [("Priya Raman", lines[0])] + [(None, line) for line in lines[1:]]
    assert saved == [*expected, (None, "and the last one")]


def test_fact_edit_survives_kill_9(tmp_path: Path) -> None:
    db, session_id, term = _opened(tmp_path / "crash.db", "Before")
    try:
        term.wait_for(b"Before")
        term.type(F2)  # session setup
        term.wait_for(b"Facts")
        term.type(b"\t")  # into the Title box, its text selected
        term.type(b"After the crash\r")
        term.wait_for(b"saved")
        # Enter saved the title and moved on to Severity: Status, Time zone, Summary, Started
        for _ in range(4):
            term.type(b"\t")
        term.type(b"2025-03-21 23:12 CET\r")
        term.wait_for(b"22:12")
    finally:
        term.kill()
    database = _read(db)
    again = database.read(lambda tx: tx.sessions.get(session_id))
    database.engine.dispose()
    assert again.title == "After the crash"
    assert again.started_at is not None
    assert again.started_at.isoformat() == "2025-03-21T22:12:00+00:00"


def test_closing_the_window_ends_the_app_and_keeps_the_time(tmp_path: Path) -> None:
    """A terminal window closed under the app (no quit key) must not leave it running: the
    hung-up terminal reads as endless end-of-file, which would keep a process busy for ever."""
    db, session_id, term = _opened(tmp_path / "window.db", "Window closed")
    try:
        term.wait_for(b"Window closed")
        term.type(F5)  # the meeting starts
        term.wait_for(b"Pause")
        time.sleep(1.5)  # let the stage clock run a little
        os.close(term.fd)  # the window goes away
        term.proc.wait(timeout=10)
    finally:
        if term.proc.poll() is None:
            term.proc.kill()
            term.proc.wait(timeout=10)
    database = _read(db)
    runs = database.read(lambda tx: tx.meeting.runs(session_id))
    database.engine.dispose()
    assert runs
    assert runs[-1].ended_at is not None
    assert runs[-1].ended_at > runs[-1].started_at
