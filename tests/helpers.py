"""What the tests share: a fixed clock, the demo, reading the screen, typing like a person,
and waiting for the app's database thread instead of sleeping."""

from __future__ import annotations

import io
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from rich.console import Console
from textual import events
from textual.app import App
from textual.keys import _character_to_key
from textual.widgets import Footer

from debrief_tui.core.persistence import Gateway, Job
from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.unit import Database
from debrief_tui.ui.app import DebriefApp
from debrief_tui.ui.screens.stage import StageScreen

_T = TypeVar("_T")

FIXED_NOW = datetime(2025, 3, 24, 9, 30, tzinfo=UTC)
DEFAULT_STAGES = (
    "Ground rules",
    "Timeline review",
    "5 Whys",
    "Contributing factors",
    "Lessons",
    "Actions",
    "Wrap-up",
)
"""The titles of the shipped agenda's stages, in order."""
REPO = Path(__file__).resolve().parent.parent


class LoopGuard:
    """Records SQL run on the event loop's thread while an app runs under Pilot."""

    def __init__(self) -> None:
        self.apps = 0
        self.loop_thread: threading.Thread | None = None
        self.offences: list[str] = []

    def check(self, *args: Any) -> None:
        statement = str(args[2]) if len(args) > 2 else "?"
        if self.apps and threading.current_thread() is self.loop_thread:
            self.offences.append(statement.split("\n")[0][:120])
            raise AssertionError(f"SQL on the event loop's thread: {statement[:120]}")


def fixed_clock() -> datetime:
    """The clock every test database runs on."""
    return FIXED_NOW


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2025, 3, 24, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def app_for(db: Database, **options: Any) -> DebriefApp:
    """The app over a test database (which the test keeps open after the app closes)."""
    return DebriefApp(Gateway(lambda: db, closes_database=False), **options)


def screen_text(app: App[Any]) -> str:
    """The text a person sees on the app's screen right now, modal dialogs included."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(update)
    return console.export_text()


async def settle(pilot: Any) -> None:
    """Wait until the app has nothing left to do: no job queued for its database thread, no
    worker running, no message waiting."""
    app = pilot.app
    for _ in range(200):
        await pilot.pause()
        if isinstance(app, DebriefApp) and app.gateway.busy:
            await app.gateway.read(lambda tx: None)
            continue
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not (isinstance(app, DebriefApp) and app.gateway.busy):
            return


async def footer_says(pilot: Any, keys: str) -> bool:
    """Whether the footer comes to show `keys` within two seconds. It redraws its keys a
    refresh after an action changes them (f5 Start becoming f5 Pause), and on a loaded
    machine that refresh came after `settle`."""
    for _ in range(40):
        if keys in screen_text(pilot.app):
            return True
        await pilot.pause(0.05)
    return keys in screen_text(pilot.app)


async def read(pilot: Any, job: Job[_T]) -> _T:
    """What the database holds once the app has settled, read on its database thread."""
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, DebriefApp)
    return await app.gateway.read(job)


async def write(pilot: Any, job: Job[_T]) -> _T:
    """Change the database on the app's own database thread, as another part of the app
    would, after what the app has queued."""
    app = pilot.app
    assert isinstance(app, DebriefApp)
    return await app.gateway.write(job)


async def start(app: DebriefApp, pilot: Any) -> StageScreen:
    """Wait until the meeting screen has settled: its data read, footer mounted."""
    await settle(pilot)
    assert isinstance(app.screen, StageScreen)
    for _ in range(20):
        if app.screen.query(Footer):
            break
        await pilot.pause()
    await settle(pilot)  # and drawn
    return app.screen


@asynccontextmanager
async def running(
    db: Database, session_id: int | None = None, **options: Any
) -> AsyncIterator[tuple[DebriefApp, Any]]:
    """The app over `db` (on a session's meeting, or the session list), running headless."""
    clock = options.pop("clock", fixed_clock)
    app = app_for(db, session_id=session_id, clock=clock)
    async with app.run_test(**options) as pilot:
        await settle(pilot)
        yield app, pilot


@asynccontextmanager
async def stage(
    db: Database, session: PostmortemSession, key: str, **options: Any
) -> AsyncIterator[tuple[DebriefApp, Any, StageScreen]]:
    """The demo meeting moved to the stage with `key` (100x34 unless told), settled."""
    assert session.id is not None
    session_id = session.id
    clock = FakeClock()
    db.clock = clock
    db.write(lambda tx: tx.meeting.set_state(session_id, current_stage=key))
    app = app_for(db, session_id=session_id, clock=clock)
    async with app.run_test(**{"size": (100, 34), **options}) as pilot:
        yield app, pilot, await start(app, pilot)


async def answer(pilot: Any, key: str, text: str) -> None:
    """Press `key` (a or s), type the answer, Enter."""
    await pilot.press(key)
    await settle(pilot)
    await type_text(pilot, text)
    await pilot.press("enter")
    await settle(pilot)


async def type_text(pilot: Any, text: str) -> None:
    """Type `text` into the focused widget as a fast typist would: one key event per
    character, in order, without waiting between them; then wait until all are handled.
    (`pilot.press` waits 40 ms or more after every key, which made typing a long answer
    take most of the suite's time.)"""
    app = pilot.app
    for char in text:
        app.post_message(events.Key(char if char.isalnum() else _character_to_key(char), char))
    await settle(pilot)


async def run_command(pilot: Any, name: str) -> None:
    """Open the command palette, type `name` and run the first match."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await type_text(pilot, name)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await settle(pilot)


async def opened(app: App[Any], pilot: Any, kind: type) -> Any:
    """The screen (a dialog) of `kind` once it is on top; fails when it never opens."""
    for _ in range(40):
        if isinstance(app.screen, kind):
            return app.screen
        await settle(pilot)
    raise AssertionError(f"{kind.__name__} did not open; screen is {app.screen!r}")


def old_database(url: str, version: int, *statements: str) -> None:
    """A database as schema `version` left it, holding session 1 ("Old", SEV2, UTC) and
    what `statements` add: for the tests that each migration keeps what was there."""
    import sqlalchemy as sa

    from debrief_tui.core.persistence.engine import migrate

    engine = sa.create_engine(url)
    migrate(engine, "old", target_version=version)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO session (id, title, severity, status, timezone, summary, created_at,"
                " updated_at, services_affected) VALUES (1, 'Old', 'SEV2', 'draft', 'UTC', '',"
                " '2024-05-01 10:00:00', '2024-05-01 10:00:00', '')"
            )
        )
        for statement in statements:
            conn.execute(sa.text(statement))
    engine.dispose()
