"""Seats: the terminals and browsers that have a meeting open, in which role, still there."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import col, select

from debrief_tui.core.persistence.changes import QUIET
from debrief_tui.core.persistence.models import ChangeLog, Seat
from debrief_tui.core.persistence.repositories.base import Repository
from debrief_tui.core.persistence.schema import SEAT_BEAT_SECONDS

GONE_AFTER = timedelta(seconds=3 * SEAT_BEAT_SECONDS)
"""A seat not heard from for this long has gone (a closed laptop, a kill -9)."""
_FORGET_AFTER = timedelta(hours=1)
_LOG_KEPT = timedelta(days=1)
"""Change-log rows older than this are dropped: a seat catches up from its own start."""


class SeatRepository(Repository):
    """Who is connected to which meeting."""

    def join(self, seat_id: str, session_id: int | None, role: str, name: str) -> Seat:
        """Sit down at a meeting (or at the session list, with no session), or move seats."""
        now = self.clock()
        seat = self.db.get(Seat, seat_id)
        if seat is None:
            seat = Seat(id=seat_id, role=role, name=name, started_at=now, seen_at=now)
            self._tidy()
        seat.session_id, seat.role, seat.name, seat.seen_at = session_id, role, name, now
        self.db.add(seat)
        self.db.flush()
        return seat

    def beat(self, seat_id: str) -> None:
        """Say the seat is still there (not a change anyone needs to redraw for)."""
        self.db.execute(
            sa.update(Seat)
            .where(col(Seat.id) == seat_id)
            .values(seen_at=self.clock())
            .execution_options(**{QUIET: True})
        )

    def leave(self, seat_id: str) -> None:
        """Get up: the seat is gone from the room."""
        seat = self.db.get(Seat, seat_id)
        if seat is not None:
            self.db.delete(seat)

    def present(self, session_id: int) -> list[Seat]:
        """The seats at a meeting that have been heard from lately, oldest first."""
        since = self.clock() - GONE_AFTER
        stmt = (
            select(Seat)
            .where(Seat.session_id == session_id, col(Seat.seen_at) >= since)
            .order_by(col(Seat.started_at), col(Seat.id))
        )
        return list(self.db.exec(stmt).all())

    def role_of(self, seat_id: str | None) -> str | None:
        """The role a seat sits in (None for the command line or a seat gone)."""
        seat = self.db.get(Seat, seat_id) if seat_id else None
        return seat.role if seat is not None else None

    def _tidy(self) -> None:
        """Forget seats long gone and change-log rows no seat can still need."""
        now = self.clock()
        self.db.execute(
            sa.delete(Seat)
            .where(col(Seat.seen_at) < now - _FORGET_AFTER)
            .execution_options(**{QUIET: True})
        )
        self.db.execute(
            sa.delete(ChangeLog)
            .where(col(ChangeLog.at) < now - _LOG_KEPT)
            .execution_options(**{QUIET: True})
        )
