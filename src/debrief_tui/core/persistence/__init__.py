"""Persistence: where the data lives and the only package that speaks SQL.

- `Target`, `resolve`: where the database is (`--db`, `DEBRIEF_DB`, the default file).
- `check_file`, `peek_session`: a SQLite file checked and peeked at with the standard library,
  before the first frame; `tracked_directly`: every action read from one the same way, or
  from a PostgreSQL database with psycopg alone (the follow-up commands, run from cron at a
  team's scale).
- `open_database`: the engine opened (created, upgraded or refused) as a `Database`, whose
  `read`/`write` run a job in one transaction on the caller's thread (the command line).
- `Gateway`: the app's one door to the data: jobs on one database thread, in order;
  `GatewayStageLog` writes the meeting's stage and time through it.
- `Unit` and its repositories (`unit.sessions`, `unit.timeline`, ...; one module per feature
  under `repositories/`), the stage snapshots, `Removed` for undo, and the table models.

Only the standard library is imported here: the UI holds a gateway from its first frame, and
SQLAlchemy loads on the database thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from debrief_tui.core.clock import Clock, utc_now
from debrief_tui.core.lazy import load
from debrief_tui.core.persistence.files import check_file
from debrief_tui.core.persistence.peek import SessionPeek, peek_session
from debrief_tui.core.persistence.schema import SEAT_BEAT_SECONDS
from debrief_tui.core.persistence.target import Target, resolve

if TYPE_CHECKING:
    from datetime import date

    from debrief_tui.core.actions import Tracked
    from debrief_tui.core.persistence.gateway import Gateway, Job
    from debrief_tui.core.persistence.models import (
        Action,
        Attendee,
        Factor,
        Lesson,
        Minute,
        ParkingItem,
        PostmortemSession,
        Seat,
        StageRun,
        TimelineEvent,
        WhyNode,
    )
    from debrief_tui.core.persistence.repositories.removal import Removed
    from debrief_tui.core.persistence.repositories.search import SessionMatch
    from debrief_tui.core.persistence.repositories.sessions import ListedSession
    from debrief_tui.core.persistence.repositories.snapshots import (
        ActionsSnapshot,
        FactorsSnapshot,
        MeetingSnapshot,
        TimelineSnapshot,
        WhysSnapshot,
    )
    from debrief_tui.core.persistence.stage_log import GatewayStageLog
    from debrief_tui.core.persistence.unit import Database, Unit
    from debrief_tui.core.persistence.watcher import Change

__all__ = [
    "SEAT_BEAT_SECONDS",
    "Action",
    "ActionsSnapshot",
    "Attendee",
    "Change",
    "Database",
    "Factor",
    "FactorsSnapshot",
    "Gateway",
    "GatewayStageLog",
    "Job",
    "Lesson",
    "ListedSession",
    "MeetingSnapshot",
    "Minute",
    "ParkingItem",
    "PostmortemSession",
    "Removed",
    "Seat",
    "SessionMatch",
    "SessionPeek",
    "StageRun",
    "Target",
    "TimelineEvent",
    "TimelineSnapshot",
    "Unit",
    "WhyNode",
    "WhysSnapshot",
    "check_file",
    "open_database",
    "peek_session",
    "resolve",
    "tracked_directly",
]


def open_database(
    target: Target | str | None = None, clock: Clock = utc_now, *, read_only: bool = False
) -> Database:
    """Open (creating or upgrading as needed) the database; DatabaseRefused with a one-line
    message for a foreign file, a newer schema or a database that cannot be reached, and
    `ReadOnly` for a file this user cannot write unless `read_only` (the caller only reads).

    Loads SQLAlchemy: call it where that may take a while (the command line, the database
    thread).
    """
    from debrief_tui.core.persistence.engine import open_engine
    from debrief_tui.core.persistence.unit import Database

    return Database(open_engine(target, read_only=read_only), clock)


def tracked_directly(
    target: Target, *, closed: bool = True, due_by: date | None = None
) -> list[Tracked] | None:
    """Every action, read straight from a SQLite file or a PostgreSQL database of this schema
    through the driver alone (see `tracked.py`), or None when it cannot be read so. Loads the
    follow-up rules: only the commands call it, and the app's start-up, which imports this
    package, does not pay for them."""
    from debrief_tui.core.persistence.tracked import tracked_directly as read

    return read(target, closed=closed, due_by=due_by)


_WHERE = {"Gateway": "gateway", "Job": "gateway", "GatewayStageLog": "stage_log"}
"""Names loaded on first use: the gateway brings asyncio and the stage log the meeting, which
the follow-up commands, run from cron, do without."""


def __getattr__(name: str) -> object:
    """Load the module holding `name` on first use."""
    return load(__name__, _WHERE, name)
