"""The store failing under a running meeting: the disk full, the file made read-only.

The faults are SQLite's own, on a real file: `max_page_count` held at the file's size makes the
next page SQLite needs fail as a full disk does ("database or disk is full"), and `query_only`
refuses every write as a read-only file does ("attempt to write a readonly database"). Either
way, what was typed stays where it was typed with a message, what was confirmed before is all
still there, and the same Enter saves it once the disk can take it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import pytest
import sqlalchemy as sa

from debrief_tui.core.export.document import load_document_file
from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.unit import Database
from debrief_tui.paths import data_path
from debrief_tui.ui.app import DebriefApp
from debrief_tui.ui.dialogs.event_dialog import EventDialog
from debrief_tui.ui.widgets.minute_input import MinuteInput
from tests.helpers import FakeClock, app_for, read, screen_text, settle, start, type_text

FAULTS = {
    "disk-full": "database or disk is full",
    "read-only": "attempt to write a readonly database",
}
LONG = "; ".join(["the canary pods never saw the new certificate"] * 400)  # pages of its own
EVENT = LONG[:2000].strip()  # the longest event: half a page, where the file has no room


class Fault:
    """A fault every connection of `engine` meets from its next checkout on, until cleared."""

    def __init__(self, engine: sa.Engine) -> None:
        self.kind: str | None = None
        sa.event.listen(engine, "checkout", self._apply)

    def _apply(self, driver: sqlite3.Connection, _record: object, _proxy: object) -> None:
        if self.kind == "disk-full":
            pages = driver.execute("PRAGMA page_count").fetchone()[0]
            driver.execute(f"PRAGMA max_page_count = {pages}")
        else:
            driver.execute(f"PRAGMA max_page_count = {2**30}")
        driver.execute(f"PRAGMA query_only = {int(self.kind == 'read-only')}")


@pytest.fixture
def session(file_db: Database) -> PostmortemSession:
    document = load_document_file(data_path("demo.json"), "demo")
    return file_db.write(lambda tx: tx.documents.create(replace(document, parking_lot=())))


@pytest.fixture
def fault(file_db: Database) -> Iterator[Fault]:
    injected = Fault(file_db.engine)
    yield injected
    injected.kind = None


@asynccontextmanager
async def running(
    db: Database, session: PostmortemSession, clock: FakeClock
) -> AsyncIterator[tuple[DebriefApp, Any]]:
    db.clock = clock
    app = app_for(db, session_id=session.id, clock=clock)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await start(app, pilot)
        yield app, pilot


def _shown(app: DebriefApp) -> str:
    """The messages on screen (a toast, a form's error): what is right of their left border,
    read as one line, with what they cover left out."""
    parts = [line.split("▌", 1)[1] for line in screen_text(app).splitlines() if "▌" in line]
    return " ".join(" ".join(parts).split())


def _on_dialog(app: DebriefApp) -> bool:
    return isinstance(app.screen, EventDialog)


async def _stored_minutes(pilot: Any, session_id: int) -> list[str]:
    return [m.text for m in await read(pilot, lambda tx: tx.minutes.of(session_id))]


@pytest.mark.parametrize("kind", FAULTS)
async def test_a_minute_the_disk_cannot_take_stays_in_the_box_and_nothing_before_is_lost(
    file_db: Database, session: PostmortemSession, clock: FakeClock, fault: Fault, kind: str
) -> None:
    assert session.id is not None
    session_id = session.id
    async with running(file_db, session, clock) as (app, pilot):
        before = await _stored_minutes(pilot, session_id)
        await type_text(pilot, "confirmed before the fault")
        await pilot.press("enter")
        await settle(pilot)
        fault.kind = kind
        box = app.screen.query_one(MinuteInput)
        box.value = LONG
        await pilot.press("enter")
        await settle(pilot)
        assert box.value == LONG
        shown = _shown(app)
        assert f"the database could not be written: {FAULTS[kind]}" in shown
        assert "The line is kept" in shown
        fault.kind = None
        stored = await _stored_minutes(pilot, session_id)
        assert sorted(stored) == sorted([*before, "confirmed before the fault"])
        await pilot.press("enter")
        await settle(pilot)
        assert box.value == ""
        stored = await _stored_minutes(pilot, session_id)
        assert sorted(stored) == sorted([*before, "confirmed before the fault", LONG])


@pytest.mark.parametrize("kind", FAULTS)
async def test_an_event_the_disk_cannot_take_stays_in_its_dialog(
    file_db: Database, session: PostmortemSession, clock: FakeClock, fault: Fault, kind: str
) -> None:
    assert session.id is not None
    session_id = session.id
    async with running(file_db, session, clock) as (app, pilot):
        await pilot.press("f8")
        await settle(pilot)
        events_before = len(await read(pilot, lambda tx: tx.timeline.of(session_id)))
        fault.kind = kind
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, EventDialog)
        await type_text(pilot, "23:30")
        await pilot.press("enter")
        app.screen.query_one("#event-text").value = EVENT  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EventDialog)
        assert app.screen.query_one("#event-text").value == EVENT  # type: ignore[attr-defined]
        assert f"the database could not be written: {FAULTS[kind]}" in _shown(app)
        fault.kind = None
        await pilot.press("enter")
        await settle(pilot)
        assert _on_dialog(app) is False
        stored = await read(pilot, lambda tx: tx.timeline.of(session_id))
        assert len(stored) == events_before + 1
        assert EVENT in [e.text for e in stored]
