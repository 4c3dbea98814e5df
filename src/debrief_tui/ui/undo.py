"""One undo for the whole meeting: what was deleted, newest first, and on which stage.

Every stage's `u` takes back the newest deletion made on that stage (a minute, an event, an
answer with everything under it, a factor, a lesson, an action); the rows come back as they
were, ids and links included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from debrief_tui.core.persistence import Removed


class Undoable(NamedTuple):
    """A deletion that can be taken back, and the stage it was made on."""

    stage: str
    removed: Removed


class UndoStack:
    """Deletions of one meeting, newest last."""

    def __init__(self) -> None:
        self._done: list[Undoable] = []

    def push(self, stage: str, removed: Removed) -> None:
        """Remember a deletion made on `stage`."""
        self._done.append(Undoable(stage, removed))

    def pop(self, stage: str) -> Removed | None:
        """The newest deletion made on `stage`, taken off the stack; None when there is none."""
        for index in range(len(self._done) - 1, -1, -1):
            if self._done[index].stage == stage:
                return self._done.pop(index).removed
        return None
