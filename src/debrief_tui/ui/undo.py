"""One undo for the whole meeting: what was changed or deleted, newest first, and on which stage.

Every stage's `u` takes back the newest change made on that stage: a deletion (a minute, an
event, an answer with everything under it, a factor, a lesson, an action) brings the rows back
as they were, ids and links included; a milestone set, moved or cleared from the timeline gets
its previous value back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, TypeAlias

if TYPE_CHECKING:
    from datetime import datetime

    from debrief_tui.core.persistence import Removed


@dataclass(frozen=True)
class MilestoneChange:
    """A milestone fact (`detected_at`, ...) changed from `previous` to `value` (None: unset)."""

    name: str
    previous: datetime | None
    value: datetime | None


Change: TypeAlias = "Removed | MilestoneChange"
"""What one `u` takes back."""


class Undoable(NamedTuple):
    """A change that can be taken back, and the stage it was made on."""

    stage: str
    change: Change


class UndoStack:
    """Changes of one meeting, newest last."""

    def __init__(self) -> None:
        self._done: list[Undoable] = []

    def push(self, stage: str, change: Change) -> None:
        """Remember a deletion or a milestone change made on `stage`."""
        self._done.append(Undoable(stage, change))

    def pop(self, stage: str) -> Change | None:
        """The newest change made on `stage`, taken off the stack; None when there is none."""
        for index in range(len(self._done) - 1, -1, -1):
            if self._done[index].stage == stage:
                return self._done.pop(index).change
        return None
