"""The store: every read and write of session data goes through here.

Each public method is one unit of work with its own database session, committed before it
returns, so what a user confirmed is on disk when the UI shows it. Objects come back detached
and fully loaded, safe to hand to the UI or another thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, col, select

from debrief_tui.core.document import Document
from debrief_tui.core.facts import FIELDS_BY_NAME, InputError
from debrief_tui.core.models import Attendee, PostmortemSession, TimelineEvent
from debrief_tui.core.vocab import ROLES

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


class NotFound(LookupError):
    """A session or item that does not exist (any more)."""


class Store:
    """Repository functions over one database engine."""

    def __init__(self, engine: sa.Engine, clock: Clock = utc_now) -> None:
        self.engine = engine
        self.clock = clock
        # An engine with one shared connection (an in-memory database) cannot run two
        # transactions at once, so units from the UI thread and from workers take turns.
        shared = isinstance(engine.pool, StaticPool)
        self._turn: AbstractContextManager[object] = threading.Lock() if shared else nullcontext()

    @contextmanager
    def _unit(self) -> Iterator[Session]:
        with self._turn, Session(self.engine, expire_on_commit=False) as db:
            try:
                yield db
                db.commit()
            except BaseException:
                db.rollback()
                raise

    # Sessions -----------------------------------------------------------------------------

    def create_session(
        self,
        title: str,
        severity: str,
        timezone: str = "UTC",
        *,
        source: str | None = None,
        **facts: Any,
    ) -> PostmortemSession:
        """Create a session from already validated values and return it with its id."""
        with self._unit() as db:
            return self._create_session(db, title, severity, timezone, source, facts)

    def _create_session(
        self,
        db: Session,
        title: str,
        severity: str,
        timezone: str,
        source: str | None,
        facts: dict[str, Any],
    ) -> PostmortemSession:
        if not title.strip():
            raise InputError("a title is needed", "title")
        unknown = set(facts) - set(FIELDS_BY_NAME)
        if unknown:
            raise InputError(f"unknown fact(s): {', '.join(sorted(unknown))}")
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
        db.add(row)
        db.flush()
        return row

    def get_session(self, session_id: int) -> PostmortemSession:
        """The session with this id; NotFound if there is none."""
        with self._unit() as db:
            row = db.get(PostmortemSession, session_id)
            if row is None:
                raise NotFound(f"no session with id {session_id}")
            return row

    def list_sessions(self, query: str = "") -> list[PostmortemSession]:
        """All sessions, newest incident first; `query` filters on title, severity and status."""
        stmt = select(PostmortemSession)
        for word in query.split():
            like = f"%{word}%"
            stmt = stmt.where(
                sa.or_(
                    col(PostmortemSession.title).ilike(like),
                    col(PostmortemSession.severity).ilike(like),
                    col(PostmortemSession.status).ilike(like),
                    col(PostmortemSession.summary).ilike(like),
                )
            )
        stmt = stmt.order_by(
            sa.func.coalesce(
                col(PostmortemSession.started_at), col(PostmortemSession.created_at)
            ).desc(),
            col(PostmortemSession.id).desc(),
        )
        with self._unit() as db:
            return list(db.exec(stmt).all())

    def find_session_by_source(self, source: str) -> PostmortemSession | None:
        """The first session created from `source` (such as the demo), if any."""
        stmt = select(PostmortemSession).where(PostmortemSession.source == source)
        with self._unit() as db:
            return db.exec(stmt.order_by(col(PostmortemSession.id))).first()

    def update_session(self, session_id: int, **changes: Any) -> PostmortemSession:
        """Set already validated facts on a session and commit; returns the updated session."""
        unknown = set(changes) - set(FIELDS_BY_NAME)
        if unknown:
            raise InputError(f"unknown fact(s): {', '.join(sorted(unknown))}")
        if "title" in changes and not str(changes["title"]).strip():
            raise InputError("a title is needed", "title")
        with self._unit() as db:
            row = db.get(PostmortemSession, session_id)
            if row is None:
                raise NotFound(f"no session with id {session_id}")
            for name, value in changes.items():
                setattr(row, name, value)
            if "status" in changes:
                row.status_changed_at = self.clock()
            row.updated_at = self.clock()
            db.add(row)
            return row

    def delete_session(self, session_id: int) -> None:
        """Delete a session and everything recorded in it."""
        with self._unit() as db:
            row = db.get(PostmortemSession, session_id)
            if row is None:
                raise NotFound(f"no session with id {session_id}")
            db.delete(row)

    # Attendees ----------------------------------------------------------------------------

    def list_attendees(self, session_id: int) -> list[Attendee]:
        """The session's attendees, in the order they were added."""
        stmt = select(Attendee).where(Attendee.session_id == session_id).order_by(col(Attendee.id))
        with self._unit() as db:
            return list(db.exec(stmt).all())

    def add_attendee(
        self, session_id: int, name: str, team: str = "", role: str = "responder"
    ) -> Attendee:
        """Add an attendee to a session."""
        name, team, role = _check_attendee(name, team, role)
        with self._unit() as db:
            if db.get(PostmortemSession, session_id) is None:
                raise NotFound(f"no session with id {session_id}")
            row = Attendee(session_id=session_id, name=name, team=team, role=role)
            db.add(row)
            self._touch(db, session_id)
            db.flush()
            return row

    def update_attendee(self, attendee_id: int, name: str, team: str, role: str) -> Attendee:
        """Change an attendee's name, team and role."""
        name, team, role = _check_attendee(name, team, role)
        with self._unit() as db:
            row = db.get(Attendee, attendee_id)
            if row is None:
                raise NotFound(f"no attendee with id {attendee_id}")
            row.name, row.team, row.role = name, team, role
            db.add(row)
            self._touch(db, row.session_id)
            return row

    def delete_attendee(self, attendee_id: int) -> None:
        """Remove an attendee from their session."""
        with self._unit() as db:
            row = db.get(Attendee, attendee_id)
            if row is None:
                raise NotFound(f"no attendee with id {attendee_id}")
            db.delete(row)
            self._touch(db, row.session_id)

    # Timeline -----------------------------------------------------------------------------

    def list_timeline(self, session_id: int) -> list[TimelineEvent]:
        """The session's timeline events in time order."""
        stmt = (
            select(TimelineEvent)
            .where(TimelineEvent.session_id == session_id)
            .order_by(col(TimelineEvent.at), col(TimelineEvent.id))
        )
        with self._unit() as db:
            return list(db.exec(stmt).all())

    # Whole documents ----------------------------------------------------------------------

    def create_from_document(self, doc: Document) -> PostmortemSession:
        """Create a session with its attendees and timeline in one transaction."""
        with self._unit() as db:
            row = self._create_session(
                db, doc.title, doc.severity, doc.timezone, doc.source, dict(doc.facts)
            )
            assert row.id is not None
            for name, team, role in doc.attendees:
                db.add(Attendee(session_id=row.id, name=name, team=team, role=role))
            for event in doc.timeline:
                db.add(
                    TimelineEvent(
                        session_id=row.id,
                        at=event.at,
                        text=event.text,
                        kind=event.kind,
                        key_event=event.key_event,
                        approximate=event.approximate,
                    )
                )
            return row

    def _touch(self, db: Session, session_id: int) -> None:
        db.execute(
            sa.update(PostmortemSession)
            .where(col(PostmortemSession.id) == session_id)
            .values(updated_at=self.clock())
        )


def _check_attendee(name: str, team: str, role: str) -> tuple[str, str, str]:
    name, team, role = name.strip(), team.strip(), role.strip().lower()
    if not name:
        raise InputError("an attendee needs a name", "name")
    if role not in ROLES:
        raise InputError(f"unknown role {role!r} (choose from {', '.join(ROLES)})", "role")
    return name, team, role
