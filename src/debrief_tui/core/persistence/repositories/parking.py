"""The parking lot: topics parked during the meeting, and who owns each."""

from __future__ import annotations

from sqlmodel import col, select

from debrief_tui.core.errors import InputError
from debrief_tui.core.meeting.parking import parked_text
from debrief_tui.core.persistence.models import ParkingItem
from debrief_tui.core.persistence.repositories.base import Repository


class ParkingRepository(Repository):
    """A session's parked topics."""

    def add(self, session_id: int, text: str, stage: str) -> ParkingItem:
        """Park a topic for later."""
        row = ParkingItem(
            session_id=session_id, text=parked_text(text), stage=stage, created_at=self.clock()
        )
        self.insert(row)
        return row

    def of(self, session_id: int) -> list[ParkingItem]:
        """The parking lot, oldest first."""
        stmt = (
            select(ParkingItem)
            .where(ParkingItem.session_id == session_id)
            .order_by(col(ParkingItem.id))
        )
        return list(self.db.exec(stmt).all())

    def update(self, item_id: int, text: str, owner: str) -> ParkingItem:
        """Change a parked topic's text or owner."""
        if not text.strip():
            raise InputError("a parked topic needs some text")
        row = self.must_get(ParkingItem, item_id, "parked topic")
        row.text, row.owner = text.strip(), owner.strip()
        self.db.add(row)
        return row

    def delete(self, item_id: int) -> None:
        """Remove a parked topic."""
        self.db.delete(self.must_get(ParkingItem, item_id, "parked topic"))
