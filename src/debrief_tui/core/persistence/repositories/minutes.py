"""Minutes: saved as typed, corrected, deleted; read whole or as plain rows for exports."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select

from debrief_tui.core.meeting.minutes import MinuteLine, minute_text
from debrief_tui.core.persistence.models import Minute
from debrief_tui.core.persistence.repositories.base import Repository
from debrief_tui.core.persistence.repositories.removal import Removed, removing


class MinuteRepository(Repository):
    """A session's minutes."""

    def add(
        self, session_id: int, stage: str, lines: list[tuple[str | None, str]], at: datetime
    ) -> list[Minute]:
        """Save minutes (author, text) together."""
        rows = [
            Minute(session_id=session_id, stage=stage, author=author, text=text, at=at)
            for author, text in lines
        ]
        self.db.add_all(rows)
        self.db.flush()
        return rows

    def of(self, session_id: int) -> list[Minute]:
        """All minutes of a session in the order they were taken."""
        stmt = (
            select(Minute)
            .where(Minute.session_id == session_id)
            .order_by(col(Minute.at), col(Minute.id))
        )
        return list(self.db.exec(stmt).all())

    def some(self, session_id: int, minute_ids: list[int]) -> list[Minute]:
        """The minutes of a session with these ids that still exist, in order."""
        stmt = (
            select(Minute)
            .where(Minute.session_id == session_id, col(Minute.id).in_(minute_ids))
            .order_by(col(Minute.at), col(Minute.id))
        )
        return list(self.db.exec(stmt).all())

    def rows(self, session_id: int) -> list[MinuteLine]:
        """The minutes as plain rows, for exports: reading tens of thousands as ORM objects
        took most of an export's time."""
        stmt = (
            sa.select(Minute.at, Minute.stage, Minute.author, Minute.text)  # type: ignore[call-overload]
            .where(col(Minute.session_id) == session_id)
            .order_by(col(Minute.at), col(Minute.id))
        )
        return [MinuteLine(*row) for row in self.db.execute(stmt).all()]

    def update(self, minute_id: int, author: str | None, text: str) -> Minute:
        """Correct a minute's speaker and text."""
        text = minute_text(text)
        row = self.must_get(Minute, minute_id, "minute")
        row.author, row.text = author, text
        self.db.add(row)
        return row

    def delete(self, minute_id: int) -> Removed:
        """Delete a minute; gives it for undo."""
        row = self.must_get(Minute, minute_id, "minute")
        removed = removing("minute", row, [row])
        self.db.delete(row)
        return removed
