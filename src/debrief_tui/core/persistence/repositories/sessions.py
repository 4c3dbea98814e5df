"""Sessions: the incident's facts, created, read, listed, changed and deleted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from debrief_tui.core.errors import InputError
from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.repositories.base import Repository
from debrief_tui.core.persistence.sqltypes import utc_value
from debrief_tui.core.sessions.rules import check_facts
from debrief_tui.core.timeline.metrics import MILESTONE_LABELS


@dataclass
class ListedSession:
    """A session as the session list and `debrief list` show it: what they show, what the
    review's timing is judged by, and when its meeting's clock first started. Times are read
    from the driver's values when first asked for: a list lays out a screenful at a time."""

    id: int
    title: str
    severity: str
    status: str
    timezone: str
    raw_started: datetime | str | None = None
    raw_resolved: datetime | str | None = None
    raw_review: datetime | str | None = None
    raw_first_run: datetime | str | None = None

    @classmethod
    def of(cls, row: PostmortemSession, first_run: datetime | None) -> ListedSession:
        """A stored session, listed."""
        return cls(
            row.id or 0,
            row.title,
            row.severity,
            row.status,
            row.timezone,
            row.started_at,
            row.resolved_at,
            row.review_at,
            first_run,
        )

    @cached_property
    def started_at(self) -> datetime | None:
        """When the incident started (UTC)."""
        return utc_value(self.raw_started)

    @cached_property
    def resolved_at(self) -> datetime | None:
        """When it was resolved (UTC)."""
        return utc_value(self.raw_resolved)

    @cached_property
    def review_at(self) -> datetime | None:
        """The review meeting's date (UTC)."""
        return utc_value(self.raw_review)

    @cached_property
    def first_run(self) -> datetime | None:
        """When the meeting's clock first started (UTC), or None if it never did."""
        return utc_value(self.raw_first_run)


_LISTED = (
    "SELECT id, title, severity, status, timezone, started_at, resolved_at, review_at"
    ' FROM "session" ORDER BY coalesce(started_at, created_at) DESC, id DESC'
)
_FIRST_RUNS = "SELECT session_id, min(started_at) FROM stage_run GROUP BY session_id"


class SessionRepository(Repository):
    """Sessions and their facts."""

    def listed(self) -> list[ListedSession]:
        """Every session, newest incident first (as `matching` orders them), as a list shows
        them: 10,000 sessions in 20 ms on SQLite, against 600 ms as whole rows. (Two reads,
        joined here: joined in SQL they took three times as long.)"""
        first = dict(self.plain(_FIRST_RUNS))
        return [
            ListedSession(
                key, title, severity, status, zone, started, resolved, review, first.get(key)
            )
            for key, title, severity, status, zone, started, resolved, review in self.plain(_LISTED)
        ]

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
