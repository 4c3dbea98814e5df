"""The one way the UI shows a refusal (bad input, a row deleted meanwhile, a database that
cannot take a change): one line, the text shown literally, and nothing the user typed lost."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, TypeVar

from textual.app import App
from textual.widget import Widget

from debrief_tui.core.errors import NotFound, Refusal
from debrief_tui.core.text import printable

_T = TypeVar("_T")


Notifies = App[Any] | Widget
"""Anything that can show a notification: the app, a screen, a widget."""


_NOUNS = {"why": "answer", "timeline event": "event"}


def noun_for(what: str) -> str:
    """How the room names an item (an answer, not a why-node)."""
    return _NOUNS.get(what, what)


def show_refusal(node: Notifies, exc: Exception) -> None:
    """Say why something was refused, in one line."""
    if isinstance(exc, NotFound) and exc.what is not None:
        # Not "no why with id 12": the room sees items, not ids.
        message = f"That {noun_for(exc.what)} is gone: it was deleted, perhaps in another seat."
    else:
        message = printable(str(exc))
    node.notify(message, severity="error", markup=False)


async def removed(node: Notifies, work: Awaitable[object]) -> bool:
    """Wait for a deletion: a row deleted meanwhile elsewhere counts as done; a refusal is
    shown and gives False."""
    try:
        await work
    except NotFound:
        return True  # gone all the same
    except Refusal as exc:
        show_refusal(node, exc)
        return False
    return True


async def attempt(node: Notifies, work: Awaitable[_T]) -> _T | None:
    """Wait for `work`; a refusal is shown and gives None."""
    try:
        return await work
    except Refusal as exc:
        show_refusal(node, exc)
        return None
