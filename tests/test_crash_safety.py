"""A confirmed edit is on disk before the screen says so: `kill -9` right after Enter loses nothing.

Runs the real `debrief` in a pseudo-terminal, as a person would.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from debrief_tui.core.db import open_engine
from debrief_tui.core.store import Store


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


def test_kill_9_right_after_enter_loses_nothing(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    engine = open_engine(str(db))
    store = Store(engine)
    row = store.create_session("Before", "SEV2", "UTC")
    engine.dispose()
    env = {**os.environ, "DEBRIEF_DB": str(db)}
    term = Terminal([sys.executable, "-m", "debrief_tui", "open", str(row.id)], env)
    try:
        term.wait_for(b"Before")
        term.type(b"\t")  # into the Title box, its text selected
        term.type(b"After the crash\r")
        term.wait_for(b"saved")
        for _ in range(5):  # Severity, Status, Time zone, Summary, Started
            term.type(b"\t")
        term.type(b"2025-03-21 23:12 CET\r")
        term.wait_for(b"22:12")
    finally:
        term.kill()
    engine = open_engine(str(db))
    again = Store(engine).get_session(row.id or 0)
    assert again.title == "After the crash"
    assert again.started_at is not None
    assert again.started_at.isoformat() == "2025-03-21T22:12:00+00:00"
    engine.dispose()
