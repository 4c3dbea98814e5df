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


# Migration 5: the search index. Each searched text is one row, numbered `row id * 16 + kind`
# so that a trigger finds the row of the item it follows with its id alone. The kinds (fixed
# forever; `core/sessions/search.py` names them): 1 the session's title (with its severity and
# status beside it, so typing "SEV1" still finds them), 2 its summary, 3 its problem statement,
# 4 its services, 5 a minute, 6 a timeline event, 7 a why, 8 a factor, 9 a lesson, 10 an action,
# 11 a parked topic. `body` is the text, `extra` what goes with it (an author, an owner and a
# ticket, a category), `at` its time where it has one.
_SEARCHED: tuple[tuple[str, int, str, str, str, str], ...] = (
    # table, kind, body, extra, at, the columns whose change re-indexes the row
    ("minute", 5, "{r}.text", "coalesce({r}.author, '')", "{r}.at", "text, author, at"),
    (
        "timeline_event",
        6,
        "{r}.text",
        "coalesce({r}.author, '')",
        "{r}.at",
        "text, author, at",
    ),
    ("why_node", 7, "{r}.text", "coalesce({r}.no_action_note, '')", "NULL", "text, no_action_note"),
    (
        "factor",
        8,
        "{r}.text",
        "{r}.category || ' ' || coalesce({r}.no_action_note, '')",
        "NULL",
        "text, category, no_action_note",
    ),
    ("lesson", 9, "{r}.text", "''", "NULL", "text"),
    ("action", 10, "{r}.text", "{r}.owner || ' ' || {r}.ticket", "NULL", "text, owner, ticket"),
    ("parking_item", 11, "{r}.text", "{r}.owner", "{r}.created_at", "text, owner"),
)
_SESSION_TEXTS: tuple[tuple[int, str, str], ...] = (
    # kind, body, extra: a session's own texts (an empty one is not indexed)
    (1, "{r}.title", "{r}.severity || ' ' || {r}.status"),
    (2, "{r}.summary", "''"),
    (3, "coalesce({r}.problem_statement, '')", "''"),
    (4, "{r}.services_affected", "''"),
)
_SESSION_COLUMNS = "title, summary, problem_statement, services_affected, severity, status"
# PostgreSQL's 'simple' configuration keeps accents: the indexed text is folded with this table
# first (Latin-1 and Latin Extended-A letters to their bare letter, capitals included), and the
# query the same way, so "jose" finds "José" on both backends.
ACCENTED = (
    "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģ"
    "ĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſ"
)
BARE = (
    "aaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddeeeeeeeeeegggggggg"
    "hhiiiiiiiiijjkkllllllnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzzs"
)


def _v5(conn: sa.Connection) -> None:
    """Full-text search over every text of every session: an index kept in step by triggers,
    filled with what is already there."""
    if conn.dialect.name == "postgresql":
        _v5_postgresql(conn)
    else:
        _v5_sqlite(conn)


def _v5_sqlite(conn: sa.Connection) -> None:
    """An FTS5 table (accents and case folded, prefixes of 2 and 3 letters indexed, so the
    word being typed matches fast) and a trigger per change of each searched table."""
    run = conn.exec_driver_sql
    run(
        "CREATE VIRTUAL TABLE search_index USING fts5(body, extra, session_id UNINDEXED,"
        " kind UNINDEXED, at UNINDEXED, tokenize = 'unicode61 remove_diacritics 2',"
        " prefix = '2 3')"
    )
    into = "INSERT INTO search_index (rowid, body, extra, session_id, kind, at)"
    for table, kind, body, extra, at, columns in _SEARCHED:

        def row(
            r: str, *, kind: int = kind, body: str = body, extra: str = extra, at: str = at
        ) -> str:
            return (
                f"{r}.id * 16 + {kind}, {body.format(r=r)}, {extra.format(r=r)},"
                f" {r}.session_id, {kind}, {at.format(r=r)}"
            )

        gone = f"DELETE FROM search_index WHERE rowid = old.id * 16 + {kind};"
        run(
            f"CREATE TRIGGER search_{table}_insert AFTER INSERT ON {table} BEGIN"
            f" {into} VALUES ({row('new')}); END"
        )
        run(f"CREATE TRIGGER search_{table}_delete AFTER DELETE ON {table} BEGIN {gone} END")
        run(
            f"CREATE TRIGGER search_{table}_update AFTER UPDATE OF id, session_id, {columns}"
            f" ON {table} BEGIN {gone} {into} VALUES ({row('new')}); END"
        )
        run(f"{into} SELECT {row(table)} FROM {table}")

    def session_rows(r: str) -> str:
        return " ".join(
            f"{into} SELECT {r}.id * 16 + {kind}, {body.format(r=r)}, {extra.format(r=r)},"
            f" {r}.id, {kind}, NULL {'FROM session' if r == 'session' else ''}"
            f" WHERE {body.format(r=r)} <> '';"
            for kind, body, extra in _SESSION_TEXTS
        )

    gone = "DELETE FROM search_index WHERE rowid BETWEEN old.id * 16 + 1 AND old.id * 16 + 4;"
    run(
        "CREATE TRIGGER search_session_insert AFTER INSERT ON session"
        f" BEGIN {session_rows('new')} END"
    )
    run(f"CREATE TRIGGER search_session_delete AFTER DELETE ON session BEGIN {gone} END")
    run(
        f"CREATE TRIGGER search_session_update AFTER UPDATE OF id, {_SESSION_COLUMNS} ON session"
        f" BEGIN {gone} {session_rows('new')} END"
    )
    for statement in session_rows("session").split(";"):
        if statement.strip():
            run(statement)


def _v5_postgresql(conn: sa.Connection) -> None:
    """A table of the texts with a generated `tsvector` ('simple': no language's stemming or
    stop words, so names and any language's words are found as typed) under a GIN index, kept
    by one PL/pgSQL trigger per searched table."""
    run = conn.exec_driver_sql
    run(
        "CREATE TABLE search_index ("
        " id bigint PRIMARY KEY,"
        " session_id integer NOT NULL REFERENCES session (id) ON DELETE CASCADE,"
        " kind smallint NOT NULL, body text NOT NULL, extra text NOT NULL, at timestamptz,"
        " words tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, regexp_replace("
        f"translate(lower(body || ' ' || extra), '{ACCENTED}', '{BARE}'),"
        " '[^[:alnum:]]+', ' ', 'g'))) STORED)"
    )
    run("CREATE INDEX ix_search_index_words ON search_index USING gin (words)")
    run("CREATE INDEX ix_search_index_session_id ON search_index (session_id)")
    into = "INSERT INTO search_index (id, body, extra, session_id, kind, at)"
    for table, kind, body, extra, at, columns in _SEARCHED:

        def row(
            r: str, *, kind: int = kind, body: str = body, extra: str = extra, at: str = at
        ) -> str:
            return (
                f"{r}.id::bigint * 16 + {kind}, {body.format(r=r)}, {extra.format(r=r)},"
                f" {r}.session_id, {kind}, {at.format(r=r)}"
            )

        run(
            f"CREATE FUNCTION search_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            " IF TG_OP <> 'INSERT' THEN"
            f" DELETE FROM search_index WHERE id = OLD.id::bigint * 16 + {kind}; END IF;"
            f" IF TG_OP <> 'DELETE' THEN {into} VALUES ({row('NEW')}); END IF;"
            " RETURN NULL; END $$"
        )
        run(
            f"CREATE TRIGGER search_{table} AFTER INSERT OR DELETE OR UPDATE OF id, session_id,"
            f" {columns} ON {table} FOR EACH ROW EXECUTE FUNCTION search_{table}()"
        )
        run(f"{into} SELECT {row(table)} FROM {table}")
    inserts = " ".join(
        f"{into} SELECT NEW.id::bigint * 16 + {kind}, {body.format(r='NEW')},"
        f" {extra.format(r='NEW')}, NEW.id, {kind}, NULL WHERE {body.format(r='NEW')} <> '';"
        for kind, body, extra in _SESSION_TEXTS
    )
    run(
        "CREATE FUNCTION search_session() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " IF TG_OP = 'UPDATE' THEN DELETE FROM search_index"
        " WHERE id BETWEEN OLD.id::bigint * 16 + 1 AND OLD.id::bigint * 16 + 4; END IF;"
        f" {inserts} RETURN NULL; END $$"
    )
    # (A deleted session's rows go with it: the index's reference to it cascades.)
    run(
        f"CREATE TRIGGER search_session AFTER INSERT OR UPDATE OF id, {_SESSION_COLUMNS}"
        " ON session FOR EACH ROW EXECUTE FUNCTION search_session()"
    )
    for kind, body, extra in _SESSION_TEXTS:
        run(
            f"{into} SELECT id::bigint * 16 + {kind}, {body.format(r='session')},"
            f" {extra.format(r='session')}, id, {kind}, NULL FROM session"
            f" WHERE {body.format(r='session')} <> ''"
        )


def _v6(conn: sa.Connection) -> None:
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


MIGRATIONS: tuple[Migration, ...] = (_v1, _v2, _v3, _v4, _v5, _v6)
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
