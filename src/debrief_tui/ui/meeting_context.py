"""What every stage screen of one session shares: handed down by the app, never looked up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from debrief_tui.ui.minute_book import MinuteBook

if TYPE_CHECKING:
    from debrief_tui.core.meeting.meeting import Meeting
    from debrief_tui.core.persistence.store import Store


class MeetingContext:
    """The open session's meeting, minutes, people and (once ready) store."""

    # A plain class, not a dataclass: building a dataclass costs a millisecond or more at
    # import, and this module is on the road to the first frame.
    def __init__(
        self, session_id: int, title: str, zone_name: str, meeting: Meeting, book: MinuteBook
    ) -> None:
        self.session_id = session_id
        self.title = title
        self.zone_name = zone_name
        self.meeting = meeting
        self.book = book
        self.people: list[tuple[str, str]] = []
        self.store: Store | None = None
        self.presenter = False
