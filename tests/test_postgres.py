"""debrief on a team database (PostgreSQL): the schema created on first use and upgraded, the
databases it refuses and leaves as they were, the command line end to end, and what PostgreSQL
stores differently from SQLite.

Each test gets a database of its own (tests/postgres.py). The repositories' own tests run on
both backends in test_store.py, test_whys.py and test_actions_core.py, and the golden exports
in test_export_formats.py."""

from __future__ import annotations

import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from debrief_tui.cli import main
from debrief_tui.core.errors import DatabaseRefused, InputError, NotFound
from debrief_tui.core.persistence import migrations, open_database, schema
from debrief_tui.core.persistence import models as _models  # noqa: F401 - registers the tables
from debrief_tui.core.persistence.engine import migrate, open_engine
from debrief_tui.core.persistence.unit import Database
from debrief_tui.core.sessions.facts import parse_fact
from tests.helpers import fixed_clock
from tests.postgres import SERVER, Server


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


# Opening, upgrading, refusing -----------------------------------------------------------------


def test_a_first_version_database_upgrades_in_place(pg_url: str) -> None:
    engine = sa.create_engine(pg_url)
    migrate(engine, "old", target_version=1)
    with engine.begin() as conn:
        session_id = conn.execute(
            sa.text(
                "INSERT INTO session (title, severity, status, timezone, summary, created_at,"
                " updated_at, services_affected, started_at) VALUES ('Old outage', 'SEV2',"
                " 'draft', 'UTC', '', '2024-05-01 10:00:00+00', '2024-05-01 10:00:00+00', '',"
                " '2024-05-01 11:00:00+02') RETURNING id"
            )
        ).scalar_one()
        conn.execute(
            sa.text(
                "INSERT INTO lesson (session_id, kind, text) VALUES (:s, 'went well', 'paging')"
            ),
            {"s": session_id},
        )
        conn.execute(
            sa.text(
                "INSERT INTO action (session_id, text, owner, priority, type, status, ticket)"
                " VALUES (:s, 'Page the owner', '', 'P2', 'detect', 'open', '')"
            ),
            {"s": session_id},
        )
    engine.dispose()
    database = open_database(pg_url)
    row = database.read(lambda tx: tx.sessions.get(session_id))
    assert (row.title, row.started_at) == ("Old outage", datetime(2024, 5, 1, 9, tzinfo=UTC))
    assert [(x.text, x.position) for x in database.read(lambda tx: tx.lessons.of(session_id))] == [
        ("paging", 0)
    ]
    assert [a.proposal for a in database.read(lambda tx: tx.actions.of(session_id))] == [False]
    again = database.write(lambda tx: tx.sessions.create("New", "SEV3"))
    assert again.id == session_id + 1
    with database.engine.connect() as conn:
        assert migrations.read_version(conn) == schema.SCHEMA_HEAD
    database.dispose()


def test_a_newer_schema_is_refused_and_left_as_is(pg_url: str) -> None:
    open_engine(pg_url).dispose()
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE debrief_meta SET value = :v WHERE key = 'schema_version'"),
            {"v": str(schema.SCHEMA_HEAD + 1)},
        )
    before = _tables(pg_url)
    with pytest.raises(DatabaseRefused, match="newer debrief") as info:
        open_engine(pg_url)
    assert "\n" not in str(info.value)
    assert str(info.value).endswith("The database was left as is")
    with engine.connect() as conn:
        version = conn.execute(
            sa.text("SELECT value FROM debrief_meta WHERE key = 'schema_version'")
        ).scalar()
    assert version == str(schema.SCHEMA_HEAD + 1)
    assert _tables(pg_url) == before
    engine.dispose()


@pytest.mark.parametrize(
    "ddl",
    [
        ["CREATE TABLE notes (id serial PRIMARY KEY, body text)"],
        [
            "CREATE TABLE debrief_meta (key text PRIMARY KEY, value text NOT NULL)",
            "INSERT INTO debrief_meta VALUES ('app', 'someone else')",
        ],
    ],
    ids=["other-tables", "other-marker"],
)
def test_a_database_that_is_not_debriefs_is_refused_and_left_as_is(
    pg_url: str, ddl: list[str]
) -> None:
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        for statement in ddl:
            conn.execute(sa.text(statement))
    with pytest.raises(DatabaseRefused, match="is not a debrief database; left as is") as info:
        open_engine(pg_url)
    assert "\n" not in str(info.value)
    assert len(_tables(pg_url)) == 1
    engine.dispose()


def test_a_database_not_in_utf8_is_refused_in_one_line_and_left_as_is(
    pg_server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    url = pg_server.create(encoding="SQL_ASCII")
    try:
        code = main(["--db", url, "new", "--title", "Outage", "--severity", "SEV2"])
        out, err = capsys.readouterr()
        assert (code, out) == (2, "")
        assert len(err.strip().splitlines()) == 1
        assert "uses the SQL_ASCII encoding; debrief needs a UTF8 database" in err
        # Read with the driver alone: SQLAlchemy cannot read an SQL_ASCII server at all.
        conninfo = url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(conninfo) as conn:
            tables = conn.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
            ).fetchone()
        assert tables == (0,)
    finally:
        pg_server.drop(url)


def test_seats_opening_a_new_database_at_once_create_it_once(pg_url: str) -> None:
    start = threading.Barrier(4)
    outcomes: list[object] = []

    def open_it() -> None:
        start.wait()
        try:
            open_engine(pg_url).dispose()
            outcomes.append("opened")
        except Exception as exc:  # pragma: no cover - what the lock prevents
            outcomes.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["opened"] * 4


def test_a_silent_server_is_given_up_on_after_a_few_seconds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from debrief_tui.core.persistence import engine

    monkeypatch.setattr(engine, "CONNECT_TIMEOUT_S", 2)
    with socket.socket() as listener:  # accepts connections and never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        port = listener.getsockname()[1]
        began = time.monotonic()
        with pytest.raises(DatabaseRefused, match="timeout") as info:
            open_engine(f"postgresql+psycopg://postgres@127.0.0.1:{port}/debrief")
    assert time.monotonic() - began < 10
    assert "\n" not in str(info.value)


# What PostgreSQL stores differently ---------------------------------------------------------


@pytest.fixture
def pg_db(pg_migrated_url: str) -> Iterator[Database]:
    database = open_database(pg_migrated_url, fixed_clock)
    yield database
    database.dispose()


def test_times_come_back_aware_utc_whatever_the_servers_zone(pg_migrated_url: str) -> None:
    database = open_database(f"{pg_migrated_url}?options=-c%20timezone%3DAsia/Tokyo", fixed_clock)
    started = parse_fact("started_at", "2025-03-21 23:12", "Europe/Amsterdam")
    row = database.write(lambda tx: tx.sessions.create("x", "SEV2", started_at=started))
    assert row.id is not None
    row_id = row.id
    again = database.read(lambda tx: tx.sessions.get(row_id))
    assert again.started_at == datetime(2025, 3, 21, 22, 12, tzinfo=UTC)
    assert again.started_at is not None
    assert again.started_at.tzinfo is UTC
    assert again.created_at.tzinfo is UTC
    with database.engine.connect() as conn:
        shown = conn.execute(sa.text("SELECT started_at::text FROM session")).scalar()
    assert shown == "2025-03-22 07:12:00+09"  # the server's zone, read back as UTC above
    database.dispose()


def test_text_with_a_nul_is_refused_in_one_line_and_nothing_is_written(pg_db: Database) -> None:
    with pytest.raises(InputError, match=r"NUL character \(\\x00\)") as info:
        pg_db.write(lambda tx: tx.sessions.create("before\x00after", "SEV2"))
    assert "\n" not in str(info.value)
    assert pg_db.read(lambda tx: tx.sessions.matching()) == []
    assert pg_db.write(lambda tx: tx.sessions.create("x", "SEV2")).title == "x"


def test_long_text_and_the_largest_counts_are_stored(pg_db: Database) -> None:
    summary = "é∑ " * 200_000
    top = parse_fact("users_affected", "2,147,483,647", "UTC")
    row = pg_db.write(lambda tx: tx.sessions.create("x", "SEV2", summary=summary))
    assert row.id is not None
    row_id = row.id
    pg_db.write(lambda tx: tx.sessions.update(row_id, users_affected=top))
    again = pg_db.read(lambda tx: tx.sessions.get(row_id))
    assert (again.summary, again.users_affected) == (summary, 2_147_483_647)
    with pytest.raises(InputError, match="at most 2,147,483,647"):
        parse_fact("users_affected", "2147483648", "UTC")
    with pytest.raises(NotFound, match="no session with id 2147483648"):
        pg_db.read(lambda tx: tx.sessions.get(2**31))
    with pytest.raises(NotFound, match="no session with id 100000000000000000000"):
        pg_db.read(lambda tx: tx.sessions.get(10**20))


def test_an_undo_moves_the_id_sequence_past_the_rows_it_puts_back(pg_db: Database) -> None:
    """Rows put back keep their ids, which does not advance PostgreSQL's sequence: should they
    be past it (rows copied in with their own ids), the next new row still gets a free id."""
    session = pg_db.write(lambda tx: tx.sessions.create("x", "SEV2")).id or 0
    at = datetime(2025, 3, 21, 9, tzinfo=UTC)
    lines: list[tuple[str | None, str]] = [(None, "one"), (None, "two"), (None, "three")]
    rows = pg_db.write(lambda tx: tx.minutes.add(session, "timeline", lines, at))
    removed = pg_db.write(lambda tx: tx.minutes.delete(rows[-1].id or 0))
    with pg_db.engine.begin() as conn:  # as if the rows had been copied in with their ids
        conn.execute(sa.text("ALTER SEQUENCE minute_id_seq RESTART WITH 1"))
    pg_db.write(lambda tx: tx.removals.restore(removed))
    new = pg_db.write(lambda tx: tx.minutes.add(session, "timeline", [(None, "four")], at))[0]
    assert rows[-1].id is not None
    assert new.id == rows[-1].id + 1
    assert [m.text for m in pg_db.read(lambda tx: tx.minutes.of(session))] == [
        "one",
        "two",
        "three",
        "four",
    ]


# The command line ---------------------------------------------------------------------------


def test_every_command_works_on_postgresql(
    capsys: pytest.CaptureFixture[str], pg_url: str, tmp_path: Path
) -> None:
    code, out, err = run(
        capsys, "--db", pg_url, "new", "--title", "Checkout down", "--severity", "SEV1",
        "--timezone", "America/Los_Angeles", "--started", "2025-03-21 09:37",
    )  # fmt: skip
    assert (code, out, err) == (0, "1\n", "")
    timeline = tmp_path / "timeline.txt"
    timeline.write_text("09:37 PDT deploy starts\n09:45 PDT alert fires\n")
    assert run(capsys, "--db", pg_url, "import", "1", str(timeline)) == (
        0,
        "imported 2 events\n",
        # What the import assumed is said (issue 16): the lines carry no date.
        "note: lines 1-2: no date given: the session's start day, 2025-03-21\n",
    )
    code, first_demo, _ = run(capsys, "--db", pg_url, "demo", "--no-open")
    assert (code, first_demo) == (0, "2\n")
    assert run(capsys, "--db", pg_url, "demo", "--no-open")[1] == first_demo
    code, exported, err = run(capsys, "--db", pg_url, "export", "1", "--format", "json")
    assert (code, err) == (0, "")
    document = json.loads(exported)
    assert [e["text"] for e in document["timeline"]] == ["deploy starts", "alert fires"]
    (tmp_path / "one.json").write_text(exported)
    assert run(capsys, "--db", pg_url, "load", str(tmp_path / "one.json"))[:2] == (0, "3\n")
    code, out, _ = run(capsys, "--db", pg_url, "export", "3", "--format", "json")
    assert json.loads(out)["timeline"] == document["timeline"]
    folder = tmp_path / "out"
    folder.mkdir()
    code, _, err = run(
        capsys, "--db", pg_url, "export", "2", "--format", "all", "--out", str(folder)
    )
    assert code == 0
    assert len(list(folder.iterdir())) == err.count("wrote ") > 5
    code, out, _ = run(capsys, "--db", pg_url, "list", "--json")
    listed = json.loads(out)
    assert [item["id"] for item in listed] == [2, 3, 1]  # newest incident first, then newest id
    assert listed[1]["started_at"] == "2025-03-21T16:37:00+00:00"
    assert run(capsys, "--db", pg_url, "open", "99") == (1, "", "debrief: no session with id 99\n")
    code, out, _ = run(capsys, "--db", pg_url, "list")
    assert out.splitlines()[2].split("\t") == [
        "1",
        "2025-03-21",
        "SEV1",
        "draft",
        "-",
        "Checkout down",
    ]


def test_the_url_without_a_driver_and_debrief_db_use_psycopg(
    capsys: pytest.CaptureFixture[str], pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEBRIEF_DB", pg_url.replace("postgresql+psycopg://", "postgresql://"))
    assert run(capsys, "new", "--title", "From the environment", "--severity", "SEV3")[:2] == (
        0,
        "1\n",
    )
    assert run(capsys, "--db", pg_url, "list")[1].endswith("\tFrom the environment\n")


def _contents(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, to tell that a refused database was left as it was."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                name: sorted(tuple(row) for row in conn.execute(sa.text(f'SELECT * FROM "{name}"')))
                for name in sa.inspect(conn).get_table_names()
            }
    finally:
        engine.dispose()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _foreign(server: Server) -> str:
    url = server.create()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE notes (body text)"))
        conn.execute(sa.text("INSERT INTO notes VALUES ('mine')"))
    engine.dispose()
    return url


def _newer(server: Server) -> str:
    url = server.create(migrated=True)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE debrief_meta SET value = '999' WHERE key = 'schema_version'"))
    engine.dispose()
    return url


@pytest.mark.parametrize(
    ("where", "says"),
    [
        ("unreachable", "Connection refused"),
        ("missing", "does not exist"),
        ("no-such-user", 'role "nobody" does not exist'),
        ("foreign", "is not a debrief database; left as is"),
        ("newer", "newer debrief (schema 999"),
        ("bad-port", "not a database URL"),
    ],
)
def test_each_refusal_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], pg_server: Server, where: str, says: str
) -> None:
    made: str | None = None
    if where == "unreachable":
        url = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/debrief"
    elif where == "missing":
        url = f"{SERVER}/no_such_database_here"
    elif where == "no-such-user":  # how a wrong password ends, on a server that asks for one
        url = "postgresql+psycopg://nobody:sekrit@127.0.0.1:5432/test"
    elif where == "bad-port":
        url = "postgresql+psycopg://postgres:sekrit@127.0.0.1:port/debrief"
    else:
        url = made = _foreign(pg_server) if where == "foreign" else _newer(pg_server)
    try:
        before = _contents(made) if made else None
        code, out, err = run(capsys, "--db", url, "list")
        assert (code, out) == (2, "")
        assert err.startswith("debrief: ")
        assert len(err.splitlines()) == 1, err
        assert says in err
        assert "sekrit" not in err
        if made is not None:
            assert _contents(made) == before  # left as it was
    finally:
        if made is not None:
            pg_server.drop(made)


@pytest.fixture
def password_server() -> Iterator[int]:
    """A server that speaks just enough of PostgreSQL's protocol to ask for a password and
    turn it down, as a server with password authentication does (the test server trusts
    127.0.0.1); gives its port."""

    def serve(listener: socket.socket) -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:  # closed: the test is over
                return
            with conn:
                length, code = struct.unpack("!ii", conn.recv(8))
                while code in (80877103, 80877104):  # encryption (SSL, GSS) asked for: no
                    conn.sendall(b"N")
                    length, code = struct.unpack("!ii", conn.recv(8))
                conn.recv(length - 8)  # the rest of the startup message
                conn.sendall(b"R" + struct.pack("!ii", 8, 3))  # a password, please
                conn.recv(1024)
                fields = b'SFATAL\0C28P01\0Mpassword authentication failed for user "ann"\0\0'
                conn.sendall(b"E" + struct.pack("!i", len(fields) + 4) + fields)

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        threading.Thread(target=serve, args=(listener,), daemon=True).start()
        yield listener.getsockname()[1]


def test_a_wrong_password_is_refused_in_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], password_server: int
) -> None:
    url = f"postgresql://ann:wrong-secret@127.0.0.1:{password_server}/debrief"
    code, out, err = run(capsys, "--db", url, "list")
    assert (code, out) == (2, "")
    assert err.startswith(f"debrief: cannot open postgresql://ann:***@127.0.0.1:{password_server}")
    assert err.endswith('password authentication failed for user "ann"\n')
    assert len(err.splitlines()) == 1
    assert "wrong-secret" not in err


def test_a_foreign_database_is_refused_by_the_installed_command(pg_server: Server) -> None:
    url = _foreign(pg_server)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "debrief_tui", "list"],
            capture_output=True,
            text=True,
            env={**os.environ, "DEBRIEF_DB": url},
            timeout=60,
        )
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr.count("\n") == 1
        assert "is not a debrief database; left as is" in done.stderr
        assert _tables(url) == {"notes"}
    finally:
        pg_server.drop(url)


def test_an_import_postgresql_cannot_store_imports_nothing(
    capsys: pytest.CaptureFixture[str], pg_migrated_url: str, tmp_path: Path
) -> None:
    run(capsys, "--db", pg_migrated_url, "new", "--title", "x", "--severity", "SEV2")
    pasted = tmp_path / "pasted.txt"
    pasted.write_text("2025-03-21 10:00 UTC fine\n2025-03-21 10:05 UTC bin\x00ary\n")
    code, out, err = run(capsys, "--db", pg_migrated_url, "import", "1", str(pasted))
    assert (code, out) == (1, "")
    assert err == (
        "debrief: nothing imported: text with a NUL character (\\x00) cannot be stored in"
        " PostgreSQL\n"
    )
    code, out, _ = run(capsys, "--db", pg_migrated_url, "export", "1", "--format", "json")
    assert json.loads(out)["timeline"] == []
    code, _, err = run(capsys, "--db", pg_migrated_url, "export", "99999999999", "--format", "md")
    assert (code, err) == (1, "debrief: no session with id 99999999999\n")
