"""Attendees: the people in the meeting, with their team and role."""

from __future__ import annotations

from sqlmodel import col, select

from debrief_tui.core.persistence.models import Attendee, PostmortemSession
from debrief_tui.core.persistence.repositories.base import Repository
from debrief_tui.core.sessions.rules import check_attendee


class AttendeeRepository(Repository):
    """The people in a session's meeting."""

    def of(self, session_id: int) -> list[Attendee]:
        """The session's attendees, in the order they were added."""
        stmt = select(Attendee).where(Attendee.session_id == session_id).order_by(col(Attendee.id))
        return list(self.db.exec(stmt).all())

    def add(self, session_id: int, name: str, team: str = "", role: str = "responder") -> Attendee:
        """Add an attendee to a session."""
        name, team, role = check_attendee(name, team, role)
        self.must_get(PostmortemSession, session_id, "session")
        row = Attendee(session_id=session_id, name=name, team=team, role=role)
        self.insert(row)
        self.touch(session_id)
        return row

    def update(self, attendee_id: int, name: str, team: str, role: str) -> Attendee:
        """Change an attendee's name, team and role."""
        name, team, role = check_attendee(name, team, role)
        row = self.must_get(Attendee, attendee_id, "attendee")
        row.name, row.team, row.role = name, team, role
        self.db.add(row)
        self.touch(row.session_id)
        return row

    def delete(self, attendee_id: int) -> None:
        """Remove an attendee from their session."""
        row = self.must_get(Attendee, attendee_id, "attendee")
        self.db.delete(row)
        self.touch(row.session_id)
