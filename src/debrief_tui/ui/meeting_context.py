"""What every stage screen of one session shares: handed down by the app, never looked up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from debrief_tui.ui.undo import UndoStack

if TYPE_CHECKING:
    from debrief_tui.core.clock import Clock
    from debrief_tui.core.meeting import Meeting
    from debrief_tui.core.persistence import Gateway
    from debrief_tui.ui.live import LiveSeat
    from debrief_tui.ui.minute_book import MinuteBook


class MeetingContext:
    """The open session's meeting, minutes, people, undo stack and the gateway to its data."""

    # A plain class, not a dataclass: building a dataclass costs a millisecond or more at
    # import, and this module is on the road to the first frame.
    def __init__(
        self,
        session_id: int,
        title: str,
        zone_name: str,
        meeting: Meeting,
        book: MinuteBook,
        gateway: Gateway,
        clock: Clock,
    ) -> None:
        self.session_id = session_id
        self.title = title
        self.zone_name = zone_name
        self.meeting = meeting
        self.book = book
        self.gateway = gateway
        self.clock = clock
        self.people: list[tuple[str, str]] = []
        self.voices: dict[str, int] = {}
        """Who spoke during the incident: the authors of timeline events, with how many."""
        self.presenter = False
        self.undo = UndoStack()
        self.live: LiveSeat | None = None
        """This seat among the others at the meeting (its role, who else is here)."""
