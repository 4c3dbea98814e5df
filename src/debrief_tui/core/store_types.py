"""Plain value types passed into the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple


@dataclass(frozen=True)
class MinuteRow:
    """A minute before it is saved."""

    at: datetime
    stage: str
    author: str | None
    text: str


class MinuteLine(NamedTuple):
    """A saved minute as exports read it (a plain row: there can be tens of thousands)."""

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


@dataclass(frozen=True)
class WhyRow:
    """A why-node read from a document: `ref` and `parent_ref` are the document's own ids."""

    ref: int
    parent_ref: int | None
    text: str
    root_cause: bool = False
    no_action_note: str | None = None


@dataclass(frozen=True)
class FactorRow:
    """A contributing factor read from a document, with the why-nodes (refs) it came from."""

    ref: int
    category: str
    text: str
    why_refs: tuple[int, ...] = ()
    no_action_note: str | None = None


@dataclass(frozen=True)
class LinkedActionRow:
    """An action read from a document, with the factors and why-nodes (refs) it answers."""

    fields: ActionRow
    factor_refs: tuple[int, ...] = ()
    why_refs: tuple[int, ...] = ()


@dataclass(frozen=True)
class StageTimeRow:
    """Time spent on one stage, read from a document."""

    stage: str
    started_at: datetime
    ended_at: datetime | None
