"""Opening the database: creation, pragmas, migrations, and refusing files that are not ours."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

from debrief_tui.core.errors import DatabaseRefused, Unavailable
from debrief_tui.core.persistence import migrations, open_database, resolve, schema
from debrief_tui.core.persistence import models as _models  # noqa: F401 - registers the tables
from debrief_tui.core.persistence.engine import migrate, open_engine
from debrief_tui.core.persistence.unit import Database, Unit
from tests.postgres import BACKENDS


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_file_is_private_wal_with_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "debrief.db"
    engine = open_engine(str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert migrations.read_version(conn) == schema.SCHEMA_HEAD
    engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_first_use_creates_the_schema_and_it_matches_the_models(
    backend: str, request: pytest.FixtureRequest
) -> None:
    engine = open_engine(
        request.getfixturevalue("pg_url") if backend == "postgresql" else "sqlite://"
    )
    inspector = sa.inspect(engine)
    # Only the search index (migration 5, kept by triggers; FTS5's shadow tables on SQLite)
    # has no model.
    tables = set(inspector.get_table_names())
    search = {name for name in tables if schema.is_search_table(name)}
    assert schema.SEARCH_INDEX in search
    assert set(tables) - search == set(SQLModel.metadata.tables) | {schema.META_TABLE}
    for table in SQLModel.metadata.sorted_tables:
        live = {c["name"]: c for c in inspector.get_columns(table.name)}
        assert set(live) == {c.name for c in table.columns}, table.name
        for column in table.columns:
            if not column.primary_key:
                assert live[column.name]["nullable"] == column.nullable, (table.name, column.name)
            if backend == "postgresql" and column.type.python_type is datetime:
                # stored with their zone, read back as UTC
                assert getattr(live[column.name]["type"], "timezone", False), column.name
    with engine.connect() as conn:
        assert migrations.read_version(conn) == schema.SCHEMA_HEAD
    engine.dispose()


def _first_version_db(path: Path) -> None:
    """A database as the first release wrote it, with a session and an attendee in it."""
    engine = sa.create_engine(f"sqlite:///{path}")
    migrate(engine, str(path), target_version=1)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO session (id, title, severity, status, timezone, summary, created_at,"
                " updated_at, services_affected, started_at) VALUES (7, 'Old outage', 'SEV2',"
                " 'draft', 'UTC', '', '2024-05-01 10:00:00', '2024-05-01 10:00:00', '',"
                " '2024-05-01 09:00:00')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO attendee (session_id, name, team, role) VALUES (7, 'Ann', 'SRE',"
                " 'facilitator')"
            )
        )
        conn.execute(
            sa.text("INSERT INTO lesson (session_id, kind, text) VALUES (7, 'went well', 'paging')")
        )
    engine.dispose()


def test_first_schema_version_opens_and_upgrades(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _first_version_db(path)
    with sqlite3.connect(path) as conn:
        cols = {r[1] for r in conn.execute("PRAGMA table_info(session)")}
        assert "current_stage" not in cols
    engine = open_engine(str(path))
    with engine.connect() as conn:
        assert migrations.read_version(conn) == schema.SCHEMA_HEAD
        assert conn.exec_driver_sql("SELECT position FROM lesson").scalar() == 0
    database = Database(engine)
    row = database.read(lambda tx: tx.sessions.get(7))
    assert row.title == "Old outage"
    assert row.started_at == datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
    assert row.current_stage is None
    assert [a.name for a in database.read(lambda tx: tx.attendees.of(7))] == ["Ann"]
    database.write(lambda tx: tx.sessions.update(7, users_affected=3))
    assert database.read(lambda tx: tx.sessions.get(7)).users_affected == 3
    engine.dispose()


def test_newer_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    open_engine(str(path)).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE debrief_meta SET value = ? WHERE key = 'schema_version'",
            (str(schema.SCHEMA_HEAD + 1),),
        )
    before = _digest(path)
    with pytest.raises(DatabaseRefused, match="newer debrief") as info:
        open_engine(str(path))
    assert "\n" not in str(info.value)
    assert _digest(path) == before


@pytest.mark.parametrize(
    "content",
    [
        b"name,severity\nOutage,SEV1\n",
        b"",  # replaced below by a foreign SQLite database
        bytes(range(256)) * 64,
    ],
)
def test_foreign_file_is_refused_and_left_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "other.db"
    if content:
        path.write_bytes(content)
    else:
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
            conn.execute("INSERT INTO notes (body) VALUES ('mine')")
    before = _digest(path)
    with pytest.raises(DatabaseRefused, match="not a debrief database") as info:
        open_engine(str(path))
    assert "\n" not in str(info.value)
    assert _digest(path) == before


def test_empty_file_is_taken_as_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    engine = open_engine(str(path))
    assert Database(engine).read(lambda tx: tx.sessions.matching()) == []
    engine.dispose()


def test_resolve_paths_urls_and_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DEBRIEF_DB", str(tmp_path / "env.db"))
    assert resolve(None).path == tmp_path / "env.db"
    assert resolve(str(tmp_path / "flag.db")).path == tmp_path / "flag.db"
    assert resolve(f"sqlite:///{tmp_path}/url.db").path == tmp_path / "url.db"
    postgres = resolve("postgresql+psycopg://u:secret@db.example/debrief")
    assert postgres.path is None
    assert "secret" not in postgres.label
    monkeypatch.delenv("DEBRIEF_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    target = resolve(None)
    assert target.path is not None
    assert target.path.name == "debrief.db"
    assert str(tmp_path / "xdg") in str(target.path)


def test_bad_url_is_refused_in_one_line() -> None:
    with pytest.raises(DatabaseRefused) as info:
        open_engine("nosuchdriver://x/y")
    assert "\n" not in str(info.value)


def test_a_directory_or_impossible_path_is_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(DatabaseRefused, match="is a directory") as info:
        open_engine(str(tmp_path))
    assert "\n" not in str(info.value)
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    with pytest.raises(DatabaseRefused, match="cannot open") as info:
        open_engine(str(blocker / "sub" / "debrief.db"))
    assert "\n" not in str(info.value)
    assert blocker.read_text() == "x"


def test_schema_version_is_defined_once() -> None:
    assert len(migrations.MIGRATIONS) == schema.SCHEMA_HEAD


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_seats_writes_take_turns_and_one_kept_waiting_too_long_is_refused(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another seat writes while this one holds the write lock: its write, which reads before
    it inserts, waits for the lock and then reads what the first wrote (the new answer goes
    after it). With a deferred BEGIN on SQLite it read a snapshot first and failed with
    "database is locked"; on PostgreSQL both answers took position 0. Kept waiting past the busy
    timeout, a write is refused in one line and nothing is written."""
    from debrief_tui.core.persistence import engine

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 1000)
    if backend == "postgresql":
        url = request.getfixturevalue("pg_migrated_url")
    else:
        url = str(tmp_path / "two-seats.db")
    first, second = open_database(url), open_database(url)
    sid = first.write(lambda tx: tx.sessions.create("Two seats", "SEV2")).id or 0
    root = first.write(lambda tx: tx.whys.ensure_root(sid)).id or 0
    holding, release = threading.Event(), threading.Event()

    def hold(tx: Unit) -> None:
        tx.whys.add(root, "written by the first seat")
        holding.set()
        release.wait(10)

    writer = threading.Thread(target=first.write, args=(hold,))
    writer.start()
    assert holding.wait(10)
    threading.Timer(0.3, release.set).start()
    began = time.monotonic()
    second.write(lambda tx: tx.whys.add(root, "written by the second seat"))
    assert time.monotonic() - began >= 0.2  # it waited for the first seat's commit
    writer.join()
    nodes = first.read(lambda tx: tx.whys.of(sid))
    assert [(n.text, n.position) for n in nodes[1:]] == [
        ("written by the first seat", 0),
        ("written by the second seat", 1),
    ]
    holding.clear()
    release.clear()
    writer = threading.Thread(target=first.write, args=(hold,))
    writer.start()
    assert holding.wait(10)
    with pytest.raises(Unavailable, match="busy: another seat held it") as info:
        second.write(lambda tx: tx.whys.add(root, "kept waiting"))
    assert "\n" not in str(info.value)
    release.set()
    writer.join()
    assert [n.text for n in first.read(lambda tx: tx.whys.of(sid))][-1] == (
        "written by the first seat"
    )
    first.dispose()
    second.dispose()


def test_a_postgresql_url_without_its_driver_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if it were not installed
    for url in ("postgresql://u:secret@127.0.0.1:1/x", "postgresql+psycopg://u@127.0.0.1:1/x"):
        with pytest.raises(DatabaseRefused, match=r"install 'debrief-tui\[postgres\]'$") as info:
            open_engine(url)
        assert "\n" not in str(info.value)
        assert "secret" not in str(info.value)


def test_a_malformed_url_is_refused_without_its_password() -> None:
    with pytest.raises(DatabaseRefused, match="not a database URL") as info:
        open_engine("postgresql+psycopg://u:secret@db.example:port/debrief")
    assert "secret" not in str(info.value)


def test_the_database_is_private_whatever_the_umask_and_an_empty_file_becomes_so(
    tmp_path: Path,
) -> None:
    import os

    old = os.umask(0)
    try:
        deep = tmp_path / "a" / "b" / "debrief.db"
        open_database(str(deep)).dispose()
        empty = tmp_path / "empty.db"
        empty.touch(mode=0o644)
        open_database(str(empty)).dispose()
    finally:
        os.umask(old)
    assert stat.S_IMODE(deep.stat().st_mode) == 0o600
    for folder in (tmp_path / "a", tmp_path / "a" / "b"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(empty.stat().st_mode) == 0o600


def _file_with_a_log(path: Path, titles: int) -> None:
    """A debrief file whose newest changes are still in its -wal (as while a seat is open, or
    after one was killed), left beside it by a process that exits without checkpointing."""
    script = (
        "import os, sys\n"
        "from debrief_tui.core.persistence import open_database\n"
        "database = open_database(sys.argv[1])\n"
        "with database.engine.connect() as conn:\n"
        "    conn.exec_driver_sql('PRAGMA wal_autocheckpoint=0')\n"
        "for n in range(int(sys.argv[2])):\n"
        "    database.write(lambda tx: tx.sessions.create(f'title {n} ' * 20, 'SEV3'))\n"
        "os._exit(0)\n"
    )
    import subprocess

    subprocess.run([sys.executable, "-c", script, str(path), str(titles)], check=True)
    assert path.with_name(path.name + "-wal").stat().st_size > 0


def test_a_log_copied_from_another_database_is_refused_and_everything_left_as_is(
    tmp_path: Path,
) -> None:
    ours, theirs = tmp_path / "ours.db", tmp_path / "theirs.db"
    open_engine(str(ours)).dispose()
    _file_with_a_log(theirs, 40)
    wal = ours.with_name("ours.db-wal")
    wal.write_bytes(theirs.with_name("theirs.db-wal").read_bytes())
    before = (_digest(ours), _digest(wal))
    with pytest.raises(DatabaseRefused) as refused:
        open_engine(str(ours))
    assert str(refused.value) == (
        f"{ours}: the log beside it, ours.db-wal, belongs to another database; move "
        "ours.db-wal and ours.db-shm away to open the file as it was (the files were left as is)"
    )
    assert (_digest(ours), _digest(wal)) == before
    wal.unlink()
    ours.with_name("ours.db-shm").unlink(missing_ok=True)
    database = Database(open_engine(str(ours)))
    assert database.read(lambda tx: tx.sessions.matching()) == []
    database.dispose()


def test_a_files_own_log_left_by_a_killed_seat_is_read_back(tmp_path: Path) -> None:
    path = tmp_path / "debrief.db"
    _file_with_a_log(path, 40)
    database = Database(open_engine(str(path)))
    assert len(database.read(lambda tx: tx.sessions.matching())) == 40
    database.dispose()
