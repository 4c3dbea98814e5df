"""Versioned schema migrations.

Each migration is a function that takes a connection inside an open transaction and moves the
schema one version up. The DDL of each version is frozen here, written against SQLAlchemy Core
rather than the live models, so that old databases upgrade the same way forever. A fresh database
runs every migration from the first; a test checks the result matches the models.

The version and an application marker live in the `debrief_meta` table, which is how a debrief
database is told apart from any other SQLite file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from debrief_tui.core.persistence.schema import APP_MARKER, META_TABLE, SCHEMA_HEAD
from debrief_tui.core.persistence.sqltypes import UTCDateTime

Migration = Callable[[sa.Connection], None]


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


def _session_fk() -> sa.Column[int]:
    return sa.Column(
        "session_id",
        sa.Integer,
        sa.ForeignKey("session.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def _fk(name: str, target: str, *, primary_key: bool = False) -> sa.Column[int]:
    return sa.Column(
        name,
        sa.Integer,
        sa.ForeignKey(target, ondelete="CASCADE"),
        primary_key=primary_key,
        nullable=not primary_key,
        index=not primary_key,
    )


def _text(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String, nullable=nullable)


def _time(name: str, *, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, UTCDateTime(), nullable=nullable)


def _flag(name: str) -> sa.Column[bool]:
    return sa.Column(name, sa.Boolean, nullable=False)


def _v1(conn: sa.Connection) -> None:
    """The first schema: the session, its facts and everything the meeting produces."""
    md = sa.MetaData()
    sa.Table(
        META_TABLE,
        md,
        sa.Column("key", sa.String, primary_key=True),
        sa.Column("value", sa.String, nullable=False),
    )
    sa.Table(
        "session",
        md,
        _id(),
        _text("title"),
        _text("severity"),
        _text("status"),
        _text("timezone"),
        _text("summary"),
        _time("created_at", nullable=False),
        _time("updated_at", nullable=False),
        _time("started_at"),
        _time("detected_at"),
        _time("first_logged_at"),
        _time("acknowledged_at"),
        _time("mitigated_at"),
        _time("resolved_at"),
        sa.Column("users_affected", sa.Integer, nullable=True),
        sa.Column("accounts_affected", sa.Integer, nullable=True),
        sa.Column("support_requests", sa.Integer, nullable=True),
        _text("services_affected"),
        _text("detection_method", nullable=True),
        _text("source", nullable=True),
    )
    sa.Table("attendee", md, _id(), _session_fk(), _text("name"), _text("team"), _text("role"))
    sa.Table(
        "timeline_event",
        md,
        _id(),
        _session_fk(),
        _time("at", nullable=False),
        _text("text"),
        _text("kind"),
        _flag("key_event"),
        _flag("approximate"),
    )
    sa.Table(
        "why_node",
        md,
        _id(),
        _session_fk(),
        _fk("parent_id", "why_node.id"),
        sa.Column("position", sa.Integer, nullable=False),
        _text("text"),
        _flag("root_cause"),
    )
    sa.Table("factor", md, _id(), _session_fk(), _text("category"), _text("text"))
    sa.Table(
        "factor_why",
        md,
        _fk("factor_id", "factor.id", primary_key=True),
        _fk("why_id", "why_node.id", primary_key=True),
    )
    sa.Table("lesson", md, _id(), _session_fk(), _text("kind"), _text("text"))
    sa.Table(
        "action",
        md,
        _id(),
        _session_fk(),
        _text("text"),
        _text("owner"),
        sa.Column("due_date", sa.Date, nullable=True),
        _text("priority"),
        _text("type"),
        _text("status"),
        _text("ticket"),
    )
    sa.Table(
        "action_factor",
        md,
        _fk("action_id", "action.id", primary_key=True),
        _fk("factor_id", "factor.id", primary_key=True),
    )
    sa.Table(
        "action_why",
        md,
        _fk("action_id", "action.id", primary_key=True),
        _fk("why_id", "why_node.id", primary_key=True),
    )
    sa.Table(
        "minute",
        md,
        _id(),
        _session_fk(),
        _time("at", nullable=False),
        _text("stage"),
        _text("author", nullable=True),
        _text("text"),
    )
    sa.Table(
        "stage_run",
        md,
        _id(),
        _session_fk(),
        _text("stage"),
        _time("started_at", nullable=False),
        _time("ended_at"),
    )
    md.create_all(conn)
    conn.execute(
        sa.text(f"INSERT INTO {META_TABLE} (key, value) VALUES ('app', :app)"), {"app": APP_MARKER}
    )
    conn.execute(sa.text(f"INSERT INTO {META_TABLE} (key, value) VALUES ('schema_version', '0')"))


def _add_column(conn: sa.Connection, table: str, column: sa.Column[Any]) -> None:
    ddl = sa.schema.CreateColumn(column).compile(dialect=conn.dialect)
    conn.execute(sa.text(f"ALTER TABLE {table} ADD COLUMN {ddl}"))


def _v2(conn: sa.Connection) -> None:
    """What running the meeting needs: resume state, milestones, review date, parking lot,
    ordering of lessons and factors, proposals, and "accepted, no action" notes."""
    for name in ("first_communication_at", "review_at", "status_changed_at"):
        _add_column(conn, "session", _time(name))
    for name in ("problem_statement", "current_stage", "agenda_path"):
        _add_column(conn, "session", _text(name, nullable=True))
    _add_column(conn, "why_node", _text("no_action_note", nullable=True))
    _add_column(conn, "factor", _text("no_action_note", nullable=True))
    zero = sa.text("0")
    for table in ("factor", "lesson"):
        _add_column(
            conn, table, sa.Column("position", sa.Integer, nullable=False, server_default=zero)
        )
    _add_column(
        conn, "action", sa.Column("proposal", sa.Boolean, nullable=False, server_default=sa.false())
    )
    md = sa.MetaData()
    sa.Table("session", md, _id())
    sa.Table(
        "parking_item",
        md,
        _id(),
        _session_fk(),
        _text("text"),
        _text("stage"),
        _text("owner"),
        _time("created_at", nullable=False),
    )
    md.tables["parking_item"].create(conn)


def _v3(conn: sa.Connection) -> None:
    """Several seats on one meeting: the change log they follow, and who is connected."""
    md = sa.MetaData()
    sa.Table(
        "change_log",
        md,
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.Integer, nullable=True),
        _text("kind"),
        sa.Column("row_id", sa.Integer, nullable=True),
        _text("op"),
        _text("seat", nullable=True),
        _time("at", nullable=False),
        sqlite_autoincrement=True,
    )
    sa.Table(
        "seat",
        md,
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("session_id", sa.Integer, nullable=True),
        _text("role"),
        _text("name"),
        _time("started_at", nullable=False),
        _time("seen_at", nullable=False),
    )
    md.create_all(conn)


def _v4(conn: sa.Connection) -> None:
    """Who said it: the author of a timeline event (a chat export's messages carry one)."""
    _add_column(conn, "timeline_event", _text("author", nullable=True))


def _v5(conn: sa.Connection) -> None:
    """Links on the session and on timeline events: dashboards, recordings, tickets, chat."""
    md = sa.MetaData()
    sa.Table("session", md, _id())
    sa.Table("timeline_event", md, _id())
    sa.Table(
        "link",
        md,
        _id(),
        _session_fk(),
        _fk("event_id", "timeline_event.id"),
        sa.Column("position", sa.Integer, nullable=False),
        _text("url"),
        _text("label"),
    )
    md.tables["link"].create(conn)


MIGRATIONS: tuple[Migration, ...] = (_v1, _v2, _v3, _v4, _v5)
if len(MIGRATIONS) != SCHEMA_HEAD:  # pragma: no cover - caught by any test that imports this
    raise RuntimeError("schema.SCHEMA_HEAD must be the number of migrations")


def read_version(conn: sa.Connection) -> int | None:
    """The schema version recorded in the database, or None when it has no debrief marker."""
    if not sa.inspect(conn).has_table(META_TABLE):
        return None
    result = conn.execute(sa.text(f"SELECT key, value FROM {META_TABLE}"))
    rows: dict[str, str] = {str(key): str(value) for key, value in result}
    if rows.get("app") != APP_MARKER:
        return None
    try:
        return int(rows.get("schema_version", ""))
    except ValueError:
        return None


def upgrade(conn: sa.Connection, start: int, target: int = SCHEMA_HEAD) -> None:
    """Run the migrations after version `start` up to `target`, recording each step."""
    for version in range(start + 1, target + 1):
        MIGRATIONS[version - 1](conn)
        conn.execute(
            sa.text(f"UPDATE {META_TABLE} SET value = :v WHERE key = 'schema_version'"),
            {"v": str(version)},
        )
