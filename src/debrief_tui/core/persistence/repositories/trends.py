"""What the trends read: compact facts per session, in three queries (the sessions, their
factor categories, their actions counted by status and due date), never the minutes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from debrief_tui.core.actions.follow_ups import CLOSED
from debrief_tui.core.export.trends import ActionTally, IncidentFacts
from debrief_tui.core.persistence.models import Action, Factor, PostmortemSession
from debrief_tui.core.persistence.repositories.base import Repository
from debrief_tui.core.persistence.repositories.history import HistoryRepository
from debrief_tui.core.persistence.sqltypes import utc_value

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


def _due_side(now: datetime) -> Any:
    """An action's due date as far as being overdue at `now` needs it, so that the actions
    of a session fall into a few tallies instead of one per date.

    Today is within a day of UTC's in every zone: a date before the day before is overdue
    everywhere and one after tomorrow nowhere, so those stand in for all the dates on their
    side; only the three days between are judged in the session's zone. A closed action's
    date is never needed.
    """
    today = now.astimezone(UTC).date()
    early, late = today - timedelta(days=1), today + timedelta(days=1)
    due = col(Action.due_date)
    return sa.case(
        (col(Action.status).in_(sorted(CLOSED)), sa.null()),
        (due < early, sa.literal(early - timedelta(days=1), sa.Date)),
        (due > late, sa.literal(late + timedelta(days=1), sa.Date)),
        else_=due,
    ).label("due")


class TrendRepository(Repository):
    """The facts the trends across incidents are computed from."""

    def facts(self, since: date | None = None, now: datetime | None = None) -> list[IncidentFacts]:
        """Each session whose incident may count on `since` or later (every one without it),
        with its factor categories and its actions tallied by status and by whether they are
        overdue at `now` (UTC; the unit's clock without it)."""
        kept = _counted_from(since)
        s = PostmortemSession
        # Plain rows on the connection, not ORM objects, and the times as the driver gives
        # them (read here with `utc_value`): a session's texts are never read, and at 10,000
        # sessions the ORM's rows and its time type took half of the report's time.
        connection = self.db.connection()
        sessions = [
            (sid, severity, zone, *(utc_value(t) for t in times[:5]), method, utc_value(times[5]))
            for sid, severity, zone, method, *times in connection.execute(
                sa.select(  # type: ignore[call-overload]
                    s.id,
                    s.severity,
                    s.timezone,
                    s.detection_method,
                    *(
                        sa.type_coerce(col(c), sa.String)
                        for c in (
                            s.created_at,
                            s.started_at,
                            s.detected_at,
                            s.mitigated_at,
                            s.resolved_at,
                            s.review_at,
                        )
                    ),
                )
                .where(kept)
                .order_by(col(s.id))
            )
        ]
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
        due = _due_side(now or self.clock())
        for session_id, status, when, n in self.db.execute(
            sa.select(Action.session_id, Action.status, due, sa.func.count())  # type: ignore[call-overload]
            .join(s, col(s.id) == col(Action.session_id))
            .where(kept)
            .group_by(col(Action.session_id), col(Action.status), due)
        ).all():
            tallies.setdefault(session_id, []).append(ActionTally(status, when, n))
        first_runs = self.sibling(HistoryRepository).meeting_starts()
        return [
            IncidentFacts(
                session_id=sid,
                severity=severity,
                zone=zone,
                created_at=created,
                started_at=started,
                detected_at=detected,
                mitigated_at=mitigated,
                resolved_at=resolved,
                detection_method=method,
                review_at=review,
                first_run=first_runs.get(sid),
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
                mitigated,
                resolved,
                method,
                review,
            ) in sessions
            if sid is not None
        ]
