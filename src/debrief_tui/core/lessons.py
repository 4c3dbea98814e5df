"""Lessons: what went well, what went wrong, where we got lucky."""

from __future__ import annotations

from debrief_tui.core.errors import InputError
from debrief_tui.core.reference.vocab import LESSON_KINDS


def check_lesson(kind: str, text: str) -> tuple[str, str]:
    """A lesson's list and text as stored; InputError for no text or an unknown list."""
    text = " ".join(text.split())
    if not text:
        raise InputError("a lesson needs some text", "text")
    if kind not in LESSON_KINDS:
        raise InputError(f"unknown list {kind!r} (one of {', '.join(LESSON_KINDS)})", "kind")
    return kind, text
