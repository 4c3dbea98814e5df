"""The 5 Whys: the tree's shape and hints, and the rules its answers follow."""

from __future__ import annotations

from typing import TYPE_CHECKING

from debrief_tui.core.lazy import load

if TYPE_CHECKING:
    from debrief_tui.core.whys.rules import (
        MAX_ANSWER_CHARS,
        answer_text,
        check_deletable,
        check_promotable,
        check_root_cause,
    )
    from debrief_tui.core.whys.tree import TARGET_DEPTH, Hint, WhyTree, hints, hints_for

__all__ = [
    "MAX_ANSWER_CHARS",
    "TARGET_DEPTH",
    "Hint",
    "WhyTree",
    "answer_text",
    "check_deletable",
    "check_promotable",
    "check_root_cause",
    "hints",
    "hints_for",
]

# Where each name lives: its module is imported when the name is first used.
_WHERE = {
    "MAX_ANSWER_CHARS": "rules",
    "answer_text": "rules",
    "check_deletable": "rules",
    "check_promotable": "rules",
    "check_root_cause": "rules",
    "TARGET_DEPTH": "tree",
    "Hint": "tree",
    "WhyTree": "tree",
    "hints": "tree",
    "hints_for": "tree",
}


def __getattr__(name: str) -> object:
    """Load the module holding `name` on first use."""
    return load(__name__, _WHERE, name)
