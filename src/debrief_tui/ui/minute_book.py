"""The session's minutes in memory, shared by the minutes pane of every stage screen.

Every change goes to the store first (committed), then into this list, then out to the views
that registered; so what a view shows is always on disk.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from debrief_tui.core.meeting.minutes import attribute

if TYPE_CHECKING:
    from debrief_tui.core.persistence.models import Minute
    from debrief_tui.core.persistence.store import Store

Listener = Callable[[int], None]
"""Called with the index of the first minute that changed (len(minutes) - n after an append)."""


class MinuteBook:
    """All minutes of one session, oldest first, with an undo stack for deletions."""

    def __init__(self, session_id: int) -> None:
        self.session_id = session_id
        self.minutes: list[Minute] = []
        self.attendees: list[str] = []
        self.loaded = False
        self.ready = asyncio.Event()
        self._store: Store | None = None
        self._listeners: list[Listener] = []
        self._deleted: list[Minute] = []

    def load(self, store: Store, minutes: list[Minute], attendees: Sequence[str]) -> None:
        """Take the store and what was read from it (in a worker) and tell the views."""
        self._store = store
        self.minutes = minutes
        self.attendees = list(attendees)
        self.loaded = True
        self.ready.set()
        self._changed(0)

    def subscribe(self, listener: Listener) -> None:
        """Call `listener` after every change."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        """Stop calling `listener`."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _changed(self, first: int) -> None:
        for listener in list(self._listeners):
            listener(first)

    @property
    def store(self) -> Store:
        """The store, once loaded."""
        if self._store is None:
            raise RuntimeError("the minutes are not loaded yet")
        return self._store

    def add(self, stage: str, lines: Sequence[str]) -> list[Minute]:
        """Save typed lines as minutes (speaker from `Name: text`); committed on return."""
        said = [attribute(line, self.attendees) for line in lines]
        rows = self.store.add_minutes(
            self.session_id,
            stage,
            [(s.author, s.text) for s in said if s.text],
            self.store.clock(),
        )
        first = len(self.minutes)
        self.minutes.extend(rows)
        self._changed(first)
        return rows

    def edit(self, index: int, line: str) -> Minute:
        """Correct minute `index` from `Name: text` as typed."""
        said = attribute(line, self.attendees)
        minute = self.minutes[index]
        assert minute.id is not None
        row = self.store.update_minute(minute.id, said.author, said.text)
        self.minutes[index] = row
        self._changed(index)
        return row

    def delete(self, index: int) -> Minute:
        """Delete minute `index`; `undo` brings it back."""
        minute = self.minutes[index]
        assert minute.id is not None
        self.store.delete_minute(minute.id)
        del self.minutes[index]
        self._deleted.append(minute)
        self._changed(index)
        return minute

    def undo(self) -> int | None:
        """Restore the last deleted minute; returns its index."""
        if not self._deleted:
            return None
        row = self.store.restore_minute(self._deleted.pop())
        index = next(
            (i for i, m in enumerate(self.minutes) if (m.at, m.id or 0) > (row.at, row.id or 0)),
            len(self.minutes),
        )
        self.minutes.insert(index, row)
        self._changed(index)
        return index

    def spoken(self, stage: str) -> dict[str, int]:
        """How many minutes each speaker has in a stage."""
        counts: dict[str, int] = {}
        for minute in self.minutes:
            if minute.stage == stage and minute.author:
                counts[minute.author] = counts.get(minute.author, 0) + 1
        return counts

    def set_attendees(self, names: Sequence[str]) -> None:
        """The names `Name: text` is matched against."""
        self.attendees = list(names)
