"""Where the database is: `--db` / `DEBRIEF_DB` as a file path or a SQLAlchemy URL.

Standard library only; SQLAlchemy is loaded just to read a URL.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple

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
        import sqlalchemy as sa

        return sa.make_url(self.url).render_as_string()


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
        import sqlalchemy as sa

        try:
            url = sa.make_url(spec)
        except (sa.exc.ArgumentError, ValueError) as exc:  # ValueError: a port not a number
            shown = re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", spec)  # no password in a message
            raise DatabaseRefused(f"not a database URL: {shown!r}") from exc
        if url.get_backend_name() == "sqlite":
            database = url.database or ""
            if database in ("", ":memory:"):
                return Target(spec, None)
            path = Path(database).expanduser().resolve()
            return Target(f"sqlite:///{path}", path)
        return Target(spec, None)
    path = Path(spec).expanduser().resolve()
    return Target(f"sqlite:///{path}", path)
