"""Lessons: three lists (went well, went wrong, lucky), each in its own order."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col, select

from debrief_tui.core.lessons import check_lesson
from debrief_tui.core.persistence.models import Lesson, PostmortemSession
from debrief_tui.core.persistence.repositories.base import Repository
from debrief_tui.core.persistence.repositories.removal import Removed, removing
from debrief_tui.core.reference.vocab import LESSON_KINDS


class LessonRepository(Repository):
    """A session's lessons."""

    def of(self, session_id: int) -> list[Lesson]:
        """The lessons: went well, went wrong, lucky; each list in its own order."""
        order = {kind: i for i, kind in enumerate(LESSON_KINDS)}
        rows = list(self.db.exec(select(Lesson).where(Lesson.session_id == session_id)).all())
        return sorted(rows, key=lambda r: (order.get(r.kind, 99), r.position, r.id or 0))

    def add(self, session_id: int, kind: str, text: str) -> Lesson:
        """Add a lesson at the end of its list."""
        kind, text = check_lesson(kind, text)
        self.must_get(PostmortemSession, session_id, "session")
        row = Lesson(
            session_id=session_id, kind=kind, text=text, position=self._end(session_id, kind)
        )
        self.insert(row)
        self.touch(session_id)
        return row

    def _end(self, session_id: int, kind: str) -> int:
        """The position after the last lesson of a list (a deletion may leave a gap)."""
        stmt = select(sa.func.max(Lesson.position)).where(
            Lesson.session_id == session_id, Lesson.kind == kind
        )
        last = self.db.exec(stmt).one()
        return 0 if last is None else last + 1

    def _in_list(self, session_id: int, kind: str) -> list[Lesson]:
        stmt = (
            select(Lesson)
            .where(Lesson.session_id == session_id, Lesson.kind == kind)
            .order_by(col(Lesson.position), col(Lesson.id))
        )
        return list(self.db.exec(stmt).all())

    def update(self, lesson_id: int, kind: str, text: str) -> Lesson:
        """Change a lesson's text or list (moving to another list puts it at its end)."""
        kind, text = check_lesson(kind, text)
        row = self.must_get(Lesson, lesson_id, "lesson")
        if kind != row.kind:
            old_kind, row.position = row.kind, self._end(row.session_id, kind)
            row.kind = kind
            self.db.add(row)
            self.db.flush()
            self.renumber(self._in_list(row.session_id, old_kind))
        row.text = text
        self.db.add(row)
        self.touch(row.session_id)
        return row

    def move(self, lesson_id: int, step: int) -> bool:
        """Move a lesson up (-1) or down (+1) in its list; False at either end."""
        row = self.must_get(Lesson, lesson_id, "lesson")
        moved = self.move_within(self._in_list(row.session_id, row.kind), lesson_id, step)
        if moved:
            self.touch(row.session_id)
        return moved

    def delete(self, lesson_id: int) -> Removed:
        """Delete a lesson; gives it for undo. The others keep their positions, so the lesson
        goes back where it was."""
        row = self.must_get(Lesson, lesson_id, "lesson")
        removed = removing("lesson", row, [row])
        self.db.delete(row)
        self.touch(row.session_id)
        return removed
