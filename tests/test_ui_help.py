"""Pilot tests for finding one's way: the help screen (f1, ?), the footer and the palette
list the keys; the minutes list shows where each stage starts and, across days, the date."""

from __future__ import annotations

from typing import Any

from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.unit import Database, Unit
from debrief_tui.ui.screens.help import HelpScreen, key_rows
from debrief_tui.ui.screens.stage import StageScreen
from debrief_tui.ui.widgets.minute_input import MinuteInput
from debrief_tui.ui.widgets.minutes_list import MinutesList
from tests.helpers import FakeClock, read, running, screen_text, settle, stage, type_text

MEETING_KEYS = {
    "f2": "Setup",
    "f3": "Light/dark",
    "f6": "Room",
    "^e": "Export",
    "^q": "Quit",
    "^p": "Command palette",
    "f1": "Keys",
}


async def test_f1_lists_the_stage_and_meeting_keys_from_the_bindings_and_esc_closes(
    db: Database, demo: PostmortemSession
):
    async with stage(db, demo, "timeline", size=(100, 50)) as (app, pilot, screen):
        await pilot.press("ctrl+n")
        await pilot.press("f1")  # from the minutes box: f1 works while typing
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        text = screen_text(app)
        assert "Keys: Timeline review" in text
        assert "This stage" in text
        assert "The meeting" in text
        for key, name in MEETING_KEYS.items():
            assert any(f"{key} " in line and name in line for line in text.splitlines()), key
        # The stage's table keys are listed though the cursor is in the minutes box.
        assert isinstance(screen.focused, MinuteInput)
        assert "Paste timeline" in text
        assert "Mark resolved" in text
        # Textual's own cursor and text-editing keys are not.
        assert "Cursor up" not in text
        assert "Delete left" not in text
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert isinstance(screen.focused, MinuteInput)


async def test_the_help_rows_follow_the_active_bindings(db: Database, demo: PostmortemSession):
    async with stage(db, demo, "timeline") as (_app, _pilot, screen):
        rows = {row.description: row for row in key_rows(screen)}
        declared = {b.description for b in screen.main_widget()._bindings.key_to_bindings["a"]}
        assert declared <= set(rows)
        assert rows["Edit"].keys == ("⏎", "e")
        assert not rows["Edit"].meeting
        assert rows["Export"].meeting
        assert rows["Export"].keys == ("^e",)
        assert rows["Keys"].keys == ("f1", "?")


async def test_question_mark_typed_in_the_minutes_box_is_text_elsewhere_it_opens_help(
    db: Database, demo: PostmortemSession
):
    async with stage(db, demo, "timeline") as (app, pilot, screen):
        box = screen.query_one(MinuteInput)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.focused is box
        await type_text(pilot, "Why? ")
        assert box.value == "Why? "
        assert app.screen is screen
        await pilot.press("escape")  # to the timeline table
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")  # f1 closes it as well as Esc and ?
        await settle(pilot)
        back = app.screen
        assert isinstance(back, StageScreen)


async def test_meeting_wide_keys_join_the_footer_when_there_is_room(
    db: Database, demo: PostmortemSession
):
    async with stage(db, demo, "ground-rules", size=(80, 24)) as (app, _pilot, _screen):
        narrow = screen_text(app).splitlines()[-1]
        assert "^n Minute" in narrow
        assert "^e Export" not in narrow
    async with stage(db, demo, "ground-rules", size=(160, 30)) as (app, _pilot, _screen):
        wide = screen_text(app).splitlines()[-1]
        for key in ("f1 Keys", "f2 Setup", "f3 Light/dark", "f6 Room", "^e Export", "^q Quit"):
            assert key in wide, key


async def test_palette_shows_keys_and_leaves_out_textual_commands_that_do_not_fit(
    db: Database, demo: PostmortemSession
):
    async with stage(db, demo, "timeline") as (app, pilot, screen):
        commands = {c.title: c.help for c in app.get_system_commands(screen)}
        assert "Theme" not in commands
        assert "Keys" in commands
        assert commands["Keys"].startswith("f1")
        assert commands["Export"].startswith("^e")
        assert commands["Quit"].startswith("^q")
        assert commands["Add"] == "Key: a"
        assert "Cursor up" not in commands
        await pilot.press("ctrl+n")
        await settle(pilot)
        typing = {c.title for c in app.get_system_commands(app.screen)}
        assert not {"Delete left", "Move cursor left", "Go to start", "Cut"} & typing


async def _say(pilot: Any, text: str) -> None:
    await pilot.press("ctrl+n")
    await type_text(pilot, text)
    await pilot.press("enter")
    await settle(pilot)


def _minutes_rows(app: Any) -> list[str]:
    return [line.strip() for line in screen_text(app).splitlines() if line.strip()]


async def test_the_minutes_list_marks_where_each_stage_starts_and_the_day_when_they_span_days(
    db: Database, demo: PostmortemSession
):
    assert demo.id is not None
    session_id = demo.id

    def forget_the_demo_minutes(tx: Unit) -> None:
        for minute in tx.minutes.of(session_id):
            assert minute.id is not None
            tx.minutes.delete(minute.id)

    db.write(forget_the_demo_minutes)
    async with stage(db, demo, "ground-rules", size=(100, 40)) as (app, pilot, _screen):
        clock = app.clock
        assert isinstance(clock, FakeClock)
        await _say(pilot, "we start")
        await _say(pilot, "blameless, please")
        separators = [row for row in _minutes_rows(app) if row.startswith("── ")]
        assert len(separators) == 1
        assert separators[0].startswith("── Ground rules ──")
        await pilot.press("f8")
        await settle(pilot)
        await _say(pilot, "first event at 18:05")
        separators = [row for row in _minutes_rows(app) if row.startswith("── ")]
        assert [s.split(" ─")[0] for s in separators] == ["── Ground rules", "── Timeline review"]
        # The next morning the review goes on: every separator now has its date.
        clock.advance(days=1)
        await _say(pilot, "picked up again")
        separators = [row for row in _minutes_rows(app) if row.startswith("── ")]
        assert [s.split(" ─")[0] for s in separators] == [
            "── Ground rules · Mon 24 Mar 2025",
            "── Timeline review",
            "── Timeline review · Tue 25 Mar 2025",
        ]
        # The separators are not minutes: the cursor walks minutes only.
        listing = app.screen.query_one(MinutesList)
        assert len(listing.book.minutes) == 4


async def test_decisions_actions_and_questions_are_marked_in_the_minutes_not_speakers(
    db: Database, demo: PostmortemSession
):
    assert demo.id is not None
    session_id = demo.id
    async with stage(db, demo, "whys", size=(100, 40)) as (app, pilot, _screen):
        await _say(pilot, "Decision: roll back before debugging")
        await _say(pilot, "Action: alarm on certificate expiry")
        await _say(pilot, "Question: who owns rotation?")
        text = screen_text(app)
        assert "◆ Decision: roll back before debugging" in text
        assert "→ Action: alarm on certificate expiry" in text
        assert "? Question: who owns rotation?" in text
        stored = await read(pilot, lambda tx: tx.minutes.of(session_id))
        typed = [m for m in stored if m.at == app.clock()]
        assert [(m.author, m.text) for m in typed] == [
            (None, "Decision: roll back before debugging"),
            (None, "Action: alarm on certificate expiry"),
            (None, "Question: who owns rotation?"),
        ]


async def test_f1_on_the_session_list_lists_its_keys(db: Database, demo: PostmortemSession):
    async with running(db, size=(100, 40)) as (app, pilot):
        below = app.screen
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "^q" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is below
