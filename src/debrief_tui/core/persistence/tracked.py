"""Every action of every session as a follow-up list reads it: three plain reads, so that
the repository (through SQLAlchemy) and the command line (straight from the driver) share one
reading.

`debrief actions --overdue` and `debrief remind` are run from cron and by hand at a team's
scale (50,000 actions): loading SQLAlchemy, SQLModel and the models takes longer than the
read itself (on PostgreSQL, four times longer), so they read a SQLite file with the standard
library and a PostgreSQL database with psycopg alone, and open the database only when it
cannot be read like this (an older schema, another driver, a damaged file: that open says
why).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from debrief_tui.core.actions.follow_ups import CLOSED, Tracked
from debrief_tui.core.errors import DatabaseRefused, Refusal, first_line
from debrief_tui.core.persistence.files import reading_uri
from debrief_tui.core.persistence.schema import (
    APP_MARKER,
    CONNECT_TIMEOUT_S,
    META_TABLE,
    SCHEMA_HEAD,
)
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


def tracked_directly(
    target: Target, *, closed: bool = True, due_by: date | None = None
) -> list[Tracked] | None:
    """`read_tracked` straight from the driver, without SQLAlchemy: a SQLite file read-only, or
    a PostgreSQL database through psycopg in a read-only transaction. None when the target
    cannot be read that way (another schema version, not ours, damaged, busy, another driver):
    the caller then opens the database, which refuses in one line or reads. A server that
    cannot be reached is refused here, as opening it would refuse it, without a second wait."""
    if target.path is not None:
        return _in_file(target, closed=closed, due_by=due_by)
    conninfo = libpq_uri(target.url)
    if conninfo is None:
        return None
    return _on_server(conninfo, target, closed=closed, due_by=due_by)


def libpq_uri(url: str) -> str | None:
    """The libpq connection URI of a SQLAlchemy PostgreSQL URL for psycopg (a bare
    `postgresql://` means psycopg too); None for any other URL. Both spell user, password,
    host, port, database and options alike, so only the scheme changes."""
    found = re.match(r"postgresql(?:\+psycopg)?://", url)
    return None if found is None else "postgresql://" + url[found.end() :]


def _current(meta: dict[Any, Any]) -> bool:
    return meta.get("app") == APP_MARKER and meta.get("schema_version") == str(SCHEMA_HEAD)


def _in_file(target: Target, *, closed: bool, due_by: date | None) -> list[Tracked] | None:
    path = target.path
    if path is None or not path.is_file():
        return None
    try:
        conn = sqlite3.connect(reading_uri(path), uri=True)
    except (sqlite3.Error, OSError, Refusal):
        return None
    try:
        if not _current(dict(conn.execute(f"SELECT key, value FROM {META_TABLE}").fetchall())):
            return None
        return read_tracked(lambda sql: conn.execute(sql).fetchall(), closed=closed, due_by=due_by)
    except (sqlite3.Error, ValueError):
        return None
    finally:
        conn.close()


def _on_server(
    conninfo: str, target: Target, *, closed: bool, due_by: date | None
) -> list[Tracked] | None:
    try:
        import psycopg
    except ImportError:  # not installed: opening the database says which package to add
        return None
    # As the engine does: the URL's own connect_timeout, else ours.
    timeout = None if "connect_timeout" in conninfo else CONNECT_TIMEOUT_S
    try:
        conn = psycopg.connect(conninfo, connect_timeout=timeout)
    except psycopg.OperationalError as exc:
        raise DatabaseRefused(f"cannot open {target.label}: {first_line(exc)}") from exc
    except psycopg.Error:  # an option libpq does not know: SQLAlchemy may know it
        return None
    with conn:
        conn.read_only = True
        try:
            # An SQL_ASCII database gives bytes, not text, and so is not current here either:
            # opening it refuses its encoding.
            if not _current(dict(conn.execute(f"SELECT key, value FROM {META_TABLE}").fetchall())):
                return None
            return read_tracked(
                lambda sql: conn.execute(sql).fetchall(), closed=closed, due_by=due_by
            )
        except (psycopg.Error, ValueError):
            return None


def _quoted(text: str) -> str:
    """A constant as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _day(value: object) -> date | None:
    """A date column as the driver gives it: a date, or ISO text (SQLite)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
