"""Two seats on one meeting, in one test process: each an app with its own connection to one
database file (as two terminals would have), named apart in the change log."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from functools import partial
from typing import Any

from debrief_tui.core.persistence import Gateway, open_database
from debrief_tui.core.persistence.unit import Database
from debrief_tui.ui.app import DebriefApp
from debrief_tui.ui.minute_book import MinuteBook
from debrief_tui.ui.screens.stage import StageScreen
from tests.helpers import settle, start

SEEN_WITHIN = 1.0
"""A change confirmed in one seat shows in the other within this many seconds."""


class Seat:
    """One running app: its pilot, and its own database connection."""

    def __init__(self, app: DebriefApp, pilot: Any, db: Database) -> None:
        self.app = app
        self.pilot = pilot
        self.db = db

    @property
    def book(self) -> MinuteBook:
        context = self.app.context
        assert context is not None
        return context.book

    @property
    def screen(self) -> StageScreen:
        screen = self.app.screen
        assert isinstance(screen, StageScreen)
        return screen


@asynccontextmanager
async def seats(
    url: str, session_id: int, *roles: str, size: tuple[int, int] = (100, 34)
) -> AsyncIterator[list[Seat]]:
    """Apps at one meeting, one per role, each with its own connection, all settled."""
    async with AsyncExitStack() as stack:
        opened: list[Seat] = []
        # Opened before any app runs: opening runs SQL, which no app's loop thread may.
        databases = [open_database(url) for _ in roles]
        for db in databases:
            stack.callback(db.dispose)
        for number, (role, db) in enumerate(zip(roles, databases, strict=True)):
            gateway = Gateway(partial(_same, db), closes_database=False, seat=f"seat-{number}")
            app = DebriefApp(gateway, session_id=session_id, role=role)
            pilot = await stack.enter_async_context(app.run_test(size=size, notifications=True))
            opened.append(Seat(app, pilot, db))
        for seat in opened:
            await start(seat.app, seat.pilot)
        yield opened


def _same(db: Database) -> Database:
    return db


async def until(check: Callable[[], bool], *_seats: Seat, within: float = SEEN_WITHIN) -> float:
    """Wait (letting every seat run) until `check()` holds; the seconds it took. Fails after
    `within` seconds."""
    began = time.monotonic()
    while not check():
        if time.monotonic() - began > within:
            raise AssertionError(f"not seen within {within} s")
        # Not pilot.pause: with thousands of keys queued it waits on them and times out. The
        # apps run on this same loop meanwhile.
        await asyncio.sleep(0.02)
    return time.monotonic() - began


async def settle_all(*seats: Seat) -> None:
    """Every seat has done what it queued."""
    for seat in seats:
        await settle(seat.pilot)
