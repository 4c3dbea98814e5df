"""The meeting's own state: the stage it is on, its agenda file, and its stage runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from debrief_tui.core.persistence.changes import QUIET, note
from debrief_tui.core.persistence.models import PostmortemSession, StageRun
from debrief_tui.core.persistence.repositories.base import Repository


class MeetingRepository(Repository):
    """Where a session's meeting is, and the time it has spent per stage."""

    def set_state(
        self, session_id: int, *, current_stage: str | None = None, agenda_path: str | None = None
    ) -> None:
        """Remember the stage the meeting is on, or the session's own agenda file."""
        values: dict[str, Any] = {}
        if current_stage is not None:
            values["current_stage"] = current_stage
        if agenda_path is not None:
            values["agenda_path"] = agenda_path or None
        if values:
            self.db.execute(
                sa.update(PostmortemSession)
                .where(col(PostmortemSession.id) == session_id)
                .values(**values)
                .execution_options(**{QUIET: True})
            )
            # Other seats follow the stage; an agenda file is a fact of the session.
            note(self.db, "stage" if current_stage else "session", session_id, None, "edit")

    def start_run(self, session_id: int, stage: str, at: datetime) -> StageRun:
        """Record that the meeting entered (or resumed) a stage at `at`."""
        run = StageRun(session_id=session_id, stage=stage, started_at=at, ended_at=at)
        self.insert(run)
        return run

    def touch_run(self, run_id: int, at: datetime, session_id: int) -> None:
        """Move the end of a stage run forward to `at` (a beat while it runs, or its end)."""
        self.db.execute(
            sa.update(StageRun)
            .where(col(StageRun.id) == run_id)
            .values(ended_at=at)
            .execution_options(**{QUIET: True})
        )
        note(self.db, "time", session_id, run_id, "edit")

    def runs(self, session_id: int) -> list[StageRun]:
        """Every recorded stage run of a session, oldest first."""
        stmt = (
            select(StageRun)
            .where(StageRun.session_id == session_id)
            .order_by(col(StageRun.started_at), col(StageRun.id))
        )
        return list(self.db.exec(stmt).all())
