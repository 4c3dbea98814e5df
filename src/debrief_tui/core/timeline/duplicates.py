"""Events an import would add that the timeline already holds.

Importing the same chat export or pasted timeline twice must not put every event on the
timeline twice. An event counts as already there when the timeline holds one at the same
moment (to the second: a chat export's times carry fractions a pasted copy loses), with the
same words (spacing aside), and by the same author where both name one. Each event already on
the timeline stands for one event imported: a line pasted twice, once there, is added once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Protocol, TypeVar


class Dated(Protocol):
    """What matching looks at: a stored event, a row to add or an event read from an import."""

    @property
    def at(self) -> datetime:
        """When it happened (aware)."""
        ...

    @property
    def text(self) -> str:
        """What happened."""
        ...

    @property
    def author(self) -> str | None:
        """Who wrote it, when known."""
        ...


_D = TypeVar("_D", bound=Dated)

_Key = tuple[datetime, str]


def _key(event: Dated) -> _Key:
    moment = event.at.astimezone(UTC).replace(microsecond=0)
    return moment, " ".join(event.text.split())


def _author(event: Dated) -> str | None:
    name = " ".join((event.author or "").split()).casefold()
    return name or None


def already_on_timeline(new: Sequence[Dated], timeline: Iterable[Dated]) -> frozenset[int]:
    """The positions in `new` of the events `timeline` already holds (same second, same
    words, same author where both name one); each event on the timeline accounts for one."""
    waiting: dict[_Key, list[str | None]] = defaultdict(list)
    for event in timeline:
        waiting[_key(event)].append(_author(event))
    found: set[int] = set()
    for index, event in enumerate(new):
        authors = waiting.get(_key(event))
        if not authors:
            continue
        author = _author(event)
        # The same author first; else one whose author is unknown on either side.
        match = next((i for i, there in enumerate(authors) if there == author), None)
        if match is None:
            match = next(
                (i for i, there in enumerate(authors) if there is None or author is None), None
            )
        if match is not None:
            del authors[match]
            found.add(index)
    return frozenset(found)


def new_events(new: Sequence[_D], timeline: Iterable[Dated]) -> tuple[list[_D], int]:
    """The events of `new` that are not on `timeline` yet, in order, and how many were left
    out as already there."""
    there = already_on_timeline(new, timeline)
    return [event for index, event in enumerate(new) if index not in there], len(there)
