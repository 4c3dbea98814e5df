"""A timeline event as typed or imported, and what it must be before it is saved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from debrief_tui.core.errors import InputError
from debrief_tui.core.reference.data import event_kind_keys
from debrief_tui.core.timeline.links import LinkRow

MAX_EVENT_CHARS = 2000
"""The longest event text, typed, pasted or imported."""
MAX_AUTHOR_CHARS = 200
"""The longest author name (a chat's display names are far shorter)."""


@dataclass(frozen=True)
class TimelineRow:
    """A timeline event before it is saved."""

    at: datetime
    text: str
    kind: str = "observation"
    key_event: bool = False
    approximate: bool = False
    author: str | None = None
    """Who wrote it (a chat message's author); None keeps an edited event's author."""
    links: tuple[LinkRow, ...] | None = None
    """Its dashboards, graphs, tickets...; None keeps an edited event's links."""


def author_name(author: str | None) -> str | None:
    """An author as stored: white space folded, a blank one is none; InputError when longer
    than MAX_AUTHOR_CHARS."""
    name = " ".join((author or "").split())
    if len(name) > MAX_AUTHOR_CHARS:
        raise InputError(
            f"an author's name takes at most {MAX_AUTHOR_CHARS} characters ({len(name):,} given)",
            "author",
        )
    return name or None


def check_event(text: str, kind: str) -> None:
    """Refuse an event with no text, text too long, or of an unknown kind."""
    if not text.strip():
        raise InputError("an event needs some text", "text")
    if len(text) > MAX_EVENT_CHARS:
        raise InputError(
            f"an event takes at most {MAX_EVENT_CHARS:,} characters ({len(text):,} given)", "text"
        )
    if kind not in event_kind_keys():
        raise InputError(f"unknown kind {kind!r} (one of {', '.join(event_kind_keys())})", "kind")
