"""The shared screen: the presenter view (f4) and the first layout of a reopened meeting, as
the room sees them at 80x24 and 120x40."""

from __future__ import annotations

from datetime import timedelta

import pytest

from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.unit import Database, Unit
from tests.helpers import FIXED_NOW, screen_text, settle, stage

BIG_GROUND = "┏━╸┏━┓┏━┓╻ ╻┏┓╻╺┳┓"  # the first row of "GROUND" in large letters


def longest_blank_run(text: str) -> int:
    """The most blank rows in a row on the screen."""
    longest = run = 0
    for line in text.splitlines():
        run = run + 1 if not line.strip() else 0
        longest = max(longest, run)
    return longest


def add_minutes(db: Database, session: PostmortemSession, stage_key: str, count: int) -> None:
    """`count` numbered minutes on a stage, a minute apart."""
    assert session.id is not None
    session_id = session.id

    def add(tx: Unit) -> None:
        for n in range(count):
            at = FIXED_NOW + timedelta(minutes=n)
            tx.minutes.add(session_id, stage_key, [("Mei Lin", f"point number {n}")], at)

    db.write(add)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_presenter_view_shows_the_stage_large_and_no_empty_screen(
    db: Database, demo: PostmortemSession, size: tuple[int, int]
) -> None:
    async with stage(db, demo, "ground-rules", size=size) as (app, pilot, _screen):
        await pilot.press("f4")
        await pilot.pause(0.5)  # the large letters' font is read on a thread
        await settle(pilot)
        text = screen_text(app)
        assert BIG_GROUND in text
        assert "We are here to learn how the system let this happen" in text
        assert "One conversation at a time" in text
        # The prompts take the room a table would have: no screenful of empty rows.
        assert longest_blank_run(text) <= size[1] // 4, text
        await pilot.press("f4")
        await settle(pilot)
        assert BIG_GROUND not in screen_text(app)


async def test_presenter_view_keeps_the_newest_minutes_in_view(
    db: Database, demo: PostmortemSession
) -> None:
    add_minutes(db, demo, "timeline", 40)
    async with stage(db, demo, "timeline", size=(120, 40)) as (app, pilot, _screen):
        assert "point number 39" in screen_text(app)
        await pilot.press("f4")  # the minutes get fewer rows: the newest stay in view
        await pilot.pause(0.5)
        await settle(pilot)
        text = screen_text(app)
        assert "point number 39" in text
        assert "point number 38" in text


@pytest.mark.parametrize("size", [(100, 30), (120, 40)])
async def test_a_reopened_meeting_is_laid_out_right_the_first_time(
    db: Database, demo: PostmortemSession, size: tuple[int, int]
) -> None:
    add_minutes(db, demo, "timeline", 40)
    async with stage(db, demo, "timeline", size=size) as (app, _pilot, screen):
        text = screen_text(app)
        assert "point number 39" in text  # the newest minute, without a resize
        scrolled = [
            w
            for w in screen.query("*")
            if w.show_horizontal_scrollbar and w.styles.scrollbar_size_horizontal > 0
        ]
        assert not scrolled  # no horizontal scrollbar anywhere
