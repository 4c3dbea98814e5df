"""What marks a database as debrief's, and the schema version this release writes.

Defined once, here, with the standard library only: checking a file before opening it must not
load SQLAlchemy, and the migrations (`migrations.MIGRATIONS`) are checked against SCHEMA_HEAD.
"""

from __future__ import annotations

BUSY_TIMEOUT_MS = 5000
"""How long a write waits for another process's write to finish before it is refused."""
SCHEMA_HEAD = 5
"""The schema version this release writes: the number of migrations."""
APP_MARKER = "debrief"
META_TABLE = "debrief_meta"
MAX_ID = 2**31 - 1
"""The largest id an INTEGER column holds on PostgreSQL: no row has a larger one."""
SEAT_BEAT_SECONDS = 10
"""How often an open seat says it is still there; one not heard from for three beats has gone."""
IDENTITY = "PRAGMA user_version"
"""Where a SQLite file keeps its own random number (in its header, so in every copy of page 1)."""
