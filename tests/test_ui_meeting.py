"""Pilot tests for running the meeting: stages, timers, minutes, park it, the room, resume."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import pytest
from textual import events
from textual.color import Color
from textual.widgets import Input

from debrief_tui.core.errors import Unavailable
from debrief_tui.core.export.document import load_document_file
from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.repositories.minutes import MinuteRepository
from debrief_tui.core.persistence.unit import Database
from debrief_tui.paths import data_path
from debrief_tui.ui.app import DebriefApp
from debrief_tui.ui.dialogs.parking_item import ParkingItemDialog
from debrief_tui.ui.dialogs.text_prompt import TextPrompt
from debrief_tui.ui.screens.stage import StageScreen
from debrief_tui.ui.screens.wrap_up import ParkingTable, WrapUpScreen
from debrief_tui.ui.widgets.minute_input import MinuteInput
from debrief_tui.ui.widgets.minutes_list import MinutesList
from tests.helpers import (
    DEFAULT_STAGES,
    FakeClock,
    app_for,
    footer_says,
    read,
    run_command,
    screen_text,
    settle,
    stage,
    start,
    type_text,
)

SIZE = (80, 24)


@pytest.fixture
def meeting_demo(db: Database) -> PostmortemSession:
    """The meeting_demo incident with its people and facts but none of its minutes or parked topics,
    so each test sees exactly what it typed."""
    doc = load_document_file(data_path("demo.json"), "demo")
    return db.write(lambda tx: tx.documents.create(replace(doc, minutes=(), parking_lot=())))


@pytest.fixture
def meeting_db(db: Database, meeting_demo: PostmortemSession, clock: FakeClock) -> Database:
    db.clock = clock
    return db


@asynccontextmanager
async def meeting(
    db: Database, meeting_demo: PostmortemSession, clock: FakeClock, **run_options: Any
) -> AsyncIterator[tuple[DebriefApp, Any, StageScreen]]:
    """The meeting_demo session's meeting, running at 80x24 (unless told otherwise) and settled."""
    app = app_for(db, session_id=meeting_demo.id, clock=clock)
    async with app.run_test(**{"size": SIZE, **run_options}) as pilot:
        yield app, pilot, await start(app, pilot)


async def minutes_of(pilot: Any, session_id: int) -> list[tuple[str | None, str, str]]:
    """The minutes as stored, once the app has settled."""
    rows = await read(pilot, lambda tx: tx.minutes.of(session_id))
    return [(m.author, m.text, m.stage) for m in rows]


def header(app: DebriefApp) -> str:
    return "\n".join(screen_text(app).splitlines()[:2])


async def test_opens_on_the_first_stage_with_header_prompts_and_keys(
    meeting_db: Database, meeting_demo: PostmortemSession, clock: FakeClock
):
    async with meeting(meeting_db, meeting_demo, clock) as (app, _pilot, screen):
        text = screen_text(app)
        assert "1/7 Ground rules" in text
        assert "Checkout failed for EU shoppers" in text
        assert "05:00" in text
        assert "meeting 0:00:00 / 1:15:00" in text  # both in hours, read alike
        assert "not started (f5 starts it)" in text
        assert "We are here to learn how the system let this happen" in text
        for key in ("^n Minute", "f7 ◀ Stage", "f8 Stage ▶", "f5 Start", "f9 Park it"):
            assert key in text, key
        assert isinstance(screen.focused, MinuteInput)


async def test_stage_keys_work_while_typing_and_the_draft_comes_along(
    meeting_db: Database, meeting_demo: PostmortemSession, clock: FakeClock
):
    assert meeting_demo.id is not None
    demo_id = meeting_demo.id
    async with meeting(meeting_db, meeting_demo, clock) as (app, pilot, _):
        await type_text(pilot, "half a tho")
        await pilot.press("f8")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StageScreen)
        assert "2/7 Timeline review" in header(app)
        session = await read(pilot, lambda tx: tx.sessions.get(demo_id))
        assert session.current_stage == "timeline"
        box = screen.query_one(MinuteInput)
        assert screen.focused is box
        for _ in range(20):  # the draft arrives within a refresh or two
            if box.value:
                break
            await settle(pilot)
        assert box.value == "half a tho"
        await type_text(pilot, "ught")
        await pilot.press("enter")
        await settle(pilot)
        assert await minutes_of(pilot, demo_id) == [(None, "half a thought", "timeline")]
        await pilot.press("f7")
        await settle(pilot)
        assert "1/7 Ground rules" in header(app)
        # Past the ends nothing happens.
        await pilot.press("f7")
        await settle(pilot)
        assert "1/7 Ground rules" in header(app)


async def test_escape_leaves_the_minutes_box_for_the_stage_and_keeps_the_draft(
    meeting_db: Database, meeting_demo: PostmortemSession, clock: FakeClock
):
    assert meeting_demo.id is not None
    demo_id = meeting_demo.id
    async with meeting(meeting_db, meeting_demo, clock) as (app, pilot, screen):
        # Ground rules has nothing but the box: Escape keeps the cursor there.
        await type_text(pilot, "half a")
        await pilot.press("escape")
        await settle(pilot)
        assert screen.focused is screen.query_one(MinuteInput)
        assert "Back to stage" not in screen_text(app).splitlines()[-1]
        await pilot.press("f8")  # the draft comes along to the timeline, cursor in the box
        await pilot.pause(0.3)
        timeline = app.screen
        assert isinstance(timeline, StageScreen)
        box = timeline.query_one(MinuteInput)
        assert timeline.focused is box
        assert "esc Back to stage" in screen_text(app).splitlines()[-1]
        await pilot.press("escape")
        await settle(pilot)
        assert timeline.focused is timeline.main_widget()  # the timeline table, keys and all
        assert box.value == "half a"
        await pilot.press("ctrl+n")
        await type_text(pilot, " thought")
        await pilot.press("enter")
        await settle(pilot)
        assert await minutes_of(pilot, demo_id) == [(None, "half a thought", "timeline")]


async def test_palette_has_one_entry_per_stage(
    meeting_db: Database, meeting_demo: PostmortemSession, clock: FakeClock
):
    async with meeting(meeting_db, meeting_demo, clock) as (app, pilot, screen):
        titles = [c.title for c in app.get_system_commands(screen)]
        for stage in DEFAULT_STAGES:
            assert titles.count(stage) == 1, stage
        await run_command(pilot, "5 Whys")
        assert "3/7 5 Whys" in header(app)


async def test_countdown_warns_then_counts_overrun_and_pauses(
    meeting_db: Database, meeting_demo: PostmortemSession, clock: FakeClock
):
    async with meeting(meeting_db, meeting_demo, clock) as (app, pilot, screen):
        clock.advance(hours=1)  # prepared an hour before the meeting: no time counted
        screen.tick()
        await settle(pilot)
        assert "05:00" in header(app)
        await pilot.press("f5")  # the meeting starts
        await settle(pilot)
        assert await footer_says(pilot, "f5 Pause")
        clock.advance(minutes=3, seconds=30)
        screen.tick()
        await settle(pilot)
        assert "01:30" in header(app)
        assert app.context is not None
        assert app.context.meeting.stage_clock().state == "ok"
        clock.advance(seconds=40)
        screen.tick()
        await settle(pilot)
        assert "00:50" in header(app)
        assert app.context.meeting.stage_clock().state == "warning"
        clock.advance(minutes=1, seconds=20)
        screen.tick()
        await settle(pilot)
        assert "+00:30 over" in header(app)
        assert "meeting 0:05:30 / 1:15:00" in header(app)
        await pilot.press("f5")
        clock.advance(minutes=10)
        screen.tick()
        await settle(pilot)
        assert "+00:30" in header(app)
        assert "timer paused" in header(app)
        assert await footer_says(pilot, "f5 Resume")
        await pilot.press("f5")
        clock.advance(seconds=15)
        screen.tick()
        await settle(pilot)
        assert "+00:45 over" in header(app)


async def test_time_per_stage_and_minutes_survive_a_restart(
    meeting_db: Database, meeting_demo: PostmortemSession, clock: FakeClock
):
    assert meeting_demo.id is not None
    demo_id = meeting_demo.id
    async with meeting(meeting_db, meeting_demo, clock) as (app, pilot, _):
        await pilot.press("f5")  # the meeting starts on Ground rules
        clock.advance(minutes=2)
        await pilot.press("f8")
        clock.advance(minutes=4)
        await pilot.press("ctrl+n")  # the timeline stage opens on its table
        await type_text(pilot, "first alert was at 23:19")
        await pilot.press("enter")
        await settle(pilot)
        app._beat()  # the 5-second beat; a kill after it loses nothing
    # The app is gone (closed or killed): reopen on the same database.
    clock.advance(hours=1)
    again = app_for(meeting_db, session_id=demo_id, clock=clock)
    async with again.run_test(size=SIZE) as pilot:
        await start(again, pilot)
        text = screen_text(again)
        assert "2/7 Timeline review" in text
        assert "11:00" in text  # 15-minute timebox, 4 minutes spent
        assert "meeting 0:06:00" in text
        assert "first alert was at 23:19" in text
    runs = meeting_db.read(lambda tx: tx.meeting.runs(demo_id))
    assert {r.stage for r in runs} >= {"ground-rules", "timeline"}


async def test_speaker_attribution_and_going_around_the_room(
    meeting_db: Database, meeting_demo: PostmortemSession, clock: FakeClock
):
    assert meeting_demo.id is not None
    demo_id = meeting_demo.id
    async with meeting(meeting_db, meeting_demo, clock, size=(100, 30)) as (app, pilot, _):
        for line in ("priya: we paged at 23:19", "Bob Smith: guest view", "Root cause: expiry"):
            await type_text(pilot, line)
            await pilot.press("enter")
        await settle(pilot)
        assert [(a, t) for a, t, _ in await minutes_of(pilot, demo_id)] == [
            ("Priya Raman", "we paged at 23:19"),
            ("Bob Smith", "guest view"),
            (None, "Root cause: expiry"),
        ]
        await pilot.press("f6")
        await settle(pilot)
        text = screen_text(app)
        assert "1 of 8 heard in this stage" in text
        assert "✓ Priya Raman (1)" in text
        assert "· Hannah Cole" in text
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert "0 of 8 heard in this stage" in screen_text(app)


async def test_wording_check_hints_but_never_blocks(
    meeting_db: Database, meeting_demo: PostmortemSession, clock: FakeClock
):
    assert meeting_demo.id is not None
    demo_id = meeting_demo.id
    async with meeting(meeting_db, meeting_demo, clock) as (app, pilot, _):
        await type_text(pilot, "Jonas forgot the flag")
        await settle(pilot)
        text = screen_text(app)
        assert "⚠ Jonas forgot: Name the step or the condition, not the person" in text
        await pilot.press("enter")
        await settle(pilot)
        assert (await minutes_of(pilot, demo_id))[-1][1] == "Jonas forgot the flag"
        await type_text(pilot, "we should have known")
        await settle(pilot)
        assert "⚠ should have: Describe what happened" in screen_text(app)


async def test_a_minute_the_database_cannot_take_stays_in_the_box_with_a_message(
    meeting_db: Database,
    meeting_demo: PostmortemSession,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
):
    """Busy past the timeout, read-only, gone: the refusal is said in one line and the line
    typed is kept, to be saved with Enter once the database can take it."""
    assert meeting_demo.id is not None
    demo_id = meeting_demo.id
    async with meeting(meeting_db, meeting_demo, clock, notifications=True) as (app, pilot, screen):
        real_add = MinuteRepository.add

        def refuse(*args: Any, **kwargs: Any) -> Any:
            raise Unavailable("the database could not be written: database is locked")

        monkeypatch.setattr(MinuteRepository, "add", refuse)
        await type_text(pilot, "the rollback was a guess")
        await pilot.press("enter")
        await settle(pilot)
        box = screen.query_one(MinuteInput)
        assert box.value == "the rollback was a guess"
        shown = " ".join(screen_text(app).split())  # the message is a toast over the minutes
        assert "the database could not be written" in shown
        assert "The line is kept" in shown
        assert await minutes_of(pilot, demo_id) == []
        monkeypatch.setattr(MinuteRepository, "add", real_add)
        await pilot.press("enter")
        await settle(pilot)
        assert box.value == ""
        assert [t for _, t, _ in await minutes_of(pilot, demo_id)] == ["the rollback was a guess"]


async def test_park_typed_text_a_selected_minute_or_ask(
    meeting_db: Database, meeting_demo: PostmortemSession, clock: FakeClock
):
    assert meeting_demo.id is not None
    demo_id = meeting_demo.id
    async with meeting(meeting_db, meeting_demo, clock) as (app, pilot, screen):
        await type_text(pilot, "vendor contract terms")
        await pilot.press("f9")
        await settle(pilot)
        assert screen.query_one(MinuteInput).value == ""
        await type_text(pilot, "cert inventory across teams")
        await pilot.press("enter")
        await pilot.press("up")  # select the newest minute
        await settle(pilot)
        assert isinstance(screen.focused, MinutesList)
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await pilot.press("f9")  # nothing typed, nothing selected: ask
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt)
        await type_text(pilot, "on-call load")
        await pilot.press("enter")
        await settle(pilot)
        await settle(pilot)
        parked = [(p.text, p.stage) for p in await read(pilot, lambda tx: tx.parking.of(demo_id))]
        assert parked == [
            ("vendor contract terms", "ground-rules"),
            ("cert inventory across teams", "ground-rules"),
            ("on-call load", "ground-rules"),
        ]
        # Wrap-up shows the parking lot; each topic can be given an owner there.
        await run_command(pilot, "Wrap-up")
        wrap = app.screen
        assert isinstance(wrap, WrapUpScreen)
        text = screen_text(app)
        assert "3 of 3 without an owner" in text
        assert "vendor contract terms" in text
        # The checklist names each topic without an owner; Enter on its line selects the
        # topic in the parking lot, and Enter there edits it.
        line = next(i for i, c in enumerate(wrap.lines) if "vendor contract terms" in c.text)
        for _ in range(line):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        dialog: object = app.screen
        assert isinstance(dialog, ParkingItemDialog)
        await type_text(pilot, "Mei Lin")
        await pilot.press("enter")
        await settle(pilot)
        assert (await read(pilot, lambda tx: tx.parking.of(demo_id)))[0].owner == "Mei Lin"
        assert "2 of 3 without an owner" in screen_text(app)


async def test_enter_twice_in_a_dialog_saves_once_and_closes_only_the_dialog(
    meeting_db: Database, meeting_demo: PostmortemSession, clock: FakeClock
):
    assert meeting_demo.id is not None
    demo_id = meeting_demo.id
    async with meeting(meeting_db, meeting_demo, clock) as (app, pilot, stage_screen):
        await type_text(pilot, "one")
        await pilot.press("enter")
        await pilot.press("up", "e")
        await settle(pilot)
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        prompt.query_one(Input).value = "one, corrected"
        # Both Enters reach the dialog before its save is done.
        app.post_message(events.Key("enter", "\r"))
        app.post_message(events.Key("enter", "\r"))
        await settle(pilot)
        assert app.screen is stage_screen  # not a blank screen with nothing under it
        assert "one, corrected" in screen_text(app)
        assert [t for _, t, _ in await minutes_of(pilot, demo_id)] == ["one, corrected"]


async def test_edit_delete_and_undo_a_minute(
    meeting_db: Database, meeting_demo: PostmortemSession, clock: FakeClock
):
    assert meeting_demo.id is not None
    demo_id = meeting_demo.id
    async with meeting(meeting_db, meeting_demo, clock) as (app, pilot, _):
        for line in ("one", "two", "three"):
            await type_text(pilot, line)
            await pilot.press("enter")
        await pilot.press("up", "up")  # "two"
        await pilot.press("e")
        await settle(pilot)
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        prompt.query_one(Input).value = "Priya: two, corrected"
        await pilot.press("enter")
        await settle(pilot)
        assert [(a, t) for a, t, _ in await minutes_of(pilot, demo_id)] == [
            (None, "one"),
            ("Priya Raman", "two, corrected"),
            (None, "three"),
        ]
        await pilot.press("up")  # focus is back on the list after the dialog? select again
        await settle(pilot)
        listing = app.screen.query_one(MinutesList)
        app.screen.set_focus(listing)
        listing.cursor = 0
        await pilot.press("d")
        await settle(pilot)
        assert [t for _, t, _ in await minutes_of(pilot, demo_id)] == ["two, corrected", "three"]
        await pilot.press("u")
        await settle(pilot)
        assert [t for _, t, _ in await minutes_of(pilot, demo_id)] == [
            "one",
            "two, corrected",
            "three",
        ]


async def test_pasting_a_block_adds_a_minute_per_line(
    meeting_db: Database, meeting_demo: PostmortemSession, clock: FakeClock
):
    assert meeting_demo.id is not None
    demo_id = meeting_demo.id
    async with meeting(meeting_db, meeting_demo, clock) as (_app, pilot, screen):
        box = screen.query_one(MinuteInput)
        box.post_message(events.Paste("priya: first\n\nsecond line\r\nthird\n"))
        await settle(pilot)
        assert [(a, t) for a, t, _ in await minutes_of(pilot, demo_id)] == [
            ("Priya Raman", "first"),
            (None, "second line"),
            (None, "third"),
        ]
        assert box.value == ""


async def test_a_block_pasted_with_carriage_returns_is_a_minute_per_line_too(
    meeting_db: Database, meeting_demo: PostmortemSession, clock: FakeClock
):
    """tmux and many terminals send a pasted block's line breaks as CR: no line is lost."""
    assert meeting_demo.id is not None
    demo_id = meeting_demo.id
    async with meeting(meeting_db, meeting_demo, clock) as (_app, pilot, screen):
        box = screen.query_one(MinuteInput)
        box.post_message(events.Paste("Ade: pasted one\rSofia: pasted two\rplain three\r"))
        await settle(pilot)
        assert [(a, t) for a, t, _ in await minutes_of(pilot, demo_id)] == [
            ("Ade Okafor", "pasted one"),
            ("Sofia Marques", "pasted two"),
            (None, "plain three"),
        ]
        assert box.value == ""


async def test_the_app_starts_in_its_own_theme(
    meeting_db: Database, meeting_demo: PostmortemSession, clock: FakeClock
):
    """The first frame is drawn in debrief's dark theme, not in Textual's own dark colours
    (they used to be swapped in only after f3 was pressed twice)."""
    async with meeting(meeting_db, meeting_demo, clock) as (app, _pilot, screen):
        assert app.theme == "debrief-dark"
        ours = Color.parse(app.get_css_variables()["background"])
        assert screen.styles.background == ours


async def test_a_one_megabyte_paste_is_refused_or_split_never_a_freeze(
    meeting_db: Database, meeting_demo: PostmortemSession, clock: FakeClock
):
    assert meeting_demo.id is not None
    demo_id = meeting_demo.id
    async with meeting(meeting_db, meeting_demo, clock, notifications=True) as (app, pilot, screen):
        box = screen.query_one(MinuteInput)
        many_lines = ("x" * 49 + "\n") * 21_000  # ~1 MB in 21,000 lines
        box.post_message(events.Paste(many_lines))
        await settle(pilot)
        assert "21,000 lines" in screen_text(app)
        assert await minutes_of(pilot, demo_id) == []
        one_line = "word " * 210_000  # ~1 MB on one line
        box.post_message(events.Paste(one_line))
        await settle(pilot)
        saved = await minutes_of(pilot, demo_id)
        assert 200 < len(saved) < 300
        assert sum(len(t) for _, t, _ in saved) >= len(one_line.strip()) - len(saved)


async def test_list_keeps_up_without_rebuilding_or_requerying(
    meeting_db: Database, meeting_demo: PostmortemSession, clock: FakeClock, monkeypatch
):
    assert meeting_demo.id is not None
    demo_id = meeting_demo.id
    meeting_db.write(
        lambda tx: tx.minutes.add(
            demo_id, "ground-rules", [(None, f"line {n}") for n in range(10_000)], clock()
        )
    )
    async with meeting(meeting_db, meeting_demo, clock) as (app, pilot, screen):
        listing = screen.query_one(MinutesList)
        rebuilds = []
        queries = []
        monkeypatch.setattr(listing, "_rebuild", lambda: rebuilds.append(1))
        monkeypatch.setattr(MinuteRepository, "of", lambda *a: queries.append(a))
        await type_text(pilot, "the newest line")
        await pilot.press("enter")
        await settle(pilot)
        assert (rebuilds, queries) == ([], [])
        assert len(listing.book.minutes) == 10_001
        assert "the newest line" in screen_text(app)


async def test_presenter_view_reads_at_80x24_and_survives_resizing(
    meeting_db: Database, meeting_demo: PostmortemSession, clock: FakeClock
):
    async with meeting(meeting_db, meeting_demo, clock) as (app, pilot, _):
        await type_text(pilot, "alert fired at 23:19")
        await pilot.press("enter")
        await pilot.press("f4")
        await settle(pilot)
        text = screen_text(app)
        assert "Ground rules" in text
        assert "1/7" in text
        assert "We are here to learn" in text
        assert "alert fired at 23:19" in text
        assert "╶" in text or "╭" in text  # the large digits of the timer
        for size in ((40, 12), (60, 15), (40, 12), (80, 24)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            assert screen_text(app).strip()
        await pilot.press("f4")
        await pilot.resize_terminal(40, 12)
        await settle(pilot)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert "1/7 Ground rules" in header(app)


async def test_light_and_dark_themes(
    meeting_db: Database, meeting_demo: PostmortemSession, clock: FakeClock
):
    async with meeting(meeting_db, meeting_demo, clock) as (app, pilot, _):
        assert app.theme == "debrief-dark"
        await pilot.press("f3")
        await settle(pilot)
        assert app.theme == "debrief-light"
        assert not app.current_theme.dark


async def test_minute_times_follow_a_zone_change_made_in_setup(
    meeting_db: Database, meeting_demo: PostmortemSession, clock: FakeClock
):
    async with meeting(meeting_db, meeting_demo, clock) as (app, pilot, _):
        await type_text(pilot, "paged")
        await pilot.press("enter")
        await settle(pilot)
        assert "10:00  paged" in screen_text(app)  # 09:00 UTC in Amsterdam (CET)
        await pilot.press("f2")
        await app.workers.wait_for_complete()
        await settle(pilot)
        zone_box = app.screen.query_one("#fact-timezone", Input)
        zone_box.value = "UTC"
        app.screen.set_focus(zone_box)
        await pilot.press("enter")
        await pilot.press("escape")
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, StageScreen)
        assert "09:00  paged" in screen_text(app)


async def test_back_from_editing_a_minute_the_cursor_is_in_the_minutes_not_the_stage_table(
    db: Database, demo: PostmortemSession
):
    async with stage(db, demo, "actions") as (app, pilot, screen):
        await pilot.press("ctrl+n")
        await type_text(pilot, "Ann: we need a canary")
        await pilot.press("enter", "up", "e")
        await settle(pilot)
        assert type(app.screen).__name__ == "TextPrompt"
        await pilot.press("end")
        await type_text(pilot, " stage")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        # A next key goes where the person was: not to the actions table, whose Enter edits.
        assert isinstance(app.focused, MinutesList)


async def test_back_from_the_parking_lot_dialog_the_cursor_is_in_the_parking_lot(
    db: Database, demo: PostmortemSession
):
    assert demo.id is not None
    demo_id = demo.id
    async with stage(db, demo, "wrap-up") as (app, pilot, screen):
        assert isinstance(screen, WrapUpScreen)
        await settle(pilot)
        table = screen.query_one(ParkingTable)
        assert screen.items
        screen.set_focus(table)
        last = len(screen.items) - 1
        table.move_cursor(row=last)
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ParkingItemDialog)
        dialog.query_one("#parking-owner", Input).value = "Mei Lin"
        await pilot.press("enter")  # the dialog starts in the owner box: Enter saves
        await settle(pilot)
        assert app.screen is screen
        assert (await read(pilot, lambda tx: tx.parking.of(demo_id)))[-1].owner == "Mei Lin"
        assert app.focused is table  # not the checklist, whose Enter jumps to another stage
        assert table.cursor_row == last


async def test_a_sentence_typed_on_the_actions_table_goes_to_the_minutes(
    db: Database, demo: PostmortemSession
):
    assert demo.id is not None
    demo_id = demo.id
    actions_before = [
        (a.id, a.status, a.proposal) for a in db.read(lambda tx: tx.actions.of(demo_id))
    ]
    async with stage(db, demo, "actions") as (app, pilot, screen):
        box = screen.query_one(MinuteInput)
        assert screen.focused is not box
        # "a" adds an action, "s" moves its status, "p" makes it a proposal: typed as the
        # start of a sentence at typing speed, none of them runs.
        await pilot.press(*"sap needs an owner")
        await settle(pilot)
        assert app.screen is screen
        assert box.value == "sap needs an owner"
        await pilot.press("enter")
        await settle(pilot)
        after = await read(pilot, lambda tx: tx.actions.of(demo_id))
        assert [(a.id, a.status, a.proposal) for a in after] == actions_before
        texts = [m.text for m in await read(pilot, lambda tx: tx.minutes.of(demo_id))]
        assert "sap needs an owner" in texts


async def test_the_header_timer_runs_on_while_the_palette_is_open(
    meeting_db: Database, meeting_demo: PostmortemSession, clock: FakeClock
):
    async with meeting(meeting_db, meeting_demo, clock) as (app, pilot, screen):
        await pilot.press("f5")
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert app.screen is not screen
        clock.advance(seconds=65)
        await pilot.pause(1.2)  # the app's one-second tick, with the palette on top
        await settle(pilot)
        assert "meeting 0:01:05" in screen_text(app)


async def test_a_sentence_typed_after_a_kept_draft_is_not_run_into_it(
    meeting_db: Database, meeting_demo: PostmortemSession, clock: FakeClock
):
    """A draft left in the box (Esc keeps it) and a new sentence typed on the stage's table:
    the two are kept apart by a space, not glued together."""
    async with meeting(meeting_db, meeting_demo, clock) as (app, pilot, _screen):
        await pilot.press("f8")  # the timeline: a table to type on
        await settle(pilot)
        await pilot.press("ctrl+n")
        await type_text(pilot, "2 alerts fired late")
        await pilot.press("escape")  # back to the table, the draft kept
        await settle(pilot)
        await type_text(pilot, "pager was fine")
        box = app.screen.query_one(MinuteInput)
        assert box.value == "2 alerts fired late pager was fine"
