"""What every repository shares: the transaction, the clock, fetching a row that must exist."""

from __future__ import annotations

from typing import TypeVar

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col

from debrief_tui.core.clock import Clock
from debrief_tui.core.errors import NotFound
from debrief_tui.core.persistence.models import PostmortemSession

_Row = TypeVar("_Row", bound=SQLModel)
_Repo = TypeVar("_Repo", bound="Repository")


class Repository:
    """A feature's reads and writes inside one transaction (a `Unit`'s)."""

    def __init__(self, db: Session, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def sibling(self, kind: type[_Repo]) -> _Repo:
        """Another feature's repository, in the same transaction."""
        return kind(self.db, self.clock)

    def must_get(self, model: type[_Row], row_id: int, what: str) -> _Row:
        """The row with this id, or NotFound naming what was looked for."""
        row = self.db.get(model, row_id)
        if row is None:
            raise NotFound(f"no {what} with id {row_id}")
        return row

    def insert(self, row: SQLModel) -> int:
        """Insert `row` now and give its new id, for the rows that link to it."""
        self.db.add(row)
        self.db.flush()
        new_id = getattr(row, "id", None)
        assert isinstance(new_id, int)
        return new_id

    def touch(self, session_id: int) -> None:
        """Mark the session as just changed."""
        self.db.execute(touching(session_id, self.clock))


def touching(session_id: int, clock: Clock) -> sa.Update:
    """The statement that marks a session as just changed."""
    return (
        sa.update(PostmortemSession)
        .where(col(PostmortemSession.id) == session_id)
        .values(updated_at=clock())
    )
