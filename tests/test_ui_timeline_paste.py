"""Pilot tests for the paste box's preview: what the importer assumed is shown under the lines
it applies to, and a time far outside the incident is flagged, before anything is saved."""

from __future__ import annotations

from datetime import UTC, datetime

from textual import events

from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.unit import Database
from debrief_tui.ui.dialogs.timeline_paste import TimelinePaste
from debrief_tui.ui.screens.timeline import TimelineScreen
from tests.helpers import FakeClock, opened, read, screen_text, settle
from tests.test_ui_timeline import timeline

PASTE = """All times are in UTC

- 22:20 paged
- 22:31 failover started
- 2025-03-10 09:00 load test rehearsal
"""


async def test_the_preview_shows_the_notes_and_flags_then_imports_on_confirmation(
    db: Database, demo: PostmortemSession, clock: FakeClock
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    before = len(db.read(lambda tx: tx.timeline.of(demo_id)))
    async with timeline(db, demo, clock, size=(110, 40)) as (app, pilot, _screen):
        await pilot.press("i")
        box = await opened(app, pilot, TimelinePaste)
        app.post_message(events.Paste(PASTE))
        await pilot.pause(0.3)
        text = screen_text(app)
        assert "3 events read" in text
        # Under the lines they apply to: the zone the note set, the day assumed.
        assert "↳ lines 3-5: no zone on the line: read in UTC, as line 1 says" in text
        assert "↳ lines 3-4: no date given: the session's start day, 2025-03-21" in text
        # Days before the demo incident (its start milestone, not an event already in the
        # timeline, which a stray import could have moved): flagged on its line, and counted.
        assert "⚠2025-03-10 10:00" in text
        assert "12 days before the incident, which starts 2025-03-21 23:12 CET" in text
        assert "1 event far outside the incident" in text
        assert len(await read(pilot, lambda tx: tx.timeline.of(demo_id))) == before
        await pilot.press("ctrl+s")  # notes and flags never block: it is the team's call
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        assert app.screen is not box
        rows = await read(pilot, lambda tx: tx.timeline.of(demo_id))
        assert len(rows) == before + 3
        assert datetime(2025, 3, 21, 22, 20, tzinfo=UTC) in [e.at for e in rows]


async def test_at_80x24_every_event_and_note_of_a_long_paste_can_be_read(
    db: Database, demo: PostmortemSession, clock: FakeClock
) -> None:
    """A real 41-event write-up (PostHog's, tests/examples/timelines): once read, the preview
    takes the room, and Tab then ↓ / End scroll it to the last event and its notes."""
    from pathlib import Path

    text = (
        Path(__file__).parent / "examples/timelines/posthog-2025-10-21-feature-flags-outages.txt"
    ).read_text(encoding="utf-8")
    async with timeline(db, demo, clock, size=(80, 24)) as (app, pilot, _screen):
        await pilot.press("i")
        await opened(app, pilot, TimelinePaste)
        app.post_message(events.Paste(text))
        await pilot.pause(0.3)
        await settle(pilot)
        first = screen_text(app)
        assert "41 events read" in first
        assert "Incident resolved, query timings" not in first  # the last event: below the fold
        await pilot.press("tab")
        await pilot.press("end")
        await settle(pilot)
        last = screen_text(app)
        assert "Incident resolved, query timings" in last
        assert "41 events read" in last  # the summary stays in view
