"""Plain value types passed into the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
