"""A session's facts as typed (title, severity, times, impact, ...) and its attendees; whether
its review meeting was held on time; past sessions like it."""

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
    from debrief_tui.core.sessions.similar import (
        Match,
        PastAction,
        SessionFacts,
        similar_sessions,
    )
    from debrief_tui.core.sessions.timeliness import (
        Review,
        Timeliness,
        meeting_held_at,
        review_timeliness,
        session_timeliness,
    )

__all__ = [
    "FACT_FIELDS",
    "FIELDS_BY_NAME",
    "PLACES",
    "TITLE",
    "FactField",
    "Match",
    "PastAction",
    "Review",
    "SearchFilters",
    "SearchHit",
    "SearchQuery",
    "SessionFacts",
    "Timeliness",
    "by_session",
    "check_attendee",
    "check_facts",
    "meeting_held_at",
    "parse_day",
    "parse_fact",
    "parse_search",
    "review_timeliness",
    "session_timeliness",
    "similar_sessions",
]

# Where each name lives: its module is imported when the name is first used.
_WHERE = {
    "FACT_FIELDS": "facts",
    "FIELDS_BY_NAME": "facts",
    "FactField": "facts",
    "parse_fact": "facts",
    "check_attendee": "rules",
    "check_facts": "rules",
    "Match": "similar",
    "PastAction": "similar",
    "SessionFacts": "similar",
    "similar_sessions": "similar",
    "Review": "timeliness",
    "Timeliness": "timeliness",
    "meeting_held_at": "timeliness",
    "review_timeliness": "timeliness",
    "session_timeliness": "timeliness",
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
