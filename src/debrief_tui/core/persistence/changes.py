"""The change log: what each write touched, written in the same transaction, for other seats.

A seat that wrote something knows it changed; every other seat (another terminal, a browser,
another machine on the team database) learns it from the rows written here: which kind of item,
in which session, which row, and which seat did it, so each reloads only what it shows of that.

The rows are gathered from the ORM itself (every row added, changed or deleted in a flush, and
every bulk INSERT, UPDATE or DELETE), so a repository cannot forget to say what it changed. A
statement run with the QUIET execution option is not logged (the repository notes a precise
change instead, or none): marking a session as touched, or a seat's heartbeat, is nothing
another seat needs to redraw.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import ORMExecuteState, UOWTransaction
from sqlmodel import Session

from debrief_tui.core.clock import Clock
from debrief_tui.core.persistence.models import ChangeLog

QUIET = "debrief_quiet"
"""Execution option of an UPDATE or DELETE that other seats need not hear of."""
NOTIFY_CHANNEL = "debrief_change"
"""The PostgreSQL channel a commit that logged changes notifies."""
_PENDING = "debrief_changes"
_COLLAPSE = 20
"""More rows than this of one kind in one session, in one write, are logged as one row: "this
kind changed" (a document loaded, a timeline imported), and a seat reloads all of it."""

KINDS: dict[str, str] = {
    "session": "session",
    "attendee": "attendee",
    "timeline_event": "timeline",
    "link": "timeline",
    "why_node": "why",
    "factor": "factor",
    "factor_why": "factor",
    "lesson": "lesson",
    "action": "action",
    "action_factor": "action",
    "action_why": "action",
    "minute": "minute",
    "stage_run": "time",
    "parking_item": "parking",
    "seat": "seat",
}
"""The kind of change each table's rows make, as seats name what they show."""

Key = tuple[str, int | None, int | None]
"""(kind, session id, row id); None where a bulk statement does not say."""


def note(db: Session, kind: str, session_id: int | None, row_id: int | None, op: str) -> None:
    """Log a change in this transaction (a row added, changed or deleted)."""
    pending: dict[Key, str] = db.info.setdefault(_PENDING, {})
    key = (kind, session_id, row_id)
    # Added then changed is still an addition; anything then deleted is a deletion.
    if pending.get(key) != "add" or op == "delete":
        pending[key] = op


def _flushed(db: Session, _context: UOWTransaction) -> None:
    # After the flush the new rows have their ids; the session's lists still say which rows
    # were added, changed and deleted.
    for op, rows in (("add", db.new), ("edit", db.dirty), ("delete", db.deleted)):
        for row in rows:
            kind = KINDS.get(getattr(row, "__tablename__", ""))
            if kind is None:
                continue
            row_id = getattr(row, "id", None)
            session_id = row_id if kind == "session" else getattr(row, "session_id", None)
            note(db, kind, session_id, row_id if isinstance(row_id, int) else None, op)


def _executed(state: ORMExecuteState) -> None:
    # Statements that bypass the unit of work: bulk inserts (an imported timeline) and
    # UPDATE/DELETE statements. They do not say which session, so seats reload the kind.
    if state.is_select or state.execution_options.get(QUIET):
        return
    table = getattr(state.statement, "table", None)
    kind = KINDS.get(getattr(table, "name", ""))
    if kind is not None:
        op = "add" if state.is_insert else "delete" if state.is_delete else "edit"
        note(state.session, kind, None, None, op)  # type: ignore[arg-type]


sa.event.listen(Session, "after_flush", _flushed)
sa.event.listen(Session, "do_orm_execute", _executed)


def write_log(db: Session, seat: str | None, clock: Clock) -> None:
    """Write the changes gathered in this transaction to the log, just before it commits."""
    db.flush()
    pending: dict[Key, str] | None = db.info.pop(_PENDING, None)
    if not pending:
        return
    counts: dict[tuple[str, int | None], int] = {}
    for kind, session_id, _row in pending:
        counts[(kind, session_id)] = counts.get((kind, session_id), 0) + 1
    at = clock()
    rows: list[dict[str, Any]] = []
    collapsed: set[tuple[str, int | None]] = set()
    for (kind, session_id, row_id), op in pending.items():
        if counts[(kind, session_id)] > _COLLAPSE:
            if (kind, session_id) in collapsed:
                continue
            collapsed.add((kind, session_id))
            row_id, op = None, "edit"
        rows.append(
            {
                "session_id": session_id,
                "kind": kind,
                "row_id": row_id,
                "op": op,
                "seat": seat,
                "at": at,
            }
        )
    # Numbers are taken inside a transaction that holds the database's write lock to its
    # commit (engine.py), so they are committed in order: a seat that has seen number n never
    # later finds a smaller one appear.
    db.execute(sa.insert(ChangeLog), rows)
    if db.get_bind().dialect.name == "postgresql":
        db.execute(sa.text("SELECT pg_notify(:channel, '')"), {"channel": NOTIFY_CHANNEL})
