"""What the first frame of a session shows, read straight from a SQLite file without the ORM."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import NamedTuple

from debrief_tui.core.meeting.timer import Run, spent_by_stage
from debrief_tui.core.persistence.schema import MAX_ID
from debrief_tui.core.persistence.target import Target


class SessionPeek(NamedTuple):
    """What the first frame of a session shows, read without the ORM."""

    session_id: int
    title: str
    timezone: str
    current_stage: str | None
    agenda_path: str | None
    spent_by_stage: dict[str, float]
    status: str = "draft"


def peek_session(target: Target, session_id: int) -> SessionPeek | None:
    """Read a session's title, stage and time spent straight from a SQLite file.

    For a fast first frame: stdlib sqlite3, read-only. Returns None when the target is not a
    file, the session does not exist, or the file cannot be read this way; callers then fall
    back to reading it through the database.
    """
    if target.path is None or not target.path.is_file() or not 0 < session_id <= MAX_ID:
        return None  # (no row has an id past MAX_ID; SQLite could not even be asked)
    try:
        conn = sqlite3.connect(f"{target.path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(session)")}
        stage_cols = "current_stage, agenda_path" if "current_stage" in columns else "NULL, NULL"
        row = conn.execute(
            f"SELECT title, timezone, {stage_cols}, status FROM session WHERE id = ?",
            (session_id,),
        ).fetchone()
        if row is None:
            return None
        runs = [
            Run(stage, _utc(started), _utc(ended) if ended else None)
            for stage, started, ended in conn.execute(
                "SELECT stage, started_at, ended_at FROM stage_run WHERE session_id = ?",
                (session_id,),
            )
        ]
    except (sqlite3.Error, ValueError):
        return None
    finally:
        conn.close()
    # The app's own rule: each run counts from its start to its end, never below zero.
    spent = spent_by_stage(runs)
    return SessionPeek(session_id, row[0], row[1], row[2], row[3], spent, row[4])


def _utc(stored: str) -> datetime:
    """A time as the database holds it (UTC, without its zone), read back aware."""
    return datetime.fromisoformat(stored).replace(tzinfo=UTC)
