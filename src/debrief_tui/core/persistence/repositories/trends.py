"""What the trends read: compact facts per session, in three queries (the sessions, their
factor categories, their actions counted by status and due date), never the minutes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from debrief_tui.core.export.trends import ActionTally, IncidentFacts
from debrief_tui.core.persistence.models import Action, Factor, PostmortemSession
from debrief_tui.core.persistence.repositories.base import Repository

# A session's day is judged in its own zone, up to 14 hours ahead of UTC: the database keeps
# a day more than asked for, and `compute_trends` drops what falls before `since` there.
_ZONE_SLACK = timedelta(days=1)


def _counted_from(since: date | None) -> Any:
    """A condition keeping the sessions whose incident day may be on `since` or later."""
    if since is None:
        return sa.true()
    cut = datetime.combine(since, time(), tzinfo=UTC) - _ZONE_SLACK
    started, detected = col(PostmortemSession.started_at), col(PostmortemSession.detected_at)
    created = col(PostmortemSession.created_at)
    return sa.or_(
        started >= cut,
        sa.and_(started.is_(None), detected >= cut),
        sa.and_(started.is_(None), detected.is_(None), created >= cut),
    )


class TrendRepository(Repository):
    """The facts the trends across incidents are computed from."""

    def facts(self, since: date | None = None) -> list[IncidentFacts]:
        """Each session whose incident may count on `since` or later (every one without it),
        with its factor categories and its actions tallied by status and due date."""
        kept = _counted_from(since)
        s = PostmortemSession
        # Plain rows, not ORM objects: a session's texts (summary, problem) are never read.
        sessions = self.db.execute(
            sa.select(  # type: ignore[call-overload, misc]
                s.id,
                s.severity,
                s.timezone,
                s.created_at,
                s.started_at,
                s.detected_at,
                s.acknowledged_at,
                s.mitigated_at,
                s.resolved_at,
                s.detection_method,
                s.review_at,
            )
            .where(kept)
            .order_by(col(s.id))
        ).all()
        categories: dict[int, list[str]] = {}
        for session_id, category in self.db.exec(
            select(Factor.session_id, Factor.category)
            .join(s, col(s.id) == col(Factor.session_id))
            .where(kept)
            .distinct()
            .order_by(col(Factor.session_id), col(Factor.category))
        ).all():
            categories.setdefault(session_id, []).append(category)
        tallies: dict[int, list[ActionTally]] = {}
        count = sa.func.count()
        for session_id, status, due, n in self.db.execute(
            sa.select(Action.session_id, Action.status, Action.due_date, count)  # type: ignore[call-overload]
            .join(s, col(s.id) == col(Action.session_id))
            .where(kept)
            .group_by(col(Action.session_id), col(Action.status), col(Action.due_date))
        ).all():
            tallies.setdefault(session_id, []).append(ActionTally(status, due, n))
        return [
            IncidentFacts(
                session_id=sid,
                severity=severity,
                zone=zone,
                created_at=created,
                started_at=started,
                detected_at=detected,
                acknowledged_at=acknowledged,
                mitigated_at=mitigated,
                resolved_at=resolved,
                detection_method=method,
                review_at=review,
                categories=tuple(categories.get(sid, ())),
                actions=tuple(tallies.get(sid, ())),
            )
            for (
                sid,
                severity,
                zone,
                created,
                started,
                detected,
                acknowledged,
                mitigated,
                resolved,
                method,
                review,
            ) in sessions
            if sid is not None
        ]
