"""Links on a session and on its timeline events: read together, replaced as a whole list."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel import col, select

from debrief_tui.core.errors import InputError
from debrief_tui.core.persistence.models import Link, PostmortemSession, TimelineEvent
from debrief_tui.core.persistence.repositories.base import Repository
from debrief_tui.core.timeline.links import MAX_LINKS, LinkRow, check_label, check_url


class LinkRepository(Repository):
    """A session's links and its events' links."""

    def of(self, session_id: int) -> list[Link]:
        """Every link of the session: its own first, then its events', each in its order."""
        stmt = (
            select(Link)
            .where(Link.session_id == session_id)
            .order_by(col(Link.event_id).is_not(None), col(Link.event_id), col(Link.position))
        )
        return list(self.db.exec(stmt).all())

    def by_event(self, session_id: int) -> dict[int, list[LinkRow]]:
        """The links of each of the session's events that has any."""
        found: dict[int, list[LinkRow]] = {}
        for link in self.of(session_id):
            if link.event_id is not None:
                found.setdefault(link.event_id, []).append(LinkRow(link.url, link.label))
        return found

    def of_session(self, session_id: int) -> list[LinkRow]:
        """The session's own links (not its events'), in order."""
        return [LinkRow(link.url, link.label) for link in self.of(session_id) if not link.event_id]

    def set_for_session(self, session_id: int, links: Sequence[LinkRow]) -> int:
        """Make the session's own links these, in this order; gives how many there are."""
        self.must_get(PostmortemSession, session_id, "session")
        count = self._replace(session_id, None, links)
        self.touch(session_id)
        return count

    def set_for_event(self, event_id: int, links: Sequence[LinkRow]) -> None:
        """Make an event's links these, in this order."""
        event = self.must_get(TimelineEvent, event_id, "timeline event")
        self._replace(event.session_id, event_id, links)

    def _replace(self, session_id: int, event_id: int | None, links: Sequence[LinkRow]) -> int:
        checked = list(
            dict.fromkeys(LinkRow(check_url(k.url), check_label(k.label)) for k in links)
        )
        if len(checked) > MAX_LINKS:
            raise InputError(f"at most {MAX_LINKS} links ({len(checked)} given)", "links")
        where = col(Link.event_id) == event_id if event_id else col(Link.event_id).is_(None)
        old = self.db.exec(select(Link).where(Link.session_id == session_id, where)).all()
        if [LinkRow(k.url, k.label) for k in sorted(old, key=lambda k: k.position)] == checked:
            return len(checked)  # unchanged: nothing for other seats to redraw
        if old:
            self.db.execute(sa.delete(Link).where(col(Link.id).in_([k.id for k in old])))
        for position, link in enumerate(checked):
            self.db.add(
                Link(
                    session_id=session_id,
                    event_id=event_id,
                    position=position,
                    url=link.url,
                    label=link.label,
                )
            )
        self.db.flush()
        return len(checked)
