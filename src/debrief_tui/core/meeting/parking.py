"""The parking lot: topics the room comes back to later."""

from __future__ import annotations

from debrief_tui.core.errors import InputError


def parked_text(text: str) -> str:
    """A topic as stored; InputError when there is nothing to park."""
    if not text.strip():
        raise InputError("nothing to park: type the topic or select an item")
    return text.strip()
