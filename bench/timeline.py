"""The timeline at size: importing a 5,000-line paste, and the stage with 5,000 events.

Import: `read_timeline` plus the one-transaction insert, from text to committed rows, against
a plain sqlite3 executemany of the same rows. Stage: a key press (cursor down) and an added
event, each from the moment it is sent to the first refresh that shows it, with 10 and with
5,000 events; the floor is a bare Textual app repainting a Static after a key press.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static

from bench.timing import timed

if TYPE_CHECKING:
    from debrief_tui.core.persistence.unit import Unit
    from debrief_tui.core.timeline.events import TimelineRow

START = datetime(2025, 3, 21, 8, 0, tzinfo=UTC)


def pasted_timeline(lines: int) -> str:
    """A realistic paste: bullets, 12- and 24-hour times, zones, marks, brackets and sentence
    openings (the shapes of published postmortems, issue 16)."""
    shapes = (
        "- {t:%H:%M} UTC: alert fired for checkout latency p99 > 2s ({n})",
        "* ~{t:%I:%M %p} status page updated: investigating ({n})",
        "{t:%Y-%m-%d %H:%M:%S} +00:00 | rolled back deploy {n}",
        "{t:%b %d, %Y} {t:%H:%M} - on-call paged, acknowledged ({n})",
        "[{t:%Y-%m-%d %H:%M} UTC]: error rate back under 1% ({n})",
        "At {t:%H:%M} UTC, the team failed over the primary database ({n})",
    )
    out = []
    for n in range(lines):
        moment = START + timedelta(seconds=17 * n)
        out.append(shapes[n % len(shapes)].format(t=moment, n=n))
    return "\n".join(out) + "\n"


def _add_many(tx: Unit, session_id: int, rows: list[TimelineRow]) -> int:
    return tx.timeline.add_many(session_id, rows)


def measure_import(runs: int, workdir: Path) -> tuple[list[float], list[float]]:
    """Seconds to read and save a 5,000-line paste; the sqlite3 floor for the same rows."""
    from debrief_tui.core.persistence.engine import open_engine
    from debrief_tui.core.persistence.unit import Database
    from debrief_tui.core.timeline.events import TimelineRow
    from debrief_tui.core.timeline.importing import read_timeline

    text = pasted_timeline(5000)
    ours, floor = [], []
    for run in range(runs):
        database = Database(open_engine(str(workdir / f"import-{run}.db")))
        session = database.write(lambda tx: tx.sessions.create("Bench", "SEV2"))
        assert session.id is not None
        session_id = session.id
        start = time.perf_counter()
        result = read_timeline(text, "md", "UTC", date(2025, 3, 21))
        rows = [
            TimelineRow(e.at, e.text, e.kind, e.key_event, e.approximate) for e in result.events
        ]
        count = database.write(partial(_add_many, session_id=session_id, rows=rows))
        ours.append(time.perf_counter() - start)
        assert count == 5000, count
        assert not result.bad, result.bad[:3]
        plain = sqlite3.connect(workdir / f"plain-{run}.db")
        plain.execute("PRAGMA synchronous=FULL")
        plain.execute("CREATE TABLE t (at TEXT, text TEXT, kind TEXT)")
        values = [(e.at.isoformat(), e.text, e.kind) for e in result.events]
        start = time.perf_counter()
        with plain:
            plain.executemany("INSERT INTO t VALUES (?, ?, ?)", values)
        floor.append(time.perf_counter() - start)
        plain.close()
    return ours, floor


class KeyFloor(App[None]):
    """The floor: a Static that shows a counter, bumped by each key press."""

    count = 0

    def compose(self) -> ComposeResult:
        yield Static("0", id="count")

    def on_key(self) -> None:
        self.count += 1
        self.query_one(Static).update(str(self.count))


def _press(app: App[Any], key: str) -> Callable[[], object]:
    return lambda: app.post_message(events.Key(key, None))


def _grew(count: Callable[[], int], before: int) -> Callable[[], bool]:
    return lambda: count() > before


def _moved(table: Any, before: int) -> Callable[[], bool]:
    return lambda: bool(table.cursor_row != before)


async def _floor(samples: int) -> list[float]:
    app = KeyFloor()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        out = []
        for _ in range(samples):
            before = app.count
            out.append(await timed(app, _press(app, "down"), _grew(lambda: app.count, before)))
        return out


async def _stage(samples: int, existing: int, workdir: Path) -> dict[str, list[float]]:
    from debrief_tui.core.persistence.engine import open_engine
    from debrief_tui.core.persistence.unit import Database
    from debrief_tui.core.timeline.events import TimelineRow
    from debrief_tui.startup import create_app
    from debrief_tui.ui.screens.timeline import TimelineScreen
    from debrief_tui.ui.widgets.event_table import EventTable

    database = Database(open_engine(str(workdir / f"stage-{existing}.db")))
    session = database.write(lambda tx: tx.sessions.create("Bench", "SEV2", started_at=START))
    assert session.id is not None
    session_id = session.id
    events = [TimelineRow(START + timedelta(seconds=17 * n), f"event {n}") for n in range(existing)]
    database.write(lambda tx: tx.timeline.add_many(session_id, events))
    database.write(lambda tx: tx.meeting.set_state(session_id, current_stage="timeline"))
    app = create_app(database, session_id=session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        table = screen.query_one(EventTable)
        table.move_cursor(row=existing // 2)
        await pilot.pause()
        keys = []
        for n in range(samples):
            key = "down" if n % 2 == 0 else "up"  # stays clear of the ends
            before = table.cursor_row
            keys.append(await timed(app, _press(app, key), _moved(table, before)))
        adds = []
        for n in range(samples):
            count = table.row_count
            row = TimelineRow(START + timedelta(seconds=17 * n + 5), f"added {n}", "action")

            async def add(row: TimelineRow = row) -> None:
                # As the dialog's save does: committed on the database thread, then shown.
                screen._put(await app.gateway.write(lambda tx: tx.timeline.add(session_id, row)))

            adds.append(
                await timed(
                    app, lambda: asyncio.ensure_future(add()), _grew(lambda: table.row_count, count)
                )
            )
        return {"key": keys, "add": adds}


def measure_stage(samples: int, workdir: Path) -> dict[str, list[float]]:
    """Milliseconds per key press and per added event at 10 and 5,000 events, and the floor."""
    small = asyncio.run(_stage(samples, 10, workdir))
    large = asyncio.run(_stage(samples, 5000, workdir))
    return {
        "floor": asyncio.run(_floor(samples)),
        "key-10": small["key"],
        "key-5000": large["key"],
        "add-10": small["add"],
        "add-5000": large["add"],
    }
