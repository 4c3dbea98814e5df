"""What every stage screen of one session shares: handed down by the app, never looked up."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from debrief_tui.ui.minute_book import MinuteBook

if TYPE_CHECKING:
    from debrief_tui.core.meeting import Meeting
    from debrief_tui.core.store import Store


@dataclass
class MeetingContext:
    """The open session's meeting, minutes, people and (once ready) store."""

    session_id: int
    title: str
    zone_name: str
    meeting: Meeting
    book: MinuteBook
    people: list[tuple[str, str]] = field(default_factory=list)
    store: Store | None = None
    presenter: bool = False
