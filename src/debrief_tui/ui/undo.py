"""One undo for the whole meeting: what was changed or deleted, newest first, and on which stage.

Every stage's `u` takes back the newest change made on that stage: a deletion (a minute, an
event, an answer with everything under it, a factor, a lesson, an action) brings the rows back
as they were, ids and links included; a milestone set, moved or cleared from the timeline gets
its previous value back; an import (a pasted timeline, a chat export's messages) takes away the
events it added, all in one step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, TypeAlias

from debrief_tui.core.errors import NotFound

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from debrief_tui.core.persistence import Removed, Unit
    from debrief_tui.core.timeline import TimelineRow


@dataclass(frozen=True)
class MilestoneChange:
    """A milestone fact (`detected_at`, ...) changed from `previous` to `value` (None: unset)."""

    name: str
    previous: datetime | None
    value: datetime | None


@dataclass(frozen=True)
class ImportedEvents:
    """The timeline events one import added, by id: undo deletes exactly these."""

    ids: tuple[int, ...]


def add_imported(tx: Unit, session_id: int, rows: Sequence[TimelineRow]) -> ImportedEvents:
    """Add an import's events in this transaction (all or none) and give their ids, for undo.

    The bulk insert gives no ids: they are the session's events that were not there before,
    read in the same write transaction, so no other seat's event can be among them."""
    before = {event.id for event in tx.timeline.of(session_id)}
    tx.timeline.add_many(session_id, rows)
    added = (event.id for event in tx.timeline.of(session_id) if event.id not in before)
    return ImportedEvents(tuple(event_id for event_id in added if event_id is not None))


def remove_imported(tx: Unit, change: ImportedEvents) -> int:
    """Delete the events an import added; gives how many were still there to delete (one
    deleted meanwhile, in this seat or another, is gone all the same)."""
    gone = 0
    for event_id in change.ids:
        try:
            tx.timeline.delete(event_id)
        except NotFound:
            continue
        gone += 1
    return gone


Change: TypeAlias = "Removed | MilestoneChange | ImportedEvents"
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
        """Remember a deletion, a milestone change or an import made on `stage`."""
        self._done.append(Undoable(stage, change))

    def pop(self, stage: str) -> Change | None:
        """The newest change made on `stage`, taken off the stack; None when there is none."""
        for index in range(len(self._done) - 1, -1, -1):
            if self._done[index].stage == stage:
                return self._done.pop(index).change
        return None
