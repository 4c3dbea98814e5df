"""Several seats on one meeting: how soon one seat shows what another confirmed, what watching
for changes costs a seat that does nothing, and appending while another seat appends.

- Propagation: two apps in this process, each with its own connection (as two terminals have).
  From the Enter event posted to seat A to the first frame seat B hands its terminal with the
  minute shown. Samples are spaced by a random pause, so they fall anywhere in the watcher's
  polling period rather than in step with it.
- Idle cost: `debrief open ID` in a pseudo-terminal, left alone for a minute beside a bare
  Textual app, each process's CPU time read from /proc.
- Appending beside a busy seat: this process's seat times Enter-to-shown (as the minute-append
  figure does) alone, then while a second app in another process appends as fast as it can.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pty
import random
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from textual import events

from bench.startup import BARE_APP
from bench.timing import timed

POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"

WRITER = """
import asyncio, sys
from textual import events
from debrief_tui.core.persistence import resolve
from debrief_tui.startup import create_app
from debrief_tui.ui.widgets.minutes_list import MinutesList

async def main(db, session_id):
    app = create_app(resolve(db), session_id=int(session_id), role="note-taker")
    async with app.run_test(size=(80, 24)) as pilot:
        while not app.screen.query(MinutesList):
            await pilot.pause()
        print("WRITING", flush=True)
        book, n = app.context.book, 0
        changed = asyncio.Event()
        book.subscribe(lambda first: changed.set())
        while True:  # as fast as the seat takes lines: a paste and Enter, then the next
            before = len(book.minutes)
            app.post_message(events.Paste(f"Other seat line {n}"))
            app.post_message(events.Key("enter", "\\r"))
            while len(book.minutes) == before:  # committed and in the list, then the next
                changed.clear()
                await changed.wait()
            n += 1

asyncio.run(main(*sys.argv[1:]))
"""


def _session(url: str) -> int:
    """A meeting with the demo incident in a new database at `url`; its session id."""
    from debrief_tui.core.export import load_document_file
    from debrief_tui.core.persistence import open_database
    from debrief_tui.paths import data_path

    db = open_database(url)
    document = load_document_file(data_path("demo.json"), "demo")
    session = db.write(lambda tx: tx.documents.create(document))
    db.dispose()
    assert session.id is not None
    return session.id


@contextlib.contextmanager
def postgres_database() -> Iterator[str | None]:
    """A new PostgreSQL database for the run (dropped after), or None without a server."""
    try:
        import psycopg

        admin = psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=3)
    except Exception:  # no driver or no server: the PostgreSQL rows say so
        yield None
        return
    name = f"debrief_bench_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


async def _ready(app: Any, pilot: Any) -> Any:
    """Wait until the seat shows its minutes; its minutes box."""
    from debrief_tui.ui.widgets.minute_input import MinuteInput
    from debrief_tui.ui.widgets.minutes_list import MinutesList

    await app.workers.wait_for_complete()
    while not app.screen.query(MinutesList):
        await pilot.pause()
    await pilot.pause()
    return app.screen.query_one(MinuteInput)


async def _propagation(url: str, session_id: int, samples: int) -> tuple[list[float], list[float]]:
    """Milliseconds from Enter in seat A to the frame showing the minute in seat B, and (the
    floor) to the frame showing it in seat A itself."""
    from debrief_tui.core.persistence import resolve
    from debrief_tui.startup import create_app

    seat_a = create_app(resolve(url), session_id=session_id)
    seat_b = create_app(resolve(url), session_id=session_id, role="note-taker")
    there: list[float] = []
    here: list[float] = []
    async with seat_a.run_test(size=(80, 24)) as pilot_a, seat_b.run_test(size=(80, 24)) as pilot_b:
        box = await _ready(seat_a, pilot_a)
        await _ready(seat_b, pilot_b)
        assert seat_a.context is not None
        assert seat_b.context is not None
        book_a, book_b = seat_a.context.book, seat_b.context.book
        for n in range(samples):
            await asyncio.sleep(random.uniform(0.0, 0.15))
            box.value = f"Priya: propagated minute {n}"
            grown_a = _grown(book_a)
            grown_b = _grown(book_b)
            own = asyncio.ensure_future(timed(seat_a, lambda: None, grown_a))
            there.append(
                await timed(seat_b, lambda: seat_a.post_message(events.Key("enter", "\r")), grown_b)
            )
            here.append(await own)
    return there, here


def _grown(book: Any) -> Callable[[], bool]:
    """True once the book holds one minute more than it does now (it may swap its list for a
    new one meanwhile: asked for each time)."""
    before = len(book.minutes)
    return lambda: len(book.minutes) > before


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _in_pty(argv: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    master, slave = pty.openpty()
    os.set_blocking(master, False)
    env = {**env, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    return proc, master


def _drain(master: int) -> None:
    with contextlib.suppress(OSError):
        while os.read(master, 65536):
            pass


def measure_idle(workdir: Path, urls: dict[str, str], seconds: float = 60) -> dict[str, float]:
    """Percent of one core each process used over `seconds` of doing nothing: a bare Textual
    app (the floor), and a seat open on a meeting for each database in `urls`."""
    env = dict(os.environ)
    bare_file = workdir / "bare_idle.py"
    bare_file.write_text(BARE_APP)
    script = str(Path(sys.executable).parent / "debrief")
    procs: dict[str, tuple[subprocess.Popen[bytes], int]] = {
        "floor": _in_pty([sys.executable, str(bare_file)], env)
    }
    for name, url in urls.items():
        session_id = _session(url)
        procs[name] = _in_pty([script, "--db", url, "open", str(session_id)], env)
    try:
        settle_until = time.monotonic() + 8  # start-up, the first reads, the footer
        while time.monotonic() < settle_until:
            for _proc, master in procs.values():
                _drain(master)
            time.sleep(0.2)
        start = {name: _cpu_seconds(proc.pid) for name, (proc, _m) in procs.items()}
        began = time.monotonic()
        while time.monotonic() - began < seconds:
            for _proc, master in procs.values():
                _drain(master)  # a full terminal buffer would block the app's output
            time.sleep(0.5)
        elapsed = time.monotonic() - began
        return {
            name: 100 * (_cpu_seconds(proc.pid) - start[name]) / elapsed
            for name, (proc, _m) in procs.items()
        }
    finally:
        for proc, master in procs.values():
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            os.close(master)


async def _appending(url: str, session_id: int, samples: int) -> list[float]:
    """Enter-to-shown in this process's seat (committed and shown), one sample at a time."""
    from debrief_tui.core.persistence import resolve
    from debrief_tui.startup import create_app

    app = create_app(resolve(url), session_id=session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        box = await _ready(app, pilot)
        assert app.context is not None
        book = app.context.book
        out = []
        for n in range(samples):
            text = f"minute {n} of this seat"
            box.value = f"Priya: {text}"

            def shown(text: str = text) -> bool:
                # The other seat's lines arrive in between: look at the newest few.
                return any(m.text == text for m in book.minutes[-100:])

            out.append(await timed(app, lambda: app.post_message(events.Key("enter", "\r")), shown))
        return out


@contextlib.contextmanager
def _other_seat_writing(url: str, session_id: int) -> Iterator[None]:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, url, str(session_id)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert proc.stdout is not None
        if b"WRITING" not in proc.stdout.readline():
            raise RuntimeError("the other seat did not start writing")
        yield
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


def measure_busy(samples: int, workdir: Path, rounds: int = 4) -> dict[str, list[float]]:
    """Milliseconds per append in one seat, alone and while another seat appends flat out."""
    url = str(workdir / "busy.db")
    session_id = _session(url)
    out: dict[str, list[float]] = {"alone": [], "busy": []}
    per_round = max(1, samples // rounds)
    for _ in range(rounds):
        out["alone"] += asyncio.run(_appending(url, session_id, per_round))
        with _other_seat_writing(url, session_id):
            out["busy"] += asyncio.run(_appending(url, session_id, per_round))
    return out


def measure_propagation(
    samples: int, workdir: Path, postgres: str | None
) -> dict[str, tuple[list[float], list[float]]]:
    """Propagation on SQLite and (with a server) PostgreSQL: (other seat, own seat) in ms."""
    out = {}
    sqlite_url = str(workdir / "seats.db")
    out["sqlite"] = asyncio.run(_propagation(sqlite_url, _session(sqlite_url), samples))
    if postgres is not None:
        out["postgresql"] = asyncio.run(_propagation(postgres, _session(postgres), samples))
    return out
