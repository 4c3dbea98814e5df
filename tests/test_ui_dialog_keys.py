"""Pilot tests for what every dialog shares: Enter moves to the next field and saves from the
last box (a list opens on Enter and moves on once an option is picked), the footer and hint say
so; keys typed fast after Enter land in the next box; an import shows and skips the events
already on the timeline, and `u` takes a whole import back; a long message is shown whole."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from textual import events
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.unit import Database
from debrief_tui.core.timeline import IncidentWindow
from debrief_tui.ui.app import DebriefApp
from debrief_tui.ui.dialogs.action_dialog import ActionDialog
from debrief_tui.ui.dialogs.attendee import AttendeeDialog, AttendeeValues
from debrief_tui.ui.dialogs.chat_import import ChatImport, ChatPreview
from debrief_tui.ui.dialogs.choice_text import factor_dialog, lesson_dialog
from debrief_tui.ui.dialogs.event_dialog import EventDialog
from debrief_tui.ui.dialogs.export_dialog import ExportDialog
from debrief_tui.ui.dialogs.new_session import NewSessionDialog
from debrief_tui.ui.dialogs.parking_item import ParkingItemDialog
from debrief_tui.ui.dialogs.text_prompt import TextPrompt
from debrief_tui.ui.dialogs.timeline_paste import TimelinePaste
from debrief_tui.ui.screens.session_setup import SessionSetupScreen
from tests.helpers import opened, read, screen_text, settle, stage, type_text

EXPORT = Path(__file__).resolve().parent / "examples" / "slack" / "acme-export"
CHANNEL = "inc-2025-03-21-checkout"


async def burst(pilot: Any, keys: str) -> None:
    """Keys sent as a fast typist sends them, every one before the first is handled; a line
    break is Enter."""
    for char in keys:
        if char == "\n":
            pilot.app.post_message(events.Key("enter", "\r"))
        elif char.isalnum():
            pilot.app.post_message(events.Key(char, char))
        else:
            from textual.keys import _character_to_key

            pilot.app.post_message(events.Key(_character_to_key(char), char))
    await settle(pilot)


async def walk(
    app: DebriefApp, pilot: Any, dialog: ModalScreen[Any], values: dict[str, str]
) -> tuple[list[str], list[object]]:
    """Fill in `values` (box selector: text), then press Enter, and only Enter, from the
    dialog's first field until it closes: the ids of the fields passed through, and what the
    dialog closed with."""
    closed: list[object] = []
    app.push_screen(dialog, closed.append)
    await settle(pilot)
    for selector, value in values.items():
        dialog.query_one(selector, Input).value = value
    path: list[str] = []
    for _ in range(20):
        if app.screen is not dialog:
            break
        focused = dialog.focused
        assert focused is not None
        path.append(focused.id or "?")
        await pilot.press("enter")  # a closed list too: Enter moves on, ↓ would open it
        await settle(pilot)
    return path, closed


def squeezed(text: str) -> str:
    """Text without spaces, line breaks or the dialog's border: a wrapped message reads as one."""
    return "".join(c for c in text if not c.isspace() and c not in "█▌▐▎▊")


async def test_enter_walks_every_form_field_by_field_and_saves_from_the_last_box(
    db: Database, demo: PostmortemSession
) -> None:
    async with stage(db, demo, "timeline") as (app, pilot, _screen):
        forms: list[tuple[ModalScreen[Any], dict[str, str], list[str]]] = [
            (
                EventDialog("UTC", IncidentWindow()),
                {"#event-time": "2025-03-21 23:30", "#event-text": "Rollback"},
                ["event-time", "event-text"],  # kind and marks after the last box: Tab
            ),
            (
                ActionDialog(today=date(2025, 3, 24), severity="SEV2", owners=[], text="Canary"),
                {},
                [
                    "action-text",
                    "action-owner",
                    "action-due",
                    "action-priority",
                    "action-type",
                    "action-status",
                    "action-ticket",
                ],
            ),
            (
                AttendeeDialog("Add attendee", AttendeeValues("Ann Lee", "", "responder")),
                {},
                ["attendee-name", "attendee-role", "attendee-team"],
            ),
            (
                NewSessionDialog(app.gateway),
                {"#new-title": "Queue backlog"},
                ["new-title", "new-severity", "new-timezone", "new-started"],
            ),
            (ParkingItemDialog("Status page ownership", ""), {}, ["parking-owner"]),
            (TextPrompt("Edit minute", "Minute", "one"), {}, ["prompt-input"]),
            (factor_dialog(text="No expiry alert"), {}, ["dialog-text"]),
            (lesson_dialog(text="Paging worked"), {}, ["dialog-text"]),
        ]
        for dialog, values, expected in forms:
            path, closed = await walk(app, pilot, dialog, values)
            name = type(dialog).__name__
            assert path == expected, name
            assert closed, f"{name} did not close on Enter in its last box"
            assert closed[0] is not None, f"{name} did not save from its last box"


async def test_the_footer_and_the_hint_say_what_enter_does(
    db: Database, demo: PostmortemSession
) -> None:
    async with stage(db, demo, "timeline") as (app, pilot, _screen):
        await pilot.press("a")
        dialog = await opened(app, pilot, EventDialog)
        text = screen_text(app)
        assert "⏎ Next field" in text
        assert "Enter: next field, saves from the last" in text
        await type_text(pilot, "23:31")
        await pilot.press("enter")
        await settle(pilot)
        assert dialog.focused is dialog.query_one("#event-text", Input)
        text = screen_text(app)
        assert "⏎ Save" in text
        assert "⏎ Next field" not in text
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("i")
        await opened(app, pilot, TimelinePaste)
        text = screen_text(app)
        assert "⏎ New line" in text  # the footer
        assert "Enter: new line" in text  # the hint


async def test_enter_stays_on_a_box_that_is_wrong_and_says_why(
    db: Database, demo: PostmortemSession
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    before = len(db.read(lambda tx: tx.actions.of(demo_id)))
    async with stage(db, demo, "actions") as (app, pilot, _screen):
        await pilot.press("a")
        dialog = await opened(app, pilot, ActionDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert "say what will be done" in screen_text(app)
        assert dialog.focused is dialog.query_one("#action-text", Input)
        await type_text(pilot, "Alert 30 days before a pinned CA expires")
        await pilot.press("enter")
        await settle(pilot)
        assert dialog.focused is dialog.query_one("#action-owner", Input)
        assert app.screen is dialog  # Enter moved on; nothing saved yet
        assert len(await read(pilot, lambda tx: tx.actions.of(demo_id))) == before
        await type_text(pilot, "Mei Lin")
        await pilot.press("ctrl+s")  # saves from anywhere
        await settle(pilot)
        assert app.screen is not dialog
        saved = await read(pilot, lambda tx: tx.actions.of(demo_id))
        assert [(a.text, a.owner) for a in saved[before:]] == [
            ("Alert 30 days before a pinned CA expires", "Mei Lin")
        ]


async def test_keys_typed_fast_after_enter_land_in_the_next_box_of_the_chat_form(
    db: Database, demo: PostmortemSession
) -> None:
    async with stage(db, demo, "timeline") as (app, pilot, _screen):
        await pilot.press("c")
        dialog = await opened(app, pilot, ChatImport)
        await burst(pilot, "/tmp/acme.zip\nincident-77")
        assert dialog.query_one("#chat-path", Input).value == "/tmp/acme.zip"
        assert dialog.query_one("#chat-channel", Input).value == "incident-77"
        # Through the list (↓ opens it, Enter picks and moves on), then three boxes.
        await burst(pilot, "\n")
        assert dialog.focused is dialog.query_one("#chat-mode", Select)
        await pilot.press("down")  # opens the list
        await settle(pilot)
        await pilot.press("down", "enter")  # messages with a reaction
        await settle(pilot)
        assert dialog.focused is dialog.query_one("#chat-reaction", Input)
        dialog.query_one("#chat-reaction", Input).value = ""
        await burst(pilot, "eyes\n2025-03-21 09:00\n2025-03-21 18:00")
        assert dialog.query_one("#chat-reaction", Input).value == "eyes"
        assert dialog.query_one("#chat-from", Input).value == "2025-03-21 09:00"
        assert dialog.query_one("#chat-to", Input).value == "2025-03-21 18:00"


async def test_a_timeline_pasted_twice_adds_only_the_new_events_and_u_takes_imports_back(
    db: Database, demo: PostmortemSession
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    first = "2025-03-21 22:20 UTC paged the on-call\n2025-03-21 22:31 UTC failover started\n"
    again = first + "2025-03-21 22:45 UTC failover finished\n"

    async def texts() -> list[str]:
        return [e.text for e in await read(pilot, lambda tx: tx.timeline.of(demo_id))]

    async with stage(db, demo, "timeline", notifications=True) as (app, pilot, _screen):
        before = await texts()
        for pasted in (first, again):
            await pilot.press("i")
            await opened(app, pilot, TimelinePaste)
            app.post_message(events.Paste(pasted))
            await pilot.pause(0.3)
            await settle(pilot)
            if pasted is again:
                text = screen_text(app)
                assert "(already on the timeline) paged the on-call" in text
                assert "= 2 of them are already on the timeline" in text
            await pilot.press("ctrl+s")
            await settle(pilot)
        after = await texts()
        assert len(after) == len(before) + 3
        assert after.count("paged the on-call") == 1
        assert after.count("failover finished") == 1

        await pilot.press("u")
        await settle(pilot)
        assert "Undid: import of 1 event." in [n.message for n in app._notifications]
        assert "failover finished" not in await texts()
        assert len(await texts()) == len(before) + 2
        await pilot.press("u")
        await settle(pilot)
        assert "Undid: import of 2 events." in [n.message for n in app._notifications]
        assert sorted(await texts()) == sorted(before)


async def test_a_chat_export_imported_twice_is_all_already_on_the_timeline(
    db: Database, demo: PostmortemSession
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    async with stage(db, demo, "timeline", size=(110, 40), notifications=True) as (
        app,
        pilot,
        _screen,
    ):
        before = len(await read(pilot, lambda tx: tx.timeline.of(demo_id)))
        for time in (1, 2):
            await pilot.press("c")
            dialog = await opened(app, pilot, ChatImport)
            dialog.query_one("#chat-path", Input).value = str(EXPORT)
            dialog.query_one("#chat-channel", Input).value = CHANNEL
            await pilot.press("ctrl+s")
            await opened(app, pilot, ChatPreview)
            if time == 2:
                assert "= all of them are already on the timeline" in screen_text(app)
            await pilot.press("ctrl+s")
            await settle(pilot)
        notes = [n.message for n in app._notifications]
        assert any(n.startswith("Nothing new to import") for n in notes)
        await pilot.press("escape")  # the preview, back to the form
        await settle(pilot)
        await pilot.press("escape")  # the form
        await settle(pilot)
        assert len(await read(pilot, lambda tx: tx.timeline.of(demo_id))) == before + 6
        await pilot.press("u")  # the first import, the only one that added anything
        await settle(pilot)
        assert "Undid: import of 6 events." in [n.message for n in app._notifications]
        assert len(await read(pilot, lambda tx: tx.timeline.of(demo_id))) == before


async def test_a_long_dialog_message_is_shown_whole_at_80x24(
    db: Database, demo: PostmortemSession
) -> None:
    async with stage(db, demo, "timeline", size=(80, 24)) as (app, pilot, _screen):
        await pilot.press("c")
        dialog = await opened(app, pilot, ChatImport)
        long_path = "/tmp/" + "a-very-long-folder-name-for-the-export/" * 3 + "export.zip"
        dialog.query_one("#chat-path", Input).value = long_path
        dialog.query_one("#chat-channel", Input).value = "incident"
        await pilot.press("ctrl+s")
        await settle(pilot)
        message = str(dialog.query_one("#chat-message", Static).content)
        assert message.startswith("✗")
        assert len(message) > 80
        assert squeezed(message) in squeezed(screen_text(app))
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("a")
        await opened(app, pilot, EventDialog)
        label = "unless you name a zone; ~ marks it approximate)"
        assert squeezed(label) in squeezed(screen_text(app))


async def test_export_from_its_folder_box_on_enter(
    db: Database, demo: PostmortemSession, tmp_path: Path
) -> None:
    assert demo.id is not None
    async with stage(db, demo, "actions") as (app, pilot, _screen):
        dialog = ExportDialog(app.gateway, demo.id, tmp_path, None)
        app.push_screen(dialog)
        await settle(pilot)
        assert "⏎ Export" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert "Wrote" in screen_text(app)
        assert any(tmp_path.iterdir())


async def test_enter_in_the_setup_facts_saves_and_moves_to_the_next_fact(
    db: Database, demo: PostmortemSession
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    async with stage(db, demo, "timeline") as (app, pilot, _screen):
        await pilot.press("f2")
        await settle(pilot)
        setup = app.screen
        assert isinstance(setup, SessionSetupScreen)
        fields = list(setup.query(".fact-row Input, .fact-row Select"))
        title = setup.query_one("#fact-title", Input)
        setup.set_focus(title)
        await settle(pilot)
        title.value = "Checkout failed after a certificate rotation"
        await pilot.press("enter")
        await settle(pilot)
        assert setup.focused is fields[fields.index(title) + 1]
        saved = await read(pilot, lambda tx: tx.sessions.get(demo_id))
        assert saved.title == "Checkout failed after a certificate rotation"
        # A value refused keeps the cursor in its box, the reason beside it.
        box = next(f for f in fields if isinstance(f, Input) and f.id == "fact-resolved_at")
        setup.set_focus(box)
        await settle(pilot)
        box.value = "tomorrow-ish"
        await pilot.press("enter")
        await settle(pilot)
        assert setup.focused is box
        assert "not saved" in screen_text(app)


async def test_every_dialog_opens_in_the_middle_of_the_screen(
    db: Database, demo: PostmortemSession
) -> None:
    # Park it, edit minute, and the follow-up owner and due dates were at the top left while
    # the others were centred.
    from debrief_tui.ui.dialogs.confirm import ConfirmDialog
    from debrief_tui.ui.dialogs.follow_up_fields import DueDialog, OwnerDialog

    async def kept(_value: object) -> None:
        return None

    async with stage(db, demo, "timeline", size=(100, 30)) as (app, pilot, _screen):
        dialogs: list[ModalScreen[Any]] = [
            ParkingItemDialog("Status page ownership", ""),
            TextPrompt("Edit minute", "Minute", "one"),
            EventDialog("UTC", IncidentWindow()),
            OwnerDialog("Add an alert", "Mei Lin", [], kept),
            DueDialog("Add an alert", date(2025, 4, 1), date(2025, 3, 24), kept),
            ConfirmDialog("Delete?"),
        ]
        for dialog in dialogs:
            app.push_screen(dialog)
            await settle(pilot)
            box = dialog.query_one(".dialog").region
            left, right = box.x, 100 - box.right
            top, bottom = box.y, 30 - box.bottom
            name = type(dialog).__name__
            assert abs(left - right) <= 1, (name, box)
            assert abs(top - bottom) <= 2, (name, box)
            dialog.dismiss(None)
            await settle(pilot)
