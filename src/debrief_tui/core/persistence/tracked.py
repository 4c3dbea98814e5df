"""Every action of every session as a follow-up list reads it: three plain reads, standard
library only, so that the repository (through SQLAlchemy) and the command line (straight from
a SQLite file, as the first frame's peek does) share one reading.

`debrief actions --overdue` and `debrief remind` are run from cron and by hand at a team's
scale (50,000 actions): loading SQLAlchemy, SQLModel and the models takes longer than the
read itself, so they read a file this way and open the database only when it cannot be read
like this (a PostgreSQL URL, an older schema, a damaged file: that open says why).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from debrief_tui.core.actions.follow_ups import CLOSED, Tracked
from debrief_tui.core.errors import Refusal
from debrief_tui.core.persistence.files import reading_uri
from debrief_tui.core.persistence.schema import APP_MARKER, META_TABLE, SCHEMA_HEAD
from debrief_tui.core.persistence.target import Target

Plain = Callable[[str], Sequence[Sequence[Any]]]
"""Runs constant SQL and gives the rows as the driver gives them."""


def read_tracked(plain: Plain, *, closed: bool = True, due_by: date | None = None) -> list[Tracked]:
    """Every action of every session (without the done and dropped ones unless `closed`, and
    only those due on or before `due_by` when it is given), with its incident's title,
    severity and zone and the session's attendees (an owner may be named by a team), ordered
    by session and id."""
    # Plain SQL both backends read alike (SQLite gives the date as ISO text and the flag as
    # 0/1). Measured at 50,000 actions: the ORM's joined, ordered query took 2.3 s, these
    # three reads 0.25 s.
    conditions = [] if closed else [f"status NOT IN ({', '.join(map(_quoted, CLOSED))})"]
    if due_by is not None:
        # An ISO date: the text SQLite keeps, and a literal PostgreSQL reads as a date.
        conditions.append(f"due_date <= {_quoted(due_by.isoformat())}")
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    actions = plain(
        "SELECT id, session_id, text, owner, due_date, priority, type, status, ticket, "
        f'proposal FROM "action"{where}'
    )
    sessions = {
        row[0]: (row[1], row[2], row[3])
        for row in plain('SELECT id, title, severity, timezone FROM "session"')
    }
    people: dict[int, list[tuple[str, str]]] = {}
    for session_id, name, team in plain(
        'SELECT session_id, name, team FROM "attendee" ORDER BY id'
    ):
        people.setdefault(session_id, []).append((name, team))
    teams = {session_id: tuple(named) for session_id, named in people.items()}
    found = [
        Tracked(
            action_id=row[0],
            session_id=row[1],
            incident=sessions[row[1]][0],
            severity=sessions[row[1]][1],
            zone=sessions[row[1]][2],
            text=row[2],
            owner=row[3],
            due_date=_day(row[4]),
            priority=row[5],
            type=row[6],
            status=row[7],
            ticket=row[8],
            proposal=bool(row[9]),
            teams=teams.get(row[1], ()),
        )
        for row in actions
        if row[1] in sessions
    ]
    found.sort(key=lambda a: (a.session_id, a.action_id))
    return found


def tracked_in_file(
    target: Target, *, closed: bool = True, due_by: date | None = None
) -> list[Tracked] | None:
    """`read_tracked` straight from a SQLite file of this release's schema, read-only; None
    when the target cannot be read that way (not a file, another schema version, not ours,
    damaged, busy): the caller then opens the database, which refuses in one line or reads."""
    path = target.path
    if path is None or not path.is_file():
        return None
    try:
        conn = sqlite3.connect(reading_uri(path), uri=True)
    except (sqlite3.Error, OSError, Refusal):
        return None
    try:
        meta = dict(conn.execute(f"SELECT key, value FROM {META_TABLE}").fetchall())
        if meta.get("app") != APP_MARKER or meta.get("schema_version") != str(SCHEMA_HEAD):
            return None
        return read_tracked(lambda sql: conn.execute(sql).fetchall(), closed=closed, due_by=due_by)
    except (sqlite3.Error, ValueError):
        return None
    finally:
        conn.close()


def _quoted(text: str) -> str:
    """A constant as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _day(value: object) -> date | None:
    """A date column as the driver gives it: a date, or ISO text (SQLite)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
