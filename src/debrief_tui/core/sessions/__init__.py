"""A session's facts as typed (title, severity, times, impact, ...) and its attendees."""

from __future__ import annotations

from typing import TYPE_CHECKING

from debrief_tui.core.lazy import load

if TYPE_CHECKING:
    from debrief_tui.core.sessions.facts import FACT_FIELDS, FIELDS_BY_NAME, FactField, parse_fact
    from debrief_tui.core.sessions.rules import check_attendee, check_facts
    from debrief_tui.core.sessions.search import (
        PLACES,
        TITLE,
        SearchFilters,
        SearchHit,
        SearchQuery,
        by_session,
        parse_day,
        parse_search,
    )

__all__ = [
    "FACT_FIELDS",
    "FIELDS_BY_NAME",
    "PLACES",
    "TITLE",
    "FactField",
    "SearchFilters",
    "SearchHit",
    "SearchQuery",
    "by_session",
    "check_attendee",
    "check_facts",
    "parse_day",
    "parse_fact",
    "parse_search",
]

# Where each name lives: its module is imported when the name is first used.
_WHERE = {
    "FACT_FIELDS": "facts",
    "FIELDS_BY_NAME": "facts",
    "FactField": "facts",
    "parse_fact": "facts",
    "check_attendee": "rules",
    "check_facts": "rules",
    "PLACES": "search",
    "SearchFilters": "search",
    "SearchHit": "search",
    "SearchQuery": "search",
    "TITLE": "search",
    "by_session": "search",
    "parse_day": "search",
    "parse_search": "search",
}


def __getattr__(name: str) -> object:
    """Load the module holding `name` on first use."""
    return load(__name__, _WHERE, name)
