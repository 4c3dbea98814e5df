"""Sessions: the incident's facts, created, read, listed, changed and deleted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from debrief_tui.core.errors import InputError
from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.repositories.base import Repository
from debrief_tui.core.sessions.rules import check_facts
from debrief_tui.core.timeline.metrics import MILESTONE_LABELS


class SessionRepository(Repository):
    """Sessions and their facts."""

    def create(
        self,
        title: str,
        severity: str,
        timezone: str = "UTC",
        *,
        source: str | None = None,
        **facts: Any,
    ) -> PostmortemSession:
        """Create a session from already validated values and give it with its id."""
        check_facts(facts, title)
        now = self.clock()
        row = PostmortemSession(
            title=title,
            severity=severity,
            timezone=timezone,
            source=source,
            created_at=now,
            updated_at=now,
            **facts,
        )
        self.insert(row)
        return row

    def get(self, session_id: int) -> PostmortemSession:
        """The session with this id; NotFound if there is none."""
        return self.must_get(PostmortemSession, session_id, "session")

    def matching(self, query: str = "") -> list[PostmortemSession]:
        """All sessions, newest incident first; `query` filters on title, severity, status and
        summary."""
        stmt = select(PostmortemSession)
        for word in query.split():
            # Any case, on both backends (PostgreSQL's LIKE is case-sensitive); `%`, `_` and
            # `\` are matched as typed (PostgreSQL takes a backslash as LIKE's escape).
            stmt = stmt.where(
                sa.or_(
                    *(
                        col(column).icontains(word, autoescape=True)
                        for column in (
                            PostmortemSession.title,
                            PostmortemSession.severity,
                            PostmortemSession.status,
                            PostmortemSession.summary,
                        )
                    )
                )
            )
        stmt = stmt.order_by(
            sa.func.coalesce(
                col(PostmortemSession.started_at), col(PostmortemSession.created_at)
            ).desc(),
            col(PostmortemSession.id).desc(),
        )
        return list(self.db.exec(stmt).all())

    def find_by_source(self, source: str) -> PostmortemSession | None:
        """The first session created from `source` (such as the demo), if any."""
        stmt = select(PostmortemSession).where(PostmortemSession.source == source)
        return self.db.exec(stmt.order_by(col(PostmortemSession.id))).first()

    def update(self, session_id: int, **changes: Any) -> PostmortemSession:
        """Set already validated facts on a session; gives the updated session."""
        check_facts(changes, changes.get("title"))
        row = self.get(session_id)
        for name, value in changes.items():
            setattr(row, name, value)
        if "status" in changes:
            row.status_changed_at = self.clock()
        row.updated_at = self.clock()
        self.db.add(row)
        self.db.flush()
        return row

    def set_milestone(self, session_id: int, name: str, at: datetime | None) -> PostmortemSession:
        """Set (or clear, with None) a milestone fact such as `detected_at`."""
        if name not in MILESTONE_LABELS:
            raise InputError(f"unknown milestone {name!r}")
        return self.update(session_id, **{name: at})

    def delete(self, session_id: int) -> None:
        """Delete a session and everything recorded in it."""
        self.db.delete(self.get(session_id))
