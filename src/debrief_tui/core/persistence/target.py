"""Where the database is: `--db` / `DEBRIEF_DB` as a file path or a SQLAlchemy URL.

Standard library only; SQLAlchemy is loaded just to read a URL.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from debrief_tui.core.errors import DatabaseRefused


class Target(NamedTuple):
    """Where the database is: a SQLAlchemy URL, and the file path when it is a SQLite file."""

    url: str
    path: Path | None

    @property
    def label(self) -> str:
        """How to name the database in a message (a URL's password hidden)."""
        if self.path:
            return str(self.path)
        if _SERVER.match(self.url):  # as SQLAlchemy renders it, without loading SQLAlchemy
            return _hidden(self.url)
        import sqlalchemy as sa

        return sa.make_url(self.url).render_as_string()


_SERVER = re.compile(r"postgresql(?:\+[a-z0-9_]+)?://")
"""The start of a PostgreSQL URL, with any driver."""


def _hidden(url: str) -> str:
    """The URL with its password, if any, as `***` (no password in a message)."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def _not_a_url(spec: str) -> DatabaseRefused:
    return DatabaseRefused(f"not a database URL: {_hidden(spec)!r}")


def default_path() -> Path:
    """The default database file, in the user's data directory."""
    from platformdirs import user_data_path

    return user_data_path("debrief", appauthor=False) / "debrief.db"


def resolve(spec: str | None) -> Target:
    """Turn `--db` / `DEBRIEF_DB` (a file path or a SQLAlchemy URL) into a target."""
    spec = spec or os.environ.get("DEBRIEF_DB") or None
    if spec is None:
        path = default_path()
        return Target(f"sqlite:///{path}", path)
    if "://" in spec:
        if _SERVER.match(spec):
            # A PostgreSQL URL is checked without SQLAlchemy (a tenth of a second to load):
            # the follow-up commands read a team database with the driver alone.
            try:
                _ = urlsplit(spec).port  # ValueError: a port not a number
            except ValueError as exc:
                raise _not_a_url(spec) from exc
            return Target(spec, None)
        import sqlalchemy as sa

        try:
            url = sa.make_url(spec)
        except (sa.exc.ArgumentError, ValueError) as exc:  # ValueError: a port not a number
            raise _not_a_url(spec) from exc
        if url.get_backend_name() == "sqlite":
            database = url.database or ""
            if database in ("", ":memory:"):
                return Target(spec, None)
            path = Path(database).expanduser().resolve()
            return Target(f"sqlite:///{path}", path)
        return Target(spec, None)
    path = Path(spec).expanduser().resolve()
    return Target(f"sqlite:///{path}", path)
