"""Deleting with a way back: what a deletion removed, and putting it back as it was (undo).

Every deletion the meeting can undo (a minute, an event, an answer and everything under it, a
factor, a lesson, an action) gives a `Removed`: copies of the rows it took, parents first and
link rows last. `restore` puts them back with their ids (a new one where a row added since has
taken the old, the rows that point at it following); a link whose other end has been deleted
meanwhile stays gone, and a row whose parent has gone is refused with a message.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import sqlalchemy as sa
from sqlmodel import SQLModel

from debrief_tui.core.errors import NotFound
from debrief_tui.core.persistence.repositories.base import Repository


class Removed(NamedTuple):
    """What one deletion took away, ready to be put back."""

    kind: str
    """What was deleted: "minute", "event", "why", "factor", "lesson" or "action"."""
    row_id: int
    """The id of the row the user deleted (the others went with it)."""
    session_id: int
    rows: tuple[SQLModel, ...]
    """Copies of every row removed, in the order they go back in."""
    size: int
    """How many rows of the chosen row's kind went (an answer and the answers under it)."""


def removing(kind: str, main: SQLModel, rows: Iterable[SQLModel]) -> Removed:
    """Record the rows about to be deleted, `main` being the one the user chose."""
    row_id, session_id = getattr(main, "id", None), getattr(main, "session_id", None)
    assert isinstance(row_id, int)
    assert isinstance(session_id, int)
    copies = tuple(_copy(row) for row in rows)
    size = sum(1 for row in copies if isinstance(row, type(main)))
    return Removed(kind, row_id, session_id, copies, size)


def _copy(row: SQLModel) -> SQLModel:
    """A detached copy of a row, with every column's value."""
    return type(row).model_validate(row.model_dump())


def _is_link(row: SQLModel) -> bool:
    """A row of a link table: all of its key is references to other rows."""
    table = type(row).__table__  # type: ignore[attr-defined]
    return all(column.foreign_keys for column in table.primary_key.columns)


def _follow_renumbered(
    row: SQLModel, table: sa.Table, renumbered: dict[tuple[str, int], int]
) -> None:
    """Point the references of `row` at the rows put back under new ids (a child answer at its
    parent, a link at both ends)."""
    for column in table.columns:
        value = getattr(row, column.key, None)
        for key in column.foreign_keys:
            new_id = (
                renumbered.get((key.column.table.name, value)) if isinstance(value, int) else None
            )
            if new_id is not None:
                setattr(row, column.key, new_id)


class RemovalRepository(Repository):
    """Putting deleted rows back."""

    def restore(self, removed: Removed) -> SQLModel:
        """Put back what a deletion removed, ids and order as they were; gives the row the
        user had deleted."""
        main: SQLModel | None = None
        tables: dict[str, sa.Table] = {}
        renumbered: dict[tuple[str, int], int] = {}
        for saved in removed.rows:
            row = _copy(saved)
            table = type(row).__table__  # type: ignore[attr-defined]
            _follow_renumbered(row, table, renumbered)
            missing = self._missing_reference(row)
            if missing and _is_link(row):
                continue  # the other end was deleted meanwhile: that link stays gone
            if missing:
                raise NotFound(f"cannot bring it back: the {missing} it belonged to was deleted")
            old_id = getattr(row, "id", None)
            if isinstance(old_id, int) and self.db.get(type(row), old_id) is not None:
                # Taken since by a new row (SQLite numbers a new row after the largest id, so
                # it can reuse a deleted newest one's): this one comes back under a new id.
                row.id = None
            self.db.add(row)
            self.db.flush()
            new_id = getattr(row, "id", None)
            if isinstance(old_id, int) and isinstance(new_id, int) and new_id != old_id:
                renumbered[(table.name, old_id)] = new_id
            tables[table.name] = table
            if main is None:
                main = row
        self._keep_ids_ahead(tables.values())
        self.touch(removed.session_id)
        assert main is not None
        return main

    def _keep_ids_ahead(self, tables: Iterable[sa.Table]) -> None:
        """On PostgreSQL, move each table's id sequence past the ids just put back: rows
        inserted with their own ids do not advance it, and the next new row must not take one
        of theirs. (SQLite numbers a new row after the largest id there is.)"""
        if self.db.get_bind().dialect.name != "postgresql":
            return
        for table in tables:
            if "id" not in table.c:
                continue  # a link table: no sequence
            self.db.execute(
                sa.text(
                    "SELECT setval(seq, top) FROM (SELECT pg_get_serial_sequence(:table, 'id')"
                    f" AS seq, (SELECT max(id) FROM {table.name}) AS top) AS ids"
                    " WHERE seq IS NOT NULL"
                    " AND top > coalesce(pg_sequence_last_value(seq::regclass), 0)"
                ),
                {"table": table.name},
            )

    def _missing_reference(self, row: SQLModel) -> str | None:
        """The table a reference of `row` points into where the row it names is gone."""
        table = type(row).__table__  # type: ignore[attr-defined]
        for column in table.columns:
            value = getattr(row, column.key, None)
            for key in column.foreign_keys:
                if value is None:
                    continue
                target = key.column.table
                found = self.db.execute(
                    target.select().with_only_columns(key.column).where(key.column == value)
                ).first()
                if found is None:
                    return str(target.name).replace("_", " ")
        return None
