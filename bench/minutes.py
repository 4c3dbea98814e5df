"""Minute append: Enter to committed-and-shown, against a bare Textual app writing to a Log.

Both apps run headless in this process. Each sample starts when the Enter key event is
posted to the app and ends at the first screen refresh after the line is in the list (and,
for debrief, committed to the database file). Pilot is not used to time: its idle wait
has a floor of about 100 ms.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input, Log


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
    refreshed = asyncio.get_running_loop().create_future()
    start = time.perf_counter()
    app.post_message(events.Key("enter", "\r"))
    while count() == before:
        await asyncio.sleep(0)

    def shown() -> None:
        if not refreshed.done():
            refreshed.set_result(None)

    app.screen.call_after_refresh(shown)
    await refreshed
    return (time.perf_counter() - start) * 1000


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


async def _ours(samples: int, existing: int, workdir: Path) -> list[float]:
    from debrief_tui.core.db import open_engine
    from debrief_tui.core.store import Store
    from debrief_tui.ui.app import DebriefApp
    from debrief_tui.ui.widgets.minute_input import MinuteInput

    db = workdir / f"minutes-{existing}.db"
    store = Store(open_engine(str(db)))
    row = store.create_session("Bench", "SEV2")
    assert row.id is not None
    store.add_minutes(
        row.id,
        "ground-rules",
        [(None, f"earlier line {n}") for n in range(existing)],
        datetime.now(UTC),
    )
    app = DebriefApp(store, session_id=row.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        box = app.screen.query_one(MinuteInput)
        assert app.context is not None
        book = app.context.book
        return [
            await _sample(app, box, lambda: len(book.minutes), f"Priya: minute {n}")
            for n in range(samples)
        ]


def measure(samples: int, workdir: Path) -> dict[str, list[float]]:
    """Milliseconds per append: the Log floor, and debrief with 100 and 10,000 minutes."""
    return {
        "floor": asyncio.run(_floor(samples)),
        "100": asyncio.run(_ours(samples, 100, workdir)),
        "10000": asyncio.run(_ours(samples, 10_000, workdir)),
    }
