"""Action items: their fields and links, the SMART and proportion checks, due dates as
people say them, and following them up across incidents."""

from __future__ import annotations

from typing import TYPE_CHECKING

from debrief_tui.core.lazy import load

if TYPE_CHECKING:
    from debrief_tui.core.actions.board import GROUPINGS, Board, Group, View
    from debrief_tui.core.actions.due_dates import parse_due
    from debrief_tui.core.actions.follow_ups import (
        CLOSED,
        FollowUp,
        FollowUpChange,
        Tracked,
        due_phrase,
        owned_by,
        to_follow_up,
        with_change,
    )
    from debrief_tui.core.actions.items import ActionLinks, ActionRow, check_action
    from debrief_tui.core.actions.smart import (
        GAP_MARKS,
        Gap,
        default_due,
        owners_named,
        owners_of,
        proportion_hints,
        smart_gaps,
    )
    from debrief_tui.core.actions.tickets import TicketSync, read_tracker_export, sync_plan

__all__ = [
    "CLOSED",
    "GAP_MARKS",
    "GROUPINGS",
    "ActionLinks",
    "ActionRow",
    "Board",
    "FollowUp",
    "FollowUpChange",
    "Gap",
    "Group",
    "TicketSync",
    "Tracked",
    "View",
    "check_action",
    "default_due",
    "due_phrase",
    "owned_by",
    "owners_named",
    "owners_of",
    "parse_due",
    "proportion_hints",
    "read_tracker_export",
    "smart_gaps",
    "sync_plan",
    "to_follow_up",
    "with_change",
]

# Where each name lives: its module is imported when the name is first used.
_WHERE = {
    "parse_due": "due_dates",
    "Board": "board",
    "GROUPINGS": "board",
    "Group": "board",
    "View": "board",
    "CLOSED": "follow_ups",
    "FollowUp": "follow_ups",
    "due_phrase": "follow_ups",
    "FollowUpChange": "follow_ups",
    "Tracked": "follow_ups",
    "to_follow_up": "follow_ups",
    "with_change": "follow_ups",
    "owned_by": "follow_ups",
    "TicketSync": "tickets",
    "read_tracker_export": "tickets",
    "sync_plan": "tickets",
    "ActionLinks": "items",
    "ActionRow": "items",
    "check_action": "items",
    "GAP_MARKS": "smart",
    "Gap": "smart",
    "default_due": "smart",
    "owners_named": "smart",
    "owners_of": "smart",
    "proportion_hints": "smart",
    "smart_gaps": "smart",
}


def __getattr__(name: str) -> object:
    """Load the module holding `name` on first use."""
    return load(__name__, _WHERE, name)
