"""A time typed without a date in the event dialog lands inside the incident, next to the event
it is added beside, and the dialog shows the full date before it is saved.

The demo incident (data/demo.json) ran from 23:12 on 21 March 2025 to 01:39 the next night,
Amsterdam time (CET, UTC+1).
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.unit import Database
from debrief_tui.core.timeline import IncidentWindow, TimeParseError, placed_event_time
from debrief_tui.ui.dialogs.event_dialog import EventDialog
from debrief_tui.ui.widgets.event_table import EventTable
from tests.helpers import FakeClock, opened, read, settle, type_text
from tests.test_ui_timeline import timeline

ZONE = "Europe/Amsterdam"
STARTED = datetime(2025, 3, 21, 22, 12, tzinfo=UTC)  # 23:12 CET
RESOLVED = datetime(2025, 3, 22, 0, 39, tzinfo=UTC)  # 01:39 CET


def _local(day: int, hour: int, minute: int) -> datetime:
    """A wall time in Amsterdam in March 2025 (CET), as UTC."""
    return datetime(2025, 3, day, hour, minute, tzinfo=ZoneInfo(ZONE)).astimezone(UTC)


@pytest.mark.parametrize(
    ("beside", "typed", "lands"),
    [
        (_local(21, 23, 50), "00:05", _local(22, 0, 5)),  # past midnight: the second day
        (_local(22, 0, 10), "23:55", _local(21, 23, 55)),  # before midnight: the first day
        (_local(21, 23, 50), "23:20", _local(21, 23, 20)),
        (_local(22, 1, 9), "~01:12", _local(22, 1, 12)),
        (_local(21, 23, 50), "2025-03-21 00:05", _local(21, 0, 5)),  # a date is taken as given
    ],
)
def test_a_time_without_a_date_lands_inside_the_incident(
    beside: datetime, typed: str, lands: datetime
) -> None:
    window = IncidentWindow.around([STARTED, RESOLVED], beside)
    assert placed_event_time(typed, ZONE, window)[0] == lands


def test_outside_any_window_the_day_nearest_the_event_beside_it_is_taken() -> None:
    # 12:00 is inside no day of a two-hour incident: the noon nearest 23:50 is that day's.
    window = IncidentWindow.around([STARTED, RESOLVED], _local(21, 23, 50))
    assert placed_event_time("12:00", ZONE, window)[0] == _local(21, 12, 0)


def test_with_nothing_known_a_date_is_asked_for() -> None:
    with pytest.raises(TimeParseError, match="give the date as well"):
        placed_event_time("10:00", ZONE, IncidentWindow())


async def test_the_dialog_shows_the_full_date_and_saves_it_past_midnight(
    db: Database, demo: PostmortemSession, clock: FakeClock
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    async with timeline(db, demo, clock) as (app, pilot, screen):
        rows = [e.at for e in screen.events]
        table_row = rows.index(_local(21, 23, 52))  # "Rolled back the checkout-api deploy"
        screen.query_one(EventTable).move_cursor(row=table_row)
        await settle(pilot)
        await pilot.press("a")
        added = await opened(app, pilot, EventDialog)
        await type_text(pilot, "00:03")
        await settle(pilot)
        assert "→ 2025-03-22 00:03 CET" in str(added.query_one("#event-error").render())
        await pilot.press("enter")
        await type_text(pilot, "Rollback finished on the last pod")
        await pilot.press("enter")
        await settle(pilot)
        stored = await read(pilot, lambda tx: tx.timeline.of(demo_id))
        assert [e.at for e in stored if e.text.startswith("Rollback finished")] == [
            _local(22, 0, 3)
        ]
