"""Timeline events: added one by one or imported in bulk, edited, deleted."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel import col, select

from debrief_tui.core.persistence.models import Link, PostmortemSession, TimelineEvent
from debrief_tui.core.persistence.repositories.base import Repository
from debrief_tui.core.persistence.repositories.links import LinkRepository
from debrief_tui.core.persistence.repositories.removal import Removed, removing
from debrief_tui.core.timeline.events import TimelineRow, author_name, check_event
from debrief_tui.core.timeline.metrics import MILESTONE_LABELS


class TimelineRepository(Repository):
    """A session's timeline events."""

    def of(self, session_id: int) -> list[TimelineEvent]:
        """The session's timeline events in time order."""
        stmt = (
            select(TimelineEvent)
            .where(TimelineEvent.session_id == session_id)
            .order_by(col(TimelineEvent.at), col(TimelineEvent.id))
        )
        return list(self.db.exec(stmt).all())

    def voices(self, session_id: int) -> dict[str, int]:
        """Who spoke during the incident: each author of the session's events, with how many
        events are theirs, most first."""
        stmt = (
            sa.select(TimelineEvent.author, sa.func.count())  # type: ignore[call-overload]
            .where(
                col(TimelineEvent.session_id) == session_id, col(TimelineEvent.author).is_not(None)
            )
            .group_by(col(TimelineEvent.author))
            .order_by(sa.func.count().desc(), col(TimelineEvent.author))
        )
        return {str(author): int(count) for author, count in self.db.execute(stmt).all()}

    def add_many(self, session_id: int, rows: Sequence[TimelineRow]) -> int:
        """Add events all together (all or none); gives how many were added."""
        for row in rows:
            check_event(row.text, row.kind)
        values = [
            {
                "session_id": session_id,
                "at": row.at,
                "text": row.text.strip(),
                "kind": row.kind,
                "key_event": row.key_event,
                "approximate": row.approximate,
                "author": author_name(row.author),
            }
            for row in rows
        ]
        self.must_get(PostmortemSession, session_id, "session")
        if values:
            self.db.execute(sa.insert(TimelineEvent), values)
        self.touch(session_id)
        return len(values)

    def add(self, session_id: int, row: TimelineRow) -> TimelineEvent:
        """Add one event and give it with its id."""
        check_event(row.text, row.kind)
        self.must_get(PostmortemSession, session_id, "session")
        event = TimelineEvent(
            session_id=session_id,
            at=row.at,
            text=row.text.strip(),
            kind=row.kind,
            key_event=row.key_event,
            approximate=row.approximate,
            author=author_name(row.author),
        )
        event_id = self.insert(event)
        if row.links:
            self.sibling(LinkRepository).set_for_event(event_id, row.links)
        self.touch(session_id)
        return event

    def update(self, event_id: int, row: TimelineRow) -> TimelineEvent:
        """Change an event. Milestones set at its old time move with it to the new time; its
        author stays unless the row names one."""
        check_event(row.text, row.kind)
        event = self.must_get(TimelineEvent, event_id, "timeline event")
        if event.at != row.at:
            session = self.must_get(PostmortemSession, event.session_id, "session")
            for name in MILESTONE_LABELS:
                if getattr(session, name) == event.at:
                    setattr(session, name, row.at)
            self.db.add(session)
        event.at, event.text, event.kind = row.at, row.text.strip(), row.kind
        event.key_event, event.approximate = row.key_event, row.approximate
        if row.author is not None:
            event.author = author_name(row.author)
        if row.links is not None:
            self.sibling(LinkRepository).set_for_event(event_id, row.links)
        self.db.add(event)
        self.touch(event.session_id)
        self.db.flush()
        return event

    def delete(self, event_id: int) -> Removed:
        """Delete an event (milestones stay) and its links; gives what undo needs to bring
        them back."""
        event = self.must_get(TimelineEvent, event_id, "timeline event")
        links = self.db.exec(select(Link).where(Link.event_id == event_id)).all()
        removed = removing("event", event, [event, *links])
        self.db.delete(event)
        self.touch(event.session_id)
        return removed
