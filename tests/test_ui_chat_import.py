"""Pilot tests for importing a chat export from the timeline stage: the dialog, the preview
before anything is saved, the import with authors, refusals kept in the dialog, and the room
panel's list of who spoke during the incident."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual.widgets import Input, Select, Static

from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.unit import Database
from debrief_tui.ui.app import DebriefApp
from debrief_tui.ui.dialogs.chat_import import ChatImport, ChatPreview
from debrief_tui.ui.screens.timeline import TimelineScreen
from debrief_tui.ui.widgets.event_table import EventTable
from tests.helpers import (
    FakeClock,
    app_for,
    opened,
    read,
    run_command,
    screen_text,
    settle,
    start,
    type_text,
)

EXAMPLE = Path(__file__).resolve().parent / "examples" / "slack" / "acme-export"
CHANNEL = "inc-2025-03-21-checkout"


@asynccontextmanager
async def timeline(
    db: Database, session: PostmortemSession, size: tuple[int, int] = (110, 40)
) -> AsyncIterator[tuple[DebriefApp, Any, TimelineScreen]]:
    """The demo meeting on its timeline stage, settled."""
    clock = FakeClock()
    db.clock = clock
    assert session.id is not None
    session_id = session.id
    db.write(lambda tx: tx.meeting.set_state(session_id, current_stage="timeline"))
    app = app_for(db, session_id=session.id, clock=clock)
    async with app.run_test(size=size, notifications=True) as pilot:
        screen = await start(app, pilot)
        assert isinstance(screen, TimelineScreen)
        yield app, pilot, screen


async def fill(pilot: Any, dialog: ChatImport, path: str, channel: str) -> None:
    """Type the export's path and the channel as a person would (Enter moves on)."""
    dialog.query_one("#chat-path", Input).value = path  # a long path: set, not typed
    await pilot.press("enter")
    assert dialog.focused is dialog.query_one("#chat-channel", Input)
    await type_text(pilot, channel)


def said(dialog: ChatImport) -> str:
    """The dialog's message line, whole (on screen a long path wraps it)."""
    return str(dialog.query_one("#chat-message", Static).content)


async def events_of(pilot: Any, session_id: int) -> list[tuple[str, str | None]]:
    rows = await read(pilot, lambda tx: tx.timeline.of(session_id))
    return [(e.text, e.author) for e in rows]


async def test_chat_export_is_previewed_then_imported_with_its_authors(
    db: Database, demo: PostmortemSession
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    before = db.read(lambda tx: tx.timeline.of(demo_id))
    async with timeline(db, demo, size=(110, 60)) as (app, pilot, screen):
        assert "Chat export" in screen_text(app)  # the key, in the footer
        await pilot.press("c")
        dialog: ChatImport = await opened(app, pilot, ChatImport)
        await fill(pilot, dialog, str(EXAMPLE), CHANNEL)
        await pilot.press("ctrl+s")
        preview = await opened(app, pilot, ChatPreview)
        text = screen_text(app)
        assert f"6 messages from #{CHANNEL}" in text
        assert "6 events read" in text
        # Priya Raman is an attendee of the demo; José Álvarez is not.
        assert "Priya Raman: I'm IC. @here checkout is failing" in text
        assert "José Álvarez: Found it: config push" in text
        assert not preview.query_one("#paste-box").display
        assert len(await events_of(pilot, demo_id)) == len(before)  # nothing saved yet
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        new = [e for e in await events_of(pilot, demo_id) if e[1] is not None]
        assert [author for _, author in new] == [
            "PagerDuty",
            "Priya Raman",
            "José Álvarez",
            "José Álvarez",
            "José Álvarez",
            "Priya Raman",
        ]
        assert len(await events_of(pilot, demo_id)) == len(before) + 6
        assert "Imported 6 messages as events." in [n.message for n in app._notifications]
        table = screen.query_one(EventTable)
        assert table.row_count == len(before) + 6
        # The room: who spoke during the incident, the attendees among them to invite.
        await pilot.press("f6")
        await settle(pilot)
        text = screen_text(app)
        assert "Spoke during the incident" in text
        assert "○ José Álvarez (3)" in text
        assert "not an attendee" in text
        assert "· Priya Raman (2)" in text
        assert "invite to speak" in text


async def test_a_reaction_choice_marks_replies_in_the_preview(
    db: Database, demo: PostmortemSession
) -> None:
    async with timeline(db, demo) as (app, pilot, _screen):
        await run_command(pilot, "Chat export")  # the palette has it too
        dialog: ChatImport = await opened(app, pilot, ChatImport)
        await fill(pilot, dialog, str(EXAMPLE), CHANNEL)
        dialog.query_one("#chat-mode", Select).value = "reaction"
        await pilot.press("ctrl+s")
        await opened(app, pilot, ChatPreview)
        text = screen_text(app)
        assert "5 events read" in text
        assert "↳ Sam Okafor: Status page updated" in text


async def test_a_bad_export_or_channel_is_said_in_the_dialog_with_the_text_kept(
    db: Database, demo: PostmortemSession, tmp_path: Path
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    before = db.read(lambda tx: tx.timeline.of(demo_id))
    async with timeline(db, demo) as (app, pilot, _screen):
        await pilot.press("c")
        dialog: ChatImport = await opened(app, pilot, ChatImport)
        await fill(pilot, dialog, str(tmp_path / "missing.zip"), CHANNEL)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert said(dialog) == f"✗ {tmp_path / 'missing.zip'}: no such file or folder"
        assert dialog.query_one("#chat-channel", Input).value == CHANNEL
        dialog.query_one("#chat-path", Input).value = str(EXAMPLE)
        dialog.query_one("#chat-channel", Input).value = "incident"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert said(dialog).endswith(
            'no channel "incident" (its channels: general, inc-2025-03-21-checkout)'
        )
        dialog.query_one("#chat-channel", Input).value = CHANNEL
        dialog.query_one("#chat-from", Input).value = "not a time"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert said(dialog).startswith("✗ From: ")
        assert app.screen is dialog
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
    assert len(db.read(lambda tx: tx.timeline.of(demo_id))) == len(before)


async def test_leaving_the_preview_goes_back_to_the_form_and_saves_nothing(
    db: Database, demo: PostmortemSession
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    before = db.read(lambda tx: tx.timeline.of(demo_id))
    async with timeline(db, demo) as (app, pilot, _screen):
        await pilot.press("c")
        dialog: ChatImport = await opened(app, pilot, ChatImport)
        await fill(pilot, dialog, str(EXAMPLE), CHANNEL)
        dialog.query_one("#chat-mode", Select).value = "all"
        await pilot.press("ctrl+s")
        await opened(app, pilot, ChatPreview)
        assert "14 events read" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is dialog
        assert dialog.query_one("#chat-path", Input).value == str(EXAMPLE)
        await pilot.press("escape")
        await settle(pilot)
    assert len(db.read(lambda tx: tx.timeline.of(demo_id))) == len(before)


async def test_message_text_is_shown_literally(
    db: Database, demo: PostmortemSession, tmp_path: Path
) -> None:
    from tests.slack_export import Msg, at, write_export

    export = write_export(
        tmp_path / "e",
        {"hostile": [Msg(at("2025-03-21 22:20"), "U01PRIYA", "[bold red]boom[/] \x1b[31m red")]},
    )
    async with timeline(db, demo) as (app, pilot, _screen):
        await pilot.press("c")
        dialog: ChatImport = await opened(app, pilot, ChatImport)
        await fill(pilot, dialog, str(export), "hostile")
        dialog.query_one("#chat-mode", Select).value = "all"
        await pilot.press("ctrl+s")
        await opened(app, pilot, ChatPreview)
        assert "Priya Raman: [bold red]boom[/] \\x1b[31m red" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "[bold red]boom[/] \\x1b[31m red" in screen_text(app)


async def test_a_save_the_database_refuses_keeps_the_dialog_and_its_text(
    db: Database, demo: PostmortemSession, monkeypatch: Any
) -> None:
    from debrief_tui.core.errors import Unavailable

    assert demo.id is not None
    demo_id = demo.id
    before = db.read(lambda tx: tx.timeline.of(demo_id))
    async with timeline(db, demo) as (app, pilot, screen):
        await pilot.press("c")
        dialog: ChatImport = await opened(app, pilot, ChatImport)
        await fill(pilot, dialog, str(EXAMPLE), CHANNEL)
        write = app.gateway.write

        async def busy(job: Any) -> Any:
            raise Unavailable("the database is busy (another seat is writing); try again")

        monkeypatch.setattr(app.gateway, "write", busy)
        await pilot.press("ctrl+s")
        await opened(app, pilot, ChatPreview)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert dialog.is_current  # still open, as typed
        assert dialog.query_one("#chat-channel", Input).value == CHANNEL
        assert any("busy" in n.message for n in app._notifications)
        assert len(await events_of(pilot, demo_id)) == len(before)
        monkeypatch.setattr(app.gateway, "write", write)
        await pilot.press("ctrl+s")
        await opened(app, pilot, ChatPreview)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert len(await events_of(pilot, demo_id)) == len(before) + 6
