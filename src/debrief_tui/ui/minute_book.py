"""The session's minutes in memory, shared by the minutes pane of every stage screen.

Every change goes to the database first (committed, through the gateway), then into this list,
then out to the views that registered; so what a view shows is always on disk.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from debrief_tui.core.meeting import attribute

if TYPE_CHECKING:
    from debrief_tui.core.clock import Clock
    from debrief_tui.core.persistence import Gateway, Minute, Removed, Unit

Listener = Callable[[int], None]
"""Called with the index of the first minute that changed (len(minutes) - n after an append)."""


class MinuteBook:
    """All minutes of one session, oldest first."""

    def __init__(
        self,
        session_id: int,
        gateway: Gateway,
        clock: Clock,
        stage_titles: dict[str, str] | None = None,
    ) -> None:
        self.session_id = session_id
        self.stage_titles = dict(stage_titles or {})
        """Each agenda stage's title by its key (the minutes list heads each stage with it)."""
        self.minutes: list[Minute] = []
        self.attendees: list[str] = []
        self.loaded = False
        self._gateway = gateway
        self._clock = clock
        self._listeners: list[Listener] = []

    def load(self, minutes: list[Minute], attendees: Sequence[str]) -> None:
        """Take what was read from the database and tell the views."""
        self.minutes = minutes
        self.attendees = list(attendees)
        self.loaded = True
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

    async def add(self, stage: str, lines: Sequence[str]) -> list[Minute]:
        """Save typed lines as minutes (speaker from `Name: text`); committed on return."""
        session_id, at = self.session_id, self._clock()

        def save(tx: Unit) -> list[Minute]:
            # Speakers are matched on the database thread, against the attendees as stored
            # now: a line typed while the meeting was still opening is attributed too.
            people = [person.name for person in tx.attendees.of(session_id)]
            said = [attribute(line, people) for line in lines]
            pairs = [(s.author, s.text) for s in said if s.text]
            return tx.minutes.add(session_id, stage, pairs, at)

        rows = await self._gateway.write(save)
        first = len(self.minutes)
        self.minutes.extend(rows)
        self._changed(first)
        return rows

    async def edit(self, minute: Minute, line: str) -> Minute:
        """Correct a minute from `Name: text` as typed."""
        minute_id, session_id = minute.id, self.session_id
        assert minute_id is not None

        def save(tx: Unit) -> Minute:
            said = attribute(line, [person.name for person in tx.attendees.of(session_id)])
            return tx.minutes.update(minute_id, said.author, said.text)

        row = await self._gateway.write(save)
        self._replace(minute_id, row)
        return row

    async def delete(self, minute: Minute) -> Removed:
        """Delete a minute; what comes back brings it back (undo)."""
        minute_id = minute.id
        assert minute_id is not None
        removed = await self._gateway.write(lambda tx: tx.minutes.delete(minute_id))
        index = self.index_of(minute_id)
        if index is not None:
            del self.minutes[index]
            self._changed(index)
        return removed

    def restored(self, row: Minute) -> int:
        """Take back a minute restored by undo, in its place by time; gives its index."""
        index = bisect.bisect_right(self.minutes, _order(row), key=_order)
        self.minutes.insert(index, row)
        self._changed(index)
        return index

    async def catch_up(self, changed: set[int] | None) -> None:
        """Take the minutes another seat added, corrected or deleted (`changed`: their ids;
        None reads them all again)."""
        session_id = self.session_id
        if changed is None:
            self.minutes = await self._gateway.read(lambda tx: tx.minutes.of(session_id))
            self._changed(0)
            return
        ids = sorted(changed)
        found = {
            row.id: row
            for row in await self._gateway.read(lambda tx: tx.minutes.some(session_id, ids))
        }
        first = len(self.minutes)
        kept: list[Minute] = []
        for index, minute in enumerate(self.minutes):
            if minute.id not in changed:
                kept.append(minute)
                continue
            first = min(first, index)
            if minute.id in found:  # corrected there; a minute not found was deleted there
                kept.append(found.pop(minute.id))
        for row in found.values():  # new: in its place by time, almost always the end
            index = bisect.bisect_right(kept, _order(row), key=_order)
            first = min(first, index)
            kept.insert(index, row)
        self.minutes = kept
        self._changed(first)

    def index_of(self, minute_id: int) -> int | None:
        """Where the minute with this id is in the list (None once it is gone)."""
        return next((i for i, m in enumerate(self.minutes) if m.id == minute_id), None)

    def _replace(self, minute_id: int, row: Minute) -> None:
        index = self.index_of(minute_id)
        if index is not None:
            self.minutes[index] = row
            self._changed(index)

    def spoken(self, stage: str) -> dict[str, int]:
        """How many minutes each speaker has in a stage."""
        counts: dict[str, int] = {}
        for minute in self.minutes:
            if minute.stage == stage and minute.author:
                counts[minute.author] = counts.get(minute.author, 0) + 1
        return counts

    def stage_title(self, key: str) -> str:
        """The title of the stage `key` (the key itself for a stage the agenda no longer has)."""
        return self.stage_titles.get(key, key)

    def set_attendees(self, names: Sequence[str]) -> None:
        """The names `Name: text` is matched against."""
        self.attendees = list(names)


def _order(minute: Minute) -> tuple[datetime, int]:
    """Minutes are in the order they were taken: by time, then as saved."""
    return (minute.at, minute.id or 0)
