"""A timeline event as typed or imported, and what it must be before it is saved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from debrief_tui.core.errors import InputError
from debrief_tui.core.reference.data import event_kind_keys

MAX_EVENT_CHARS = 2000
"""The longest event text, typed, pasted or imported."""


@dataclass(frozen=True)
class TimelineRow:
    """A timeline event before it is saved."""

    at: datetime
    text: str
    kind: str = "observation"
    key_event: bool = False
    approximate: bool = False


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
