"""Guessing an event's kind from its words (`data/event_kinds.toml`)."""

from __future__ import annotations

import re
from functools import cache

from debrief_tui.core.reference.data import event_kinds


@cache
def _words() -> tuple[re.Pattern[str], tuple[str, ...]]:
    # One pattern for every kind, a named group each, tried in the file's order: one search
    # per event instead of one per word (the 5,000-line paste spent 0.3 s in 100,000 searches).
    kinds = [kind for kind in event_kinds() if kind.words]
    groups = [
        f"(?P<k{i}>{'|'.join(re.escape(word.lower()) for word in kind.words)})"
        for i, kind in enumerate(kinds)
    ]
    # A lookahead: every position is tried, so a word inside another kind's match is found.
    pattern = re.compile(rf"(?<![\w-])(?=(?:{'|'.join(groups)})(?![\w-]))")
    return pattern, tuple(kind.key for kind in kinds)


def guess_kind(text: str) -> str | None:
    """The kind suggested by words in `text` (from `data/event_kinds.toml`), or None."""
    pattern, keys = _words()
    lowered = text.lower()
    found = [match.lastgroup for match in pattern.finditer(lowered)]
    if not found:
        return None
    # The first kind in the file's order with any match wins, wherever its word stands.
    first = min(int(name[1:]) for name in found if name is not None)
    return keys[first]
