"""The incident timeline: reading times and pasted timelines, events, milestones and the
metrics measured from them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from debrief_tui.core.lazy import load

if TYPE_CHECKING:
    from debrief_tui.core.timeline.chat import (
        CHAT_CHOICES,
        ChatChoice,
        ChatMessage,
        ChatRead,
        attendee_for,
        chat_rows,
        clean_markup,
        read_chat_export,
    )
    from debrief_tui.core.timeline.duplicates import already_on_timeline, new_events
    from debrief_tui.core.timeline.events import TimelineRow, check_event
    from debrief_tui.core.timeline.far_out import far_outside
    from debrief_tui.core.timeline.importing import (
        MAX_IMPORT_BYTES,
        format_for,
        guess_kind,
        parse_event_time,
        read_timeline,
    )
    from debrief_tui.core.timeline.links import (
        LinkRow,
        format_links,
        link_name,
        parse_links,
    )
    from debrief_tui.core.timeline.metrics import (
        MILESTONE_LABELS,
        MILESTONES,
        Metrics,
        SlaCheck,
        compute_metrics,
        impact_end,
        milestone_facts,
        out_of_order,
    )
    from debrief_tui.core.timeline.placing import IncidentWindow, placed_event_time
    from debrief_tui.core.timeline.results import BadLine, ImportedEvent, ImportResult, Note
    from debrief_tui.core.timeline.timeparse import (
        TimeParseError,
        format_input,
        format_when,
        machine_zone,
        parse_when,
        validate_timezone,
        zone,
        zone_abbreviation,
    )

__all__ = [
    "CHAT_CHOICES",
    "MAX_IMPORT_BYTES",
    "MILESTONES",
    "MILESTONE_LABELS",
    "BadLine",
    "ChatChoice",
    "ChatMessage",
    "ChatRead",
    "ImportResult",
    "ImportedEvent",
    "IncidentWindow",
    "LinkRow",
    "Metrics",
    "Note",
    "SlaCheck",
    "TimeParseError",
    "TimelineRow",
    "already_on_timeline",
    "attendee_for",
    "chat_rows",
    "check_event",
    "clean_markup",
    "compute_metrics",
    "far_outside",
    "format_for",
    "format_input",
    "format_links",
    "format_when",
    "guess_kind",
    "impact_end",
    "link_name",
    "machine_zone",
    "milestone_facts",
    "new_events",
    "out_of_order",
    "parse_event_time",
    "parse_links",
    "parse_when",
    "placed_event_time",
    "read_chat_export",
    "read_timeline",
    "validate_timezone",
    "zone",
    "zone_abbreviation",
]

# Where each name lives: its module is imported when the name is first used.
_WHERE = {
    "CHAT_CHOICES": "chat",
    "ChatChoice": "chat",
    "ChatMessage": "chat",
    "ChatRead": "chat",
    "attendee_for": "chat",
    "chat_rows": "chat",
    "clean_markup": "chat",
    "read_chat_export": "chat",
    "already_on_timeline": "duplicates",
    "new_events": "duplicates",
    "TimelineRow": "events",
    "check_event": "events",
    "MAX_IMPORT_BYTES": "importing",
    "BadLine": "results",
    "ImportResult": "results",
    "ImportedEvent": "results",
    "Note": "results",
    "far_outside": "far_out",
    "format_for": "importing",
    "guess_kind": "importing",
    "parse_event_time": "importing",
    "read_timeline": "importing",
    "LinkRow": "links",
    "format_links": "links",
    "link_name": "links",
    "parse_links": "links",
    "IncidentWindow": "placing",
    "placed_event_time": "placing",
    "MILESTONES": "metrics",
    "MILESTONE_LABELS": "metrics",
    "Metrics": "metrics",
    "SlaCheck": "metrics",
    "compute_metrics": "metrics",
    "impact_end": "metrics",
    "milestone_facts": "metrics",
    "out_of_order": "metrics",
    "TimeParseError": "timeparse",
    "format_input": "timeparse",
    "format_when": "timeparse",
    "machine_zone": "timeparse",
    "parse_when": "timeparse",
    "validate_timezone": "timeparse",
    "zone": "timeparse",
    "zone_abbreviation": "timeparse",
}


def __getattr__(name: str) -> object:
    """Load the module holding `name` on first use."""
    return load(__name__, _WHERE, name)
