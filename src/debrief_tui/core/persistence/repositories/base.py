"""What every repository shares: the transaction, the clock, fetching a row that must exist."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col

from debrief_tui.core.clock import Clock
from debrief_tui.core.errors import NotFound
from debrief_tui.core.persistence.changes import QUIET
from debrief_tui.core.persistence.models import Factor, Lesson, PostmortemSession, WhyNode
from debrief_tui.core.persistence.schema import MAX_ID

_Row = TypeVar("_Row", bound=SQLModel)
Ordered = TypeVar("Ordered", WhyNode, Lesson, Factor)
"""A row kept in an order of its own among its siblings."""
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
        # An id past the id columns' range (typed on the command line) is no row: PostgreSQL
        # would refuse to compare it with an INTEGER, SQLite to bind it at all.
        row = self.db.get(model, row_id) if abs(row_id) <= MAX_ID else None
        if row is None:
            raise NotFound(f"no {what} with id {row_id}", what)
        return row

    def plain(self, sql: str) -> list[tuple[Any, ...]]:
        """The rows of a read in this transaction, as the driver gives them: for the lists
        read whole at a team's scale (10,000 sessions, 50,000 actions), where the ORM's rows
        and types cost several times the query. Only constant SQL, no user text."""
        # Through SQLAlchemy's driver-level call, so a damaged or busy database is refused as
        # any other read is (its errors wrapped), with no type processing of the values.
        return [tuple(row) for row in self.db.connection().exec_driver_sql(sql)]

    def insert(self, row: SQLModel) -> int:
        """Insert `row` now and give its new id, for the rows that link to it."""
        self.db.add(row)
        self.db.flush()
        new_id = getattr(row, "id", None)
        assert isinstance(new_id, int)
        return new_id

    def renumber(self, rows: Sequence[Ordered]) -> None:
        """Give `rows` the positions 0, 1, 2, ... in the order they are in."""
        for position, row in enumerate(rows):
            row.position = position
            self.db.add(row)

    def move_within(self, rows: list[Ordered], row_id: int, step: int) -> bool:
        """Move the row with `row_id` up (-1) or down (+1) among `rows` (in their order) and
        renumber them; False, and nothing changed, at either end."""
        index = next(i for i, row in enumerate(rows) if row.id == row_id)
        target = index + step
        if not 0 <= target < len(rows):
            return False
        rows[index], rows[target] = rows[target], rows[index]
        self.renumber(rows)
        return True

    def touch(self, session_id: int) -> None:
        """Mark the session as just changed."""
        self.db.execute(touching(session_id, self.clock))


def touching(session_id: int, clock: Clock) -> sa.Update:
    """The statement that marks a session as just changed."""
    return (
        sa.update(PostmortemSession)
        .where(col(PostmortemSession.id) == session_id)
        .values(updated_at=clock())
        .execution_options(**{QUIET: True})  # the change itself is logged, not this mark
    )
