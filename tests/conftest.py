"""Fixtures: a fresh in-memory database per test on a fixed clock (and, in the modules marked
`both_backends`, a fresh PostgreSQL database too), the demo incident, and the guard that fails
any test in which the running app executes SQL on its event loop's thread."""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from textual.app import App

from debrief_tui.core.export import load_document_file
from debrief_tui.core.persistence import open_database
from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.unit import Database
from debrief_tui.paths import data_path
from tests.helpers import FakeClock, LoopGuard, fixed_clock
from tests.postgres import pg_migrated_url, pg_server, pg_url

__all__ = ["pg_migrated_url", "pg_server", "pg_url"]  # fixtures of tests/postgres.py


def pytest_configure(config: pytest.Config) -> None:
    # A new session's zone defaults to the machine's: the tests' machine is in UTC wherever
    # they run (and the commands they start inherit it).
    os.environ["TZ"] = "UTC"
    config.addinivalue_line(
        "markers", "backends(*names): run the tests that use `db` on each backend named"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    marker = metafunc.definition.get_closest_marker("backends")
    if marker is not None and "db" in metafunc.fixturenames:
        metafunc.parametrize("db", marker.args, indirect=True)


@pytest.fixture
def db(request: pytest.FixtureRequest) -> Iterator[Database]:
    """A database fresh for each test: in memory, or (`both_backends`) on PostgreSQL too."""
    if getattr(request, "param", "sqlite") == "postgresql":
        database = open_database(request.getfixturevalue("pg_migrated_url"), fixed_clock)
    else:
        database = open_database("sqlite://", fixed_clock)
    yield database
    database.dispose()


@pytest.fixture
def db_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The database file every command of a command-line test uses (through DEBRIEF_DB)."""
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DEBRIEF_DB", str(path))
    return path


@pytest.fixture
def file_db(tmp_path: Path) -> Iterator[Database]:
    """A database in a fresh file (for tests that need a second connection)."""
    database = open_database(str(tmp_path / "debrief.db"), fixed_clock)
    yield database
    database.dispose()


@pytest.fixture
def clock() -> FakeClock:
    """A clock the test moves by hand."""
    return FakeClock()


@pytest.fixture
def demo(db: Database) -> PostmortemSession:
    """The shipped demo incident, loaded into the test database."""
    document = load_document_file(data_path("demo.json"), "demo")
    return db.write(lambda tx: tx.documents.create(document))


@pytest.fixture
def bare_demo(db: Database) -> PostmortemSession:
    """The demo incident without its 5 Whys, factors, lessons and actions: for the tests
    whose point is a stage that starts empty (the first why, an empty actions list)."""
    document = load_document_file(data_path("demo.json"), "demo")
    bare = dataclasses.replace(document, whys=(), factors=(), lessons=(), actions=())
    return db.write(lambda tx: tx.documents.create(bare))


@pytest.fixture(autouse=True)
def no_sql_on_the_event_loop(monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopGuard]:
    """While any app runs under Pilot, SQL on the thread of its event loop fails the test:
    every database call goes through the gateway's own thread."""
    guard = LoopGuard()
    original = App.run_test

    @asynccontextmanager
    async def guarded(self: App[Any], *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        async with original(self, *args, **kwargs) as pilot:
            guard.loop_thread = threading.current_thread()
            guard.apps += 1
            try:
                yield pilot
            finally:
                guard.apps -= 1

    monkeypatch.setattr(App, "run_test", guarded)
    sa.event.listen(sa.Engine, "before_cursor_execute", guard.check)
    try:
        yield guard
    finally:
        sa.event.remove(sa.Engine, "before_cursor_execute", guard.check)
    assert not guard.offences, f"SQL ran on the event loop's thread: {guard.offences}"
