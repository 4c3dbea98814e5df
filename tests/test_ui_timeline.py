"""Pilot tests for the timeline stage: the table, editing, milestones, the paste box."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from rich.style import Style
from textual import events
from textual.coordinate import Coordinate
from textual.widgets import Input, TextArea

from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.unit import Database
from debrief_tui.ui.app import DebriefApp
from debrief_tui.ui.dialogs.event_dialog import EventDialog
from debrief_tui.ui.dialogs.milestone_picker import MilestonePicker
from debrief_tui.ui.dialogs.text_prompt import TextPrompt
from debrief_tui.ui.dialogs.timeline_paste import TimelinePaste
from debrief_tui.ui.screens.timeline import TimelineScreen
from debrief_tui.ui.widgets.event_table import EventTable
from debrief_tui.ui.widgets.minute_input import MinuteInput
from debrief_tui.ui.widgets.minutes_list import MinutesList
from tests.helpers import (
    FakeClock,
    app_for,
    opened,
    read,
    screen_text,
    settle,
    start,
    type_text,
    write,
)

SIZE = (100, 30)


@asynccontextmanager
async def timeline(
    db: Database, session: PostmortemSession, clock: FakeClock, **options: Any
) -> AsyncIterator[tuple[DebriefApp, Any, TimelineScreen]]:
    """The demo session's meeting moved to the timeline stage, settled."""
    db.clock = clock
    app = app_for(db, session_id=session.id, clock=clock)
    async with app.run_test(**{"size": SIZE, **options}) as pilot:
        await start(app, pilot)
        await pilot.press("f8")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        await settle(pilot)
        yield app, pilot, screen


def focus(app: DebriefApp) -> object:
    """What has the focus now (a call, so the type checker does not carry an earlier check)."""
    return app.focused


def stored_times(db: Database, session_id: int) -> list[tuple[datetime, str]]:
    """The events as stored (time, text), read while no app runs."""
    return [(e.at, e.text) for e in db.read(lambda tx: tx.timeline.of(session_id))]


async def times_of(pilot: Any, session_id: int) -> list[tuple[datetime, str]]:
    """The events as stored (time, text), once the app has settled."""
    return [(e.at, e.text) for e in await read(pilot, lambda tx: tx.timeline.of(session_id))]


async def test_the_table_shows_events_in_order_with_milestones_and_metrics(
    db: Database, demo: PostmortemSession, clock: FakeClock
) -> None:
    async with timeline(db, demo, clock) as (app, pilot, screen):
        text = screen_text(app)
        assert "2/7 Timeline review" in text
        # The incident spans midnight, so every time shows its date (Europe/Amsterdam).
        assert "03-21 23:12" in text
        assert "started" in text
        assert "detected" in text
        assert "detect 7m" in text  # 23:12 -> 23:19
        assert "down 2h6m✗>43m" in text  # SEV2: 99.9% a month allows 43 min
        assert screen.focused is screen.query_one(EventTable)
        table = screen.query_one(EventTable)
        assert demo.id is not None
        demo_id = demo.id
        assert table.row_count == len(await read(pilot, lambda tx: tx.timeline.of(demo_id)))


async def test_add_edit_delete_and_undo_an_event(
    db: Database, demo: PostmortemSession, clock: FakeClock
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    before = len(db.read(lambda tx: tx.timeline.of(demo_id)))
    async with timeline(db, demo, clock) as (app, pilot, screen):
        await pilot.press("a")
        await opened(app, pilot, EventDialog)
        await type_text(pilot, "~23:30")
        await pilot.press("enter")
        await type_text(pilot, "Rollback of the gateway config")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        added = [
            e
            for e in await read(pilot, lambda tx: tx.timeline.of(demo_id))
            if e.text.startswith("Rollback of")
        ]
        assert len(added) == 1
        assert added[0].at == datetime(2025, 3, 21, 22, 30, tzinfo=UTC)  # 23:30 CET
        assert added[0].approximate
        assert added[0].kind == "action"  # guessed from "Rollback"
        assert "~03-21 23:30" in screen_text(app)
        # The new event is selected; editing its time moves it into place.
        selected = screen._selected()
        assert selected is not None
        assert selected.text == "Rollback of the gateway config"
        await pilot.press("e")
        box = (await opened(app, pilot, EventDialog)).query_one("#event-time")
        box.value = "2025-03-22 01:00"
        await pilot.press("enter", "enter")
        await settle(pilot)
        moved = [
            e
            for e in await read(pilot, lambda tx: tx.timeline.of(demo_id))
            if e.text.startswith("Rollback of")
        ]
        assert moved[0].at == datetime(2025, 3, 22, 0, 0, tzinfo=UTC)
        table = screen.query_one(EventTable)
        order = [str(e.id) for e in await read(pilot, lambda tx: tx.timeline.of(demo_id))]
        shown = [
            table.coordinate_to_cell_key(Coordinate(row, 0)).row_key.value
            for row in range(table.row_count)
        ]
        assert shown == order
        # Delete, then undo.
        await pilot.press("d")
        await settle(pilot)
        assert len(await read(pilot, lambda tx: tx.timeline.of(demo_id))) == before
        assert "Rollback of the gateway" not in screen_text(app)
        await pilot.press("u")
        await settle(pilot)
        assert len(await read(pilot, lambda tx: tx.timeline.of(demo_id))) == before + 1
        assert "Rollback of the gateway" in screen_text(app)


async def test_a_bad_time_gets_an_inline_message_and_nothing_is_saved(
    db: Database, demo: PostmortemSession, clock: FakeClock
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    before = stored_times(db, demo_id)
    async with timeline(db, demo, clock) as (app, pilot, _screen):
        await pilot.press("a")
        added = await opened(app, pilot, EventDialog)
        await type_text(pilot, "25:99")
        await pilot.press("enter")
        await settle(pilot)
        assert "cannot read '25:99'" in screen_text(app) or "not a time" in screen_text(app)
        assert app.screen is added
        await pilot.press("escape")
        await settle(pilot)
    assert stored_times(db, demo_id) == before


async def test_milestone_keys_set_the_facts_and_out_of_order_is_flagged(
    db: Database, demo: PostmortemSession, clock: FakeClock
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    async with timeline(db, demo, clock) as (app, pilot, screen):
        first = (await read(pilot, lambda tx: tx.timeline.of(demo_id)))[0]
        screen.query_one(EventTable).move_cursor(row=0)
        await pilot.press("7")  # resolved, at the first event: before it started
        await settle(pilot)
        assert (await read(pilot, lambda tx: tx.sessions.get(demo_id))).resolved_at == first.at
        text = screen_text(app)
        assert "resolved is before started" in text
        assert "resolve —" in text  # no negative duration
        # The same key again clears it.
        await pilot.press("7")
        await settle(pilot)
        assert (await read(pilot, lambda tx: tx.sessions.get(demo_id))).resolved_at is None
        # The picker does the same with a choice; the first communication is a milestone too.
        await pilot.press("m")
        picker = await opened(app, pilot, MilestonePicker)
        assert "first communication" in screen_text(app)
        await pilot.press("5")
        await settle(pilot)
        assert app.screen is not picker
        assert (
            await read(pilot, lambda tx: tx.sessions.get(demo_id))
        ).first_communication_at == first.at
        assert "first communication" in screen_text(app)


async def test_a_milestone_key_says_what_it_replaced_and_u_takes_it_back(
    db: Database, demo: PostmortemSession, clock: FakeClock
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    before = db.read(lambda tx: tx.sessions.get(demo_id))
    assert before.detected_at is not None
    async with timeline(db, demo, clock, notifications=True) as (app, pilot, screen):
        table = screen.query_one(EventTable)
        events_now = await read(pilot, lambda tx: tx.timeline.of(demo_id))
        row = next(i for i, e in enumerate(events_now) if e.at != before.detected_at and i > 0)
        table.move_cursor(row=row)
        await settle(pilot)
        await pilot.press("2")  # detected, moved onto another event
        await settle(pilot)
        stored = await read(pilot, lambda tx: tx.sessions.get(demo_id))
        assert stored.detected_at == events_now[row].at
        said = [note.message for note in app._notifications]
        assert any("replacing 03-21 23:19" in message for message in said), said
        assert any("u undoes" in message for message in said), said
        # u puts the detection time back, with the metrics that follow from it.
        await pilot.press("u")
        await settle(pilot)
        stored = await read(pilot, lambda tx: tx.sessions.get(demo_id))
        assert stored.detected_at == before.detected_at
        assert "detect 7m" in screen_text(app)
        # A milestone that was not set is unset again by u; then there is nothing left to undo.
        table.move_cursor(row=row)
        await pilot.press("5")
        await settle(pilot)
        assert (await read(pilot, lambda tx: tx.sessions.get(demo_id))).first_communication_at
        await pilot.press("u")
        await settle(pilot)
        stored = await read(pilot, lambda tx: tx.sessions.get(demo_id))
        assert stored.first_communication_at == before.first_communication_at
        await pilot.press("u")
        await settle(pilot)
        assert "Nothing to undo." in [note.message for note in app._notifications]


async def test_key_event_approximate_and_second_zone(
    db: Database, demo: PostmortemSession, clock: FakeClock
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    async with timeline(db, demo, clock) as (app, pilot, screen):
        screen.query_one(EventTable).move_cursor(row=0)
        first = (await read(pilot, lambda tx: tx.timeline.of(demo_id)))[0]
        await pilot.press("k", "tilde")
        await settle(pilot)
        changed = (await read(pilot, lambda tx: tx.timeline.of(demo_id)))[0]
        assert (changed.key_event, changed.approximate) == (not first.key_event, True)
        assert "~03-21 22:58" in screen_text(app)
        await pilot.press("z")
        await settle(pilot)
        text = screen_text(app)
        assert "UTC" in text
        assert "03-21 21:58" in text  # 22:58 CET is 21:58 UTC


async def test_paste_box_shows_what_it_read_and_imports_on_confirmation(
    db: Database, demo: PostmortemSession, clock: FakeClock
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    before = len(db.read(lambda tx: tx.timeline.of(demo_id)))
    pasted = "- 2025-03-22 02:10 UTC: status page resolved\n- 02:15 paged again?\n"
    async with timeline(db, demo, clock) as (app, pilot, _screen):
        await pilot.press("i")
        box = await opened(app, pilot, TimelinePaste)
        assert box.focused is box.query_one(TextArea)
        # As the terminal delivers it: to the app, which hands it to the focused box.
        app.post_message(events.Paste(pasted + "nonsense 99:99\n25:00 x\n"))
        await pilot.pause(0.3)
        text = screen_text(app)
        assert "2 events read" in text
        assert "line 4: '25:00' is not a time of day" in text
        await pilot.press("ctrl+s")  # refused while a line is bad
        await settle(pilot)
        assert app.screen is box
        assert len(await read(pilot, lambda tx: tx.timeline.of(demo_id))) == before
        await pilot.press("ctrl+r")  # import the readable ones
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        rows = await read(pilot, lambda tx: tx.timeline.of(demo_id))
        assert len(rows) == before + 2
        new = [e for e in rows if e.at >= datetime(2025, 3, 22, 2, 10, tzinfo=UTC)]
        assert [(e.kind, e.text) for e in new] == [
            ("status page", "status page resolved"),
            ("alert", "paged again? nonsense 99:99"),  # a line without a time continues
        ]
        assert "status page resolved" in screen_text(app)


async def test_paste_box_cancel_imports_nothing(
    db: Database, demo: PostmortemSession, clock: FakeClock
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    before = len(db.read(lambda tx: tx.timeline.of(demo_id)))
    async with timeline(db, demo, clock) as (app, pilot, _screen):
        await pilot.press("i")
        box = await opened(app, pilot, TimelinePaste)
        assert box.focused is box.query_one(TextArea)
        app.post_message(events.Paste("09:00 something\n"))
        await pilot.pause(0.3)
        await pilot.press("escape")
        await settle(pilot)
    assert len(db.read(lambda tx: tx.timeline.of(demo_id))) == before


async def test_readable_at_80x24(db: Database, demo: PostmortemSession, clock: FakeClock) -> None:
    async with timeline(db, demo, clock, size=(80, 24)) as (app, _pilot, screen):
        text = screen_text(app)
        assert "Time" in text
        assert "What happened" in text
        assert "detect 7m" in text
        # The strip's legend names every milestone letter, R resolve included, to the edge.
        assert "M mitig. R resolve" in text
        assert screen.query_one(EventTable).size.height >= 6


async def test_facts_and_zone_changed_in_setup_show_on_return(
    db: Database, demo: PostmortemSession, clock: FakeClock
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    async with timeline(db, demo, clock) as (app, pilot, screen):
        first = (await read(pilot, lambda tx: tx.timeline.of(demo_id)))[0]
        await pilot.press("f2")  # setup, as a user changes facts there
        await settle(pilot)
        await write(
            pilot, lambda tx: tx.sessions.update(demo_id, timezone="UTC", resolved_at=first.at)
        )
        await pilot.press("escape")
        await settle(pilot)
        await settle(pilot)
        assert app.screen is screen
        text = screen_text(app)
        assert "03-21 21:58" in text  # 22:58 CET is now shown in UTC
        assert "resolved is before started" in text


async def test_the_stage_redraws_in_the_other_theme_after_f3(
    db: Database, demo: PostmortemSession, clock: FakeClock
) -> None:
    """Colours come from the theme: after f3 the table's marks are drawn in the light theme's
    colours, not left in the dark one's."""
    async with timeline(db, demo, clock) as (app, pilot, screen):
        table = screen.query_one(EventTable)

        def kind_colour() -> object:
            style = table.get_row_at(0)[-3].style  # the Kind column
            assert isinstance(style, Style)
            return style.color

        def theme_colour() -> object:
            return app.stylesheet.parse_style("$text-primary").rich_style.color

        dark = kind_colour()
        assert dark == theme_colour()
        await pilot.press("f3")
        await settle(pilot)
        assert app.theme == "debrief-light"
        assert kind_colour() == theme_colour() != dark


async def test_back_from_editing_a_minute_the_next_d_deletes_no_event(
    db: Database, demo: PostmortemSession, clock: FakeClock
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    before = stored_times(db, demo_id)
    async with timeline(db, demo, clock) as (app, pilot, screen):
        await pilot.press("ctrl+n")
        await type_text(pilot, "Ann: the status page was late")
        await pilot.press("enter", "up", "e")
        await settle(pilot)
        prompt = app.screen
        assert type(prompt).__name__ == "TextPrompt"
        await pilot.press("end")
        await type_text(pilot, " again")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert isinstance(app.focused, MinutesList)
        await pilot.press("d")  # the minute, not the selected event
        await settle(pilot)
        assert await times_of(pilot, demo_id) == before
        texts = [m.text for m in await read(pilot, lambda tx: tx.minutes.of(demo_id))]
        assert not any("status page was late" in text for text in texts)


async def test_f9_with_an_empty_box_asks_for_a_topic_even_with_an_event_selected(
    db: Database, demo: PostmortemSession, clock: FakeClock
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    parked_before = len(db.read(lambda tx: tx.parking.of(demo_id)))
    async with timeline(db, demo, clock) as (app, pilot, screen):
        table = screen.query_one(EventTable)
        table.move_cursor(row=1)
        selected = screen._selected()
        assert selected is not None
        await pilot.press("f9")
        prompt = await opened(app, pilot, TextPrompt)
        # The highlighted event is offered, selected: typing replaces it.
        assert prompt.query_one(Input).value == selected.text
        await type_text(pilot, "status page ownership")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        parked = await read(pilot, lambda tx: tx.parking.of(demo_id))
        assert len(parked) == parked_before + 1
        assert parked[-1].text == "status page ownership"
        assert prompt is not app.screen
        assert isinstance(app.focused, EventTable)  # back where the user was


async def test_a_sentence_typed_on_the_table_becomes_a_minute_not_commands(
    db: Database, demo: PostmortemSession, clock: FakeClock
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    before = stored_times(db, demo_id)
    session_before = db.read(lambda tx: tx.sessions.get(demo_id))
    async with timeline(db, demo, clock) as (app, pilot, screen):
        box, table = screen.query_one(MinuteInput), screen.query_one(EventTable)
        assert focus(app) is table
        # Starting with a letter no command uses: straight to the box, focus with it.
        await type_text(pilot, "Hannah: status page was late")
        assert app.screen is screen
        assert box.value == "Hannah: status page was late"
        assert focus(app) is box
        await pilot.press("enter")
        await settle(pilot)
        texts = [m.text for m in await read(pilot, lambda tx: tx.minutes.of(demo_id))]
        assert "status page was late" in texts
        # Starting with command letters (a adds, d deletes, 2 marks detected), at typing
        # speed: the letters held back go to the box, the first one recovered; none ran.
        await pilot.press("escape")
        assert focus(app) is table
        await pilot.press(*"ad2 rollback")
        await settle(pilot)
        assert app.screen is screen  # no "Add event" dialog
        assert box.value == "ad2 rollback"
        assert focus(app) is box
        assert await times_of(pilot, demo_id) == before
        stored = await read(pilot, lambda tx: tx.sessions.get(demo_id))
        assert stored.detected_at == session_before.detected_at


async def test_command_keys_on_the_table_still_run_alone_or_in_a_row(
    db: Database, demo: PostmortemSession, clock: FakeClock
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    async with timeline(db, demo, clock) as (app, pilot, screen):
        screen.query_one(EventTable).move_cursor(row=0)
        first = (await read(pilot, lambda tx: tx.timeline.of(demo_id)))[0]
        await pilot.press("d", "u")  # quickly: both are commands, run in the order pressed
        await settle(pilot)
        events_after = await read(pilot, lambda tx: tx.timeline.of(demo_id))
        assert events_after[0].id == first.id
        await pilot.press("a")
        await opened(app, pilot, EventDialog)
        assert screen.query_one(MinuteInput).value == ""
