"""User text as Rich `Text`: shown exactly as typed, never parsed as markup or control codes."""

from __future__ import annotations

from rich.text import Text

from debrief_tui.core.text import one_line


def literal(text: str | None, style: str = "") -> Text:
    """A one-line `Text` of user text, markup and escape codes shown literally."""
    return Text(one_line(text or ""), style=style, no_wrap=False)
