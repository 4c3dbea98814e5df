"""Minute append: Enter to committed-and-shown, against a bare Textual app writing to a Log.

Both apps run headless in this process. Each sample starts when the Enter key event is
posted to the app and ends at the first screen refresh after the line is in the list (and,
for debrief, committed to the database file). Pilot is not used to time: its idle wait
has a floor of about 100 ms.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input, Log

from bench.timing import timed


class LogFloor(App[None]):
    """The floor: an Input above nothing but a Log; Enter writes the line to the Log."""

    def compose(self) -> ComposeResult:
        yield Log(id="log")
        yield Input(id="box")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(Log).write_line(event.value)
        event.input.value = ""


async def _sample(app: App[Any], box: Input, count: Callable[[], int], text: str) -> float:
    box.value = text
    before = count()
    return await timed(
        app, lambda: app.post_message(events.Key("enter", "\r")), lambda: count() > before
    )


async def _floor(samples: int) -> list[float]:
    app = LogFloor()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        box = app.query_one(Input)
        log = app.query_one(Log)
        app.set_focus(box)
        await pilot.pause()
        return [
            await _sample(app, box, lambda: log.line_count, f"line {n}") for n in range(samples)
        ]


def _prepare(existing: int, workdir: Path) -> tuple[Path, int]:
    """A database with one session holding `existing` minutes; its path and the session id."""
    from debrief_tui.core.persistence.engine import open_engine
    from debrief_tui.core.persistence.unit import Database

    db = workdir / f"minutes-{existing}.db"
    database = Database(open_engine(str(db)))
    row = database.write(lambda tx: tx.sessions.create("Bench", "SEV2"))
    assert row.id is not None
    row_id = row.id
    database.write(
        lambda tx: tx.minutes.add(
            row_id,
            "ground-rules",
            [(None, f"earlier line {n}") for n in range(existing)],
            datetime.now(UTC),
        )
    )
    database.engine.dispose()
    return db, row_id


async def _ours(samples: int, db: Path, session_id: int) -> list[float]:
    from debrief_tui.core.persistence import resolve
    from debrief_tui.startup import create_app
    from debrief_tui.ui.widgets.minute_input import MinuteInput
    from debrief_tui.ui.widgets.minutes_list import MinutesList

    app = create_app(resolve(str(db)), session_id=session_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        while not app.screen.query(MinutesList):  # it joins just after the first frame
            await pilot.pause()
        await pilot.pause()
        box = app.screen.query_one(MinuteInput)
        assert app.context is not None
        book = app.context.book
        return [
            await _sample(app, box, lambda: len(book.minutes), f"Priya: minute {n}")
            for n in range(samples)
        ]


def measure(samples: int, workdir: Path, rounds: int = 4) -> dict[str, list[float]]:
    """Milliseconds per append: the Log floor, and debrief with 100 and 10,000 minutes.

    The three take turns in `rounds` rounds, so a noisy moment on a shared machine falls on
    all of them rather than on one.
    """
    dbs = {"100": _prepare(100, workdir), "10000": _prepare(10_000, workdir)}
    out: dict[str, list[float]] = {"floor": [], "100": [], "10000": []}
    per_round = max(1, samples // rounds)
    for _ in range(rounds):
        out["floor"] += asyncio.run(_floor(per_round))
        for name, (db, session_id) in dbs.items():
            out[name] += asyncio.run(_ours(per_round, db, session_id))
    return out
