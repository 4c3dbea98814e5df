"""The meeting: its agenda, where it is and its timer, the minutes as typed, the parking
lot, and the wrap-up's checklist and summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from debrief_tui.core.lazy import load

if TYPE_CHECKING:
    from debrief_tui.core.meeting.agenda import (
        Agenda,
        AgendaError,
        Stage,
        default_agenda_path,
        load_agenda,
        parse_agenda,
    )
    from debrief_tui.core.meeting.meeting import (
        BEAT_SECONDS,
        Meeting,
        OpenRun,
        QuietLog,
        StageLog,
    )
    from debrief_tui.core.meeting.minutes import (
        MAX_MINUTE_CHARS,
        MAX_PASTE_LINES,
        MINUTE_KINDS,
        Kinded,
        MinuteLine,
        PasteTooLarge,
        Said,
        attribute,
        minute_kind,
        minute_text,
        split_paste,
    )
    from debrief_tui.core.meeting.parking import parked_text
    from debrief_tui.core.meeting.roles import FACILITATOR, NOTE_TAKER, ROLES
    from debrief_tui.core.meeting.timer import Run, StageClock, format_duration, spent_by_stage
    from debrief_tui.core.meeting.wrap_up import (
        CheckLine,
        MeetingSummary,
        MinuteMark,
        SessionData,
        StageTime,
        actions_not_created,
        checklist,
        decisions_taken,
        meeting_summary,
    )

__all__ = [
    "BEAT_SECONDS",
    "FACILITATOR",
    "MAX_MINUTE_CHARS",
    "MAX_PASTE_LINES",
    "MINUTE_KINDS",
    "NOTE_TAKER",
    "ROLES",
    "Agenda",
    "AgendaError",
    "CheckLine",
    "Kinded",
    "Meeting",
    "MeetingSummary",
    "MinuteLine",
    "MinuteMark",
    "OpenRun",
    "PasteTooLarge",
    "QuietLog",
    "Run",
    "Said",
    "SessionData",
    "Stage",
    "StageClock",
    "StageLog",
    "StageTime",
    "actions_not_created",
    "attribute",
    "checklist",
    "decisions_taken",
    "default_agenda_path",
    "format_duration",
    "load_agenda",
    "meeting_summary",
    "minute_kind",
    "minute_text",
    "parked_text",
    "parse_agenda",
    "spent_by_stage",
    "split_paste",
]

# Where each name lives: its module is imported when the name is first used.
_WHERE = {
    "Agenda": "agenda",
    "AgendaError": "agenda",
    "Stage": "agenda",
    "default_agenda_path": "agenda",
    "load_agenda": "agenda",
    "parse_agenda": "agenda",
    "BEAT_SECONDS": "meeting",
    "Meeting": "meeting",
    "OpenRun": "meeting",
    "QuietLog": "meeting",
    "FACILITATOR": "roles",
    "NOTE_TAKER": "roles",
    "ROLES": "roles",
    "StageLog": "meeting",
    "MAX_MINUTE_CHARS": "minutes",
    "MAX_PASTE_LINES": "minutes",
    "MINUTE_KINDS": "minutes",
    "Kinded": "minutes",
    "minute_kind": "minutes",
    "MinuteLine": "minutes",
    "PasteTooLarge": "minutes",
    "Said": "minutes",
    "attribute": "minutes",
    "minute_text": "minutes",
    "split_paste": "minutes",
    "parked_text": "parking",
    "Run": "timer",
    "StageClock": "timer",
    "format_duration": "timer",
    "spent_by_stage": "timer",
    "CheckLine": "wrap_up",
    "MeetingSummary": "wrap_up",
    "MinuteMark": "wrap_up",
    "actions_not_created": "wrap_up",
    "decisions_taken": "wrap_up",
    "SessionData": "wrap_up",
    "StageTime": "wrap_up",
    "checklist": "wrap_up",
    "meeting_summary": "wrap_up",
}


def __getattr__(name: str) -> object:
    """Load the module holding `name` on first use."""
    return load(__name__, _WHERE, name)
