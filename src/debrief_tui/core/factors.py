"""Contributing factors: what a factor must be before it is saved."""

from __future__ import annotations

from debrief_tui.core.errors import InputError
from debrief_tui.core.reference.data import factor_category_keys


def check_factor(category: str, text: str) -> str:
    """A factor's text as stored; InputError for no text or an unknown category."""
    if not text.strip():
        raise InputError("a factor needs some text", "text")
    if category not in factor_category_keys():
        raise InputError(
            f"unknown category {category!r} (one of {', '.join(factor_category_keys())})",
            "category",
        )
    return text.strip()
