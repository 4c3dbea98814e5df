"""Plain value types passed into the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class MinuteRow:
    """A minute before it is saved."""

    at: datetime
    stage: str
    author: str | None
    text: str


@dataclass(frozen=True)
class ParkedRow:
    """A parked topic before it is saved."""

    text: str
    stage: str
    owner: str


@dataclass(frozen=True)
class TimelineRow:
    """A timeline event before it is saved."""

    at: datetime
    text: str
    kind: str = "observation"
    key_event: bool = False
    approximate: bool = False


@dataclass(frozen=True)
class ActionRow:
    """An action item's fields before it is saved (its links are passed beside it)."""

    text: str
    owner: str = ""
    due_date: date | None = None
    priority: str = "P2"
    type: str = "prevent"
    status: str = "open"
    ticket: str = ""
    proposal: bool = False


@dataclass(frozen=True)
class ActionLinks:
    """The factors and why-nodes an action answers."""

    factor_ids: tuple[int, ...] = ()
    why_ids: tuple[int, ...] = ()
