"""What marks a database as debrief's, and the schema version this release writes.

Defined once, here, with the standard library only: checking a file before opening it must not
load SQLAlchemy, and the migrations (`migrations.MIGRATIONS`) are checked against SCHEMA_HEAD.
"""

from __future__ import annotations

BUSY_TIMEOUT_MS = 5000
"""How long a write waits for another process's write to finish before it is refused."""
CONNECT_TIMEOUT_S = 5
"""How long to wait for a database server to answer before refusing it (libpq's minimum is 2)."""
SCHEMA_HEAD = 6
"""The schema version this release writes: the number of migrations."""
APP_MARKER = "debrief"
META_TABLE = "debrief_meta"
MAX_ID = 2**31 - 1
"""The largest id an INTEGER column holds on PostgreSQL: no row has a larger one."""
SEAT_BEAT_SECONDS = 10
"""How often an open seat says it is still there; one not heard from for three beats has gone."""
IDENTITY = "PRAGMA user_version"
"""Where a SQLite file keeps its own random number (in its header, so in every copy of page 1)."""
SEARCH_INDEX = "search_index"
"""The full-text index of every session's text (migration 5), kept in step by triggers."""


def is_search_table(name: str) -> bool:
    """Whether a table belongs to the search index rather than to the models: the index itself
    and, on SQLite, the shadow tables FTS5 keeps beside it (`search_index_data`, ...)."""
    return name == SEARCH_INDEX or name.startswith(SEARCH_INDEX + "_")
