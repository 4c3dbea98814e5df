"""PostgreSQL for the tests: a database of its own for each test, on the server at
127.0.0.1:5432 (user `postgres`, no password; the `test` database is used only to create and
drop the others).

A test that needs the server is skipped, with one line saying why, when there is none; with the
CI environment variable set it fails instead, so CI always runs it. A module marked
`both_backends` runs each of its tests that use the `db` fixture on SQLite and on PostgreSQL
(`test_x[sqlite]`, `test_x[postgresql]`).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql
from psycopg.rows import TupleRow

from debrief_tui.core.persistence import open_database

HOST, PORT = "127.0.0.1", 5432
SERVER = f"postgresql+psycopg://postgres@{HOST}:{PORT}"
"""The server's URL without a database: a test database's URL is this, a slash and its name."""
_ADMIN = f"host={HOST} port={PORT} user=postgres dbname=test connect_timeout=3"
BACKENDS = ("sqlite", "postgresql")
both_backends = pytest.mark.backends(*BACKENDS)
"""Run the module's tests that use `db` once on each backend."""


def in_ci() -> bool:
    """Whether CI runs the tests, which must then never skip the PostgreSQL ones."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


class Server:
    """The test server: databases created and dropped, and a migrated template to copy."""

    def __init__(self, admin: psycopg.Connection[TupleRow]) -> None:
        self._admin = admin
        self._template: str | None = None

    def create(self, *, migrated: bool = False, encoding: str | None = None) -> str:
        """A new database, empty or with debrief's schema (or empty in another encoding);
        gives its URL."""
        name = f"debrief_test_{uuid.uuid4().hex[:16]}"
        if encoding is not None:
            self._admin.execute(
                sql.SQL(
                    "CREATE DATABASE {} ENCODING {} TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'"
                ).format(sql.Identifier(name), sql.Literal(encoding))
            )
        elif migrated:
            # Copying a migrated template takes a few hundredths of a second; migrating each
            # database anew would take ten times that.
            template = sql.Identifier(self._migrated())
            self._admin.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), template)
            )
        else:
            self._admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return f"{SERVER}/{name}"

    def drop(self, url: str) -> None:
        """Drop a database made by `create`, closing whatever is still connected to it."""
        name = url.rsplit("/", 1)[1]
        self._admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )

    def _migrated(self) -> str:
        if self._template is None:
            url = self.create()
            open_database(url).dispose()  # no connection may stay open on a template
            self._template = url.rsplit("/", 1)[1]
        return self._template

    def close(self) -> None:
        if self._template is not None:
            self.drop(f"{SERVER}/{self._template}")
        self._admin.close()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    """The PostgreSQL server, reached once per run; without it a test skips (fails in CI)."""
    try:
        admin = psycopg.connect(_ADMIN, autocommit=True)
    except psycopg.Error as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        detail = lines[0] if lines else type(exc).__name__
        reason = f"no PostgreSQL server on {HOST}:{PORT}: {detail}"
        if in_ci():
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    server = Server(admin)
    yield server
    server.close()


@pytest.fixture
def pg_url(pg_server: Server) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped after the test."""
    url = pg_server.create()
    yield url
    pg_server.drop(url)


@pytest.fixture
def pg_migrated_url(pg_server: Server) -> Iterator[str]:
    """The URL of a new PostgreSQL database with debrief's schema, dropped after the test."""
    url = pg_server.create(migrated=True)
    yield url
    pg_server.drop(url)
