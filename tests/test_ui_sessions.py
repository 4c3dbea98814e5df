"""Pilot tests: the session list and session setup, driven by keys as a person would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.widgets import DataTable, Input, Select

from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.unit import Database
from debrief_tui.ui.app import DebriefApp
from debrief_tui.ui.dialogs.attendee import AttendeeDialog
from debrief_tui.ui.dialogs.confirm import ConfirmDialog
from debrief_tui.ui.dialogs.new_session import NewSessionDialog
from debrief_tui.ui.screens.session_setup import SessionSetupScreen
from debrief_tui.ui.screens.stage import StageScreen
from tests.helpers import app_for, fixed_clock, read, run_command, screen_text, settle, type_text

SIZE = (80, 24)


async def open_setup(app: DebriefApp, pilot) -> SessionSetupScreen:
    """From the meeting a session opens on, go to its setup with F2."""
    await settle(pilot)
    await pilot.press("f2")
    await settle(pilot)
    assert isinstance(app.screen, SessionSetupScreen)
    return app.screen


async def test_list_shows_sessions_literally_and_filters(db: Database, demo: PostmortemSession):
    db.write(lambda tx: tx.sessions.create("[bold]Markup[/] \x1b[31mescape", "SEV4"))
    app = app_for(db, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Checkout failed for EU" in text  # wrapped beside the Review column
        assert "[bold]Markup[/] \\x1b[31mescape" in text
        await pilot.press("slash")
        await type_text(pilot, "markup")
        await settle(pilot)
        text = screen_text(app)
        assert "[bold]Markup[/]" in text
        assert "Checkout failed" not in text
        await pilot.press("escape")
        await settle(pilot)
        assert "Checkout failed" in screen_text(app)


def incidents(db: Database, count: int) -> None:
    """`count` SEV3 sessions, "Incident 000" the oldest, an hour apart."""

    def many(tx) -> None:
        for n in range(count):
            tx.sessions.create(
                f"Incident {n:03}",
                "SEV3",
                started_at=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=n),
            )

    db.write(many)


async def test_a_long_list_is_laid_out_as_the_cursor_goes_down_it(db: Database):
    # 300 sessions, newest incident first: laying out every row before showing any took
    # seconds at a team's 10,000, so rows are laid out a page ahead of the cursor.
    incidents(db, 300)
    app = app_for(db, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert 0 < table.row_count < 300
        for _ in range(30):
            await pilot.press("pagedown")
        await pilot.press("end")
        await settle(pilot)
        assert table.row_count == 300  # every session reachable, the last one selected
        assert table.cursor_row == 299
        shown = await read(pilot, lambda tx: tx.sessions.matching())
        assert screen_text(app).count("Incident") > 5
        assert str(shown[-1].id) in screen_text(app)


async def test_end_reaches_the_oldest_session_at_once(db: Database):
    # End used to stop at the last row laid out (a page past the cursor): 500 sessions, more
    # than one chunk of the rows End lays out before moving.
    incidents(db, 500)
    app = app_for(db, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count < 500
        await pilot.press("end")
        await settle(pilot)
        assert (table.row_count, table.cursor_row) == (500, 499)
        assert "Incident 000" in screen_text(app)  # the oldest incident, on screen


async def test_empty_list_tells_what_to_do(db: Database):
    app = app_for(db, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "No sessions yet. Press n to create one" in screen_text(app)


async def test_create_session_from_the_list(db: Database):
    app = app_for(db, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NewSessionDialog)
        await type_text(pilot, "Queue backlog")
        await pilot.press("enter")  # to severity
        await pilot.press("down", "down", "enter")  # open the list, SEV2 -> SEV3: moves on
        zone = app.screen.query_one("#new-timezone", Input)
        assert app.screen.focused is zone
        zone.value = ""
        await type_text(pilot, "Europe/Berlin")
        await pilot.press("enter")
        await type_text(pilot, "2025-03-30 01:30")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionSetupScreen)
        (row,) = await read(pilot, lambda tx: tx.sessions.matching())
        assert (row.title, row.severity, row.timezone) == ("Queue backlog", "SEV3", "Europe/Berlin")
        assert row.started_at == datetime(2025, 3, 30, 0, 30, tzinfo=UTC)
        assert "Queue backlog" in screen_text(app)
        # Opened from the list, Esc goes back to the list, and the footer says so.
        assert "esc Sessions" in screen_text(app)
        assert "esc Meeting" not in screen_text(app)


async def test_setup_opened_from_the_meeting_says_esc_goes_back_to_it(
    db: Database, demo: PostmortemSession
) -> None:
    app = app_for(db, session_id=demo.id, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_setup(app, pilot)
        assert "esc Meeting" in screen_text(app)
        assert "esc Sessions" not in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, StageScreen)


async def test_new_session_with_bad_input_says_why_and_creates_nothing(db: Database):
    app = app_for(db, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "a title is needed" in screen_text(app)
        await type_text(pilot, "x")
        app.screen.query_one("#new-timezone", Input).value = "Nowhere/Special"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "unknown time zone 'Nowhere/Special'" in screen_text(app)
        assert isinstance(app.screen, NewSessionDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert await read(pilot, lambda tx: tx.sessions.matching()) == []


async def test_edit_facts_commits_each_on_enter(db: Database, demo: PostmortemSession):
    assert demo.id is not None
    demo_id = demo.id
    app = app_for(db, session_id=demo_id, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_setup(app, pilot)
        screen = app.screen
        assert isinstance(screen, SessionSetupScreen)
        box = screen.query_one("#fact-detected_at", Input)
        box.focus()
        box.value = ""
        await type_text(pilot, "2025-03-21 23:21")
        await pilot.press("enter")
        await settle(pilot)
        # Committed at once, read in the session's zone (CET), shown back in it.
        assert (await read(pilot, lambda tx: tx.sessions.get(demo_id))).detected_at == datetime(
            2025, 3, 21, 22, 21, tzinfo=UTC
        )
        assert "saved Detected: 2025-03-21 23:21 CET" in screen_text(app)

        users = screen.query_one("#fact-users_affected", Input)
        users.focus()
        users.value = ""
        await type_text(pilot, "5,200")
        await pilot.press("enter")
        await settle(pilot)
        assert (await read(pilot, lambda tx: tx.sessions.get(demo_id))).users_affected == 5200

        title = screen.query_one("#fact-title", Input)
        title.focus()
        title.value = "[red]Renamed[/red]"
        await pilot.press("enter")
        await settle(pilot)
        assert (
            await read(pilot, lambda tx: tx.sessions.get(demo_id))
        ).title == "[red]Renamed[/red]"
        assert "[red]Renamed[/red]" in screen_text(app)


async def test_invalid_fact_shows_message_next_to_field_and_saves_nothing(
    db: Database, demo: PostmortemSession
):
    assert demo.id is not None
    demo_id = demo.id
    app = app_for(db, session_id=demo_id, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_setup(app, pilot)
        screen = app.screen
        box = screen.query_one("#fact-resolved_at", Input)
        box.focus()
        box.value = "tomorrow-ish"
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "cannot read 'tomorrow-ish' as a time" in text
        assert "not saved" in text
        assert (
            await read(pilot, lambda tx: tx.sessions.get(demo_id))
        ).resolved_at == demo.resolved_at
        count = screen.query_one("#fact-support_requests", Input)
        count.focus()
        count.value = "lots"
        await pilot.press("enter")
        await settle(pilot)
        assert "support requests must be a whole number" in screen_text(app)
        assert (
            await read(pilot, lambda tx: tx.sessions.get(demo_id))
        ).support_requests == demo.support_requests


async def test_leaving_a_changed_box_saves_it(db: Database, demo: PostmortemSession):
    assert demo.id is not None
    demo_id = demo.id
    app = app_for(db, session_id=demo_id, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_setup(app, pilot)
        box = app.screen.query_one("#fact-services_affected", Input)
        box.focus()
        box.value = "checkout-api"
        await pilot.press("tab")
        await settle(pilot)
        assert (
            await read(pilot, lambda tx: tx.sessions.get(demo_id))
        ).services_affected == "checkout-api"


async def test_changing_zone_reshows_times_and_choices_commit(
    db: Database, demo: PostmortemSession
):
    assert demo.id is not None
    demo_id = demo.id
    app = app_for(db, session_id=demo_id, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_setup(app, pilot)
        screen = app.screen
        tz = screen.query_one("#fact-timezone", Input)
        tz.focus()
        tz.value = "UTC"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.query_one("#fact-started_at", Input).value == "2025-03-21 22:12"
        assert (
            await read(pilot, lambda tx: tx.sessions.get(demo_id))
        ).started_at == demo.started_at
        status = screen.query_one("#fact-status", Select)
        status.focus()
        await pilot.press("enter", "down", "enter")  # in review -> reviewed
        await settle(pilot)
        assert (await read(pilot, lambda tx: tx.sessions.get(demo_id))).status == "reviewed"
        assert "reviewed" in screen_text(app).splitlines()[0]


async def test_attendees_add_edit_remove_by_keyboard(db: Database):
    row = db.write(lambda tx: tx.sessions.create("Outage", "SEV2"))
    assert row.id is not None
    row_id = row.id
    app = app_for(db, session_id=row_id, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_setup(app, pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert "No attendees yet" in screen_text(app)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AttendeeDialog)
        await type_text(pilot, "Ann Lee")
        await pilot.press("enter")  # to role
        await pilot.press("down", "home", "enter")  # open the list, facilitator: moves on
        await type_text(pilot, "SRE")
        await pilot.press("enter")
        await settle(pilot)
        assert [
            (a.name, a.team, a.role) for a in await read(pilot, lambda tx: tx.attendees.of(row_id))
        ] == [("Ann Lee", "SRE", "facilitator")]
        assert "Ann Lee" in screen_text(app)

        await pilot.press("e")
        await settle(pilot)
        name = app.screen.query_one("#attendee-name", Input)
        name.value = "Ann Leigh"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert (await read(pilot, lambda tx: tx.attendees.of(row_id)))[0].name == "Ann Leigh"

        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert len(await read(pilot, lambda tx: tx.attendees.of(row_id))) == 1
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert await read(pilot, lambda tx: tx.attendees.of(row_id)) == []


async def test_delete_session_needs_confirmation(db: Database, demo: PostmortemSession):
    app = app_for(db, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "Delete session #1" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert len(await read(pilot, lambda tx: tx.sessions.matching())) == 1
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert await read(pilot, lambda tx: tx.sessions.matching()) == []
        assert "No sessions yet" in screen_text(app)


async def test_enter_opens_the_meeting_and_setup_edits_show_there(
    db: Database, demo: PostmortemSession
):
    app = app_for(db, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "SessionListScreen"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StageScreen)
        assert "1/7 Ground rules" in screen_text(app)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, SessionSetupScreen)
        await pilot.press("tab")
        title = app.screen.query_one("#fact-title", Input)
        assert app.screen.focused is title
        title.value = "Renamed in setup"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, StageScreen)
        assert (
            await read(pilot, lambda tx: tx.sessions.get(demo.id or 0))
        ).title == "Renamed in setup"
        assert "Renamed in setup" in screen_text(app).splitlines()[0]


async def test_setup_fits_80x24(db: Database, demo: PostmortemSession):
    assert demo.id is not None
    demo_id = demo.id
    app = app_for(db, session_id=demo_id, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_setup(app, pilot)
        text = screen_text(app)
        for label in (
            "Title",
            "Severity",
            "Status",
            "Time zone",
            "Summary",
            "Started",
            "Detected",
            "First logged",
            "Acknowledged",
            "Mitigated",
            "Resolved",
            "Detected by",
            "Users affected",
            "Accounts affected",
            "Support requests",
            "Services affected",
        ):
            assert f" {label} " in text, label
        assert "SEV2 · in review" in text.splitlines()[0]
        assert "f3 Attendees" in text


async def test_every_key_is_in_the_command_palette(db: Database, demo: PostmortemSession):
    app = app_for(db, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Open", "New", "Delete", "Filter"} <= titles
        await run_command(pilot, "New")
        assert isinstance(app.screen, NewSessionDialog)


async def test_attendee_table_keys_are_in_palette(db: Database, demo: PostmortemSession):
    assert demo.id is not None
    demo_id = demo.id
    app = app_for(db, session_id=demo_id, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_setup(app, pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen.focused, DataTable)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Add attendee", "Edit attendee", "Remove attendee", "Facts", "Meeting"} <= titles


HOSTILE = "\x1b[31mRED\x1b[0m \x1b]0;pwned\x07 [b]x[/b] \x9b2J"


async def test_escape_codes_never_reach_the_terminal(db: Database):
    row = db.write(
        lambda tx: tx.sessions.create(
            HOSTILE, "SEV3", summary="one\ntwo \x1b[2J", services_affected="[i]"
        )
    )
    assert row.id is not None
    row_id = row.id
    db.write(lambda tx: tx.attendees.add(row_id, "\x1b[5mBlink", "[red]ops[/]", "responder"))
    app = app_for(db, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        listing = screen_text(app)
        assert "\x1b" not in listing
        assert "\\x1b[31mRED" in listing
        await pilot.press("enter")
        await settle(pilot)
        meeting = screen_text(app)
        assert "\x1b" not in meeting
        assert "\\x1b[31mRED" in meeting
        await pilot.press("f2")
        await settle(pilot)
        setup = screen_text(app)
        assert "\x1b" not in setup
        assert "\x9b" not in setup
        assert "\\x1b[31mRED\\x1b[0m" in setup
        assert "one\\x0atwo \\x1b[2J" in setup
        assert "[i]" in setup
        await pilot.press("f3")
        await settle(pilot)
        people = screen_text(app)
        assert "\\x1b[5mBlink" in people
        assert "[red]ops[/]" in people
        assert "\x1b" not in people


async def test_passing_through_a_box_never_rewrites_stored_text(db: Database):
    row = db.write(lambda tx: tx.sessions.create(HOSTILE, "SEV3", summary="one\ntwo"))
    assert row.id is not None
    row_id = row.id
    app = app_for(db, session_id=row_id, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_setup(app, pilot)
        await pilot.press("tab")  # into Title
        await pilot.press("enter")
        for _ in range(4):  # through severity, status, zone to Summary
            await pilot.press("tab")
        await pilot.press("enter", "tab")
        await settle(pilot)
    again = db.read(lambda tx: tx.sessions.get(row_id))
    assert again.title == HOSTILE
    assert again.summary == "one\ntwo"


async def test_the_field_being_edited_in_setup_stands_out(
    db: Database, demo: PostmortemSession
) -> None:
    app = app_for(db, session_id=demo.id, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_setup(app, pilot)
        await pilot.press("tab")
        await settle(pilot)
        focused = screen.focused
        assert focused is not None
        assert focused.parent is not None
        label = focused.parent.query_one(".fact-label")
        assert label.styles.text_style.reverse
        others = [row for row in screen.query(".fact-row") if row is not focused.parent]
        assert not others[0].query_one(".fact-label").styles.text_style.reverse
