"""The store: every read and write of session data goes through here.

Each public method is one unit of work with its own database session, committed before it
returns, so what a user confirmed is on disk when the UI shows it. Objects come back detached
and fully loaded, safe to hand to the UI or another thread.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime
from typing import Any, NamedTuple, TypeVar

import sqlalchemy as sa
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, col, select

from debrief_tui.core.clock import Clock, utc_now
from debrief_tui.core.errors import NotFound
from debrief_tui.core.export.document import Document
from debrief_tui.core.persistence.models import (
    Action,
    ActionFactor,
    ActionWhy,
    Attendee,
    Factor,
    FactorWhy,
    Lesson,
    Minute,
    ParkingItem,
    PostmortemSession,
    StageRun,
    TimelineEvent,
    WhyNode,
)
from debrief_tui.core.reference.data import event_kind_keys, factor_category_keys
from debrief_tui.core.reference.vocab import (
    ACTION_PRIORITIES,
    ACTION_STATUSES,
    ACTION_TYPES,
    LESSON_KINDS,
    ROLES,
)
from debrief_tui.core.sessions.facts import FIELDS_BY_NAME, InputError
from debrief_tui.core.store_types import ActionLinks, ActionRow, MinuteLine, TimelineRow
from debrief_tui.core.timeline.metrics import MILESTONE_LABELS

__all__ = ["Clock", "NotFound", "Store", "utc_now"]

_Row = TypeVar("_Row", bound=SQLModel)


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

    @contextmanager
    def _statements(self) -> Iterator[sa.Connection]:
        """One transaction of plain SQL statements, committed on leaving: for the few writes
        done on every keystroke-paced action, where building an ORM session cost more than
        the statements themselves."""
        with self._turn, self.engine.begin() as conn:
            yield conn

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
            row = _must_get(db, PostmortemSession, session_id, "session")
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
            row = _must_get(db, PostmortemSession, session_id, "session")
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
            row = _must_get(db, PostmortemSession, session_id, "session")
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
            row = _must_get(db, Attendee, attendee_id, "attendee")
            row.name, row.team, row.role = name, team, role
            db.add(row)
            self._touch(db, row.session_id)
            return row

    def delete_attendee(self, attendee_id: int) -> None:
        """Remove an attendee from their session."""
        with self._unit() as db:
            row = _must_get(db, Attendee, attendee_id, "attendee")
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

    def add_timeline_events(self, session_id: int, rows: Sequence[TimelineRow]) -> int:
        """Add events in one transaction (all or none); returns how many were added."""
        for row in rows:
            _check_event(row.text, row.kind)
        values = [
            {
                "session_id": session_id,
                "at": row.at,
                "text": row.text.strip(),
                "kind": row.kind,
                "key_event": row.key_event,
                "approximate": row.approximate,
            }
            for row in rows
        ]
        with self._unit() as db:
            _must_get(db, PostmortemSession, session_id, "session")
            if values:
                db.execute(sa.insert(TimelineEvent), values)
            self._touch(db, session_id)
        return len(values)

    def add_timeline_event(self, session_id: int, row: TimelineRow) -> TimelineEvent:
        """Add one event and return it with its id."""
        _check_event(row.text, row.kind)
        with self._unit() as db:
            _must_get(db, PostmortemSession, session_id, "session")
            event = TimelineEvent(
                session_id=session_id,
                at=row.at,
                text=row.text.strip(),
                kind=row.kind,
                key_event=row.key_event,
                approximate=row.approximate,
            )
            db.add(event)
            self._touch(db, session_id)
            db.flush()
            return event

    def update_timeline_event(self, event_id: int, row: TimelineRow) -> TimelineEvent:
        """Change an event. Milestones set at its old time move with it to the new time."""
        _check_event(row.text, row.kind)
        with self._unit() as db:
            event = _must_get(db, TimelineEvent, event_id, "timeline event")
            if event.at != row.at:
                session = _must_get(db, PostmortemSession, event.session_id, "session")
                for name in MILESTONE_LABELS:
                    if getattr(session, name) == event.at:
                        setattr(session, name, row.at)
                db.add(session)
            event.at, event.text, event.kind = row.at, row.text.strip(), row.kind
            event.key_event, event.approximate = row.key_event, row.approximate
            db.add(event)
            self._touch(db, event.session_id)
            return event

    def delete_timeline_event(self, event_id: int) -> TimelineEvent:
        """Delete an event and return it, so it can be restored (undo). Milestones stay."""
        with self._unit() as db:
            event = _must_get(db, TimelineEvent, event_id, "timeline event")
            db.delete(event)
            self._touch(db, event.session_id)
            return event

    def restore_timeline_event(self, event: TimelineEvent) -> TimelineEvent:
        """Put a deleted event back as it was, with its id."""
        with self._unit() as db:
            row = TimelineEvent.model_validate(event.model_dump())
            db.add(row)
            self._touch(db, event.session_id)
            db.flush()
            return row

    def set_milestone(self, session_id: int, name: str, at: datetime | None) -> PostmortemSession:
        """Set (or clear, with None) a milestone fact such as `detected_at`."""
        if name not in MILESTONE_LABELS:
            raise InputError(f"unknown milestone {name!r}")
        return self.update_session(session_id, **{name: at})

    # 5 Whys -------------------------------------------------------------------------------

    def list_whys(self, session_id: int) -> list[WhyNode]:
        """Every node of the session's 5 Whys tree, in sibling order."""
        stmt = (
            select(WhyNode)
            .where(WhyNode.session_id == session_id)
            .order_by(col(WhyNode.position), col(WhyNode.id))
        )
        with self._unit() as db:
            return list(db.exec(stmt).all())

    def problem_statement(self, session_id: int) -> WhyNode:
        """The tree's root: created on first use from the problem statement, else the summary."""
        with self._unit() as db:
            root = db.exec(
                select(WhyNode).where(
                    WhyNode.session_id == session_id, col(WhyNode.parent_id).is_(None)
                )
            ).first()
            if root is not None:
                return root
            session = _must_get(db, PostmortemSession, session_id, "session")
            text = (session.problem_statement or session.summary or session.title).strip()
            root = WhyNode(session_id=session_id, parent_id=None, text=text)
            db.add(root)
            db.flush()
            return root

    def add_why(self, parent_id: int, text: str, after: int | None = None) -> WhyNode:
        """Answer "why?" of `parent_id`: a new child, last, or right after sibling `after`."""
        text = _why_text(text)
        if after is None:
            return self._append_why(parent_id, text)
        with self._unit() as db:
            parent = _must_get(db, WhyNode, parent_id, "why")
            siblings = list(
                db.exec(
                    select(WhyNode)
                    .where(WhyNode.parent_id == parent_id)
                    .order_by(col(WhyNode.position), col(WhyNode.id))
                ).all()
            )
            index = next((i for i, n in enumerate(siblings) if n.id == after), len(siblings) - 1)
            position = index + 1
            for i, sibling in enumerate(siblings):
                sibling.position = i if i < position else i + 1
                db.add(sibling)
            node = WhyNode(
                session_id=parent.session_id, parent_id=parent_id, text=text, position=position
            )
            db.add(node)
            self._touch(db, parent.session_id)
            db.flush()
            return node

    def _append_why(self, parent_id: int, text: str) -> WhyNode:
        """A new last child, in three statements: adding answers is what the room does most,
        and the ORM's unit of work was most of its time."""
        table = WhyNode.__table__  # type: ignore[attr-defined]
        with self._statements() as conn:
            found = conn.execute(
                sa.select(
                    table.c.session_id,
                    sa.select(sa.func.count())
                    .where(table.c.parent_id == parent_id)
                    .scalar_subquery(),
                ).where(table.c.id == parent_id)
            ).first()
            if found is None:
                raise NotFound(f"no why with id {parent_id}")
            session_id, position = found
            inserted = conn.execute(
                table.insert().values(
                    session_id=session_id, parent_id=parent_id, text=text, position=position
                )
            )
            key = inserted.inserted_primary_key
            assert key is not None
            new_id = key[0]
            conn.execute(self._touching(session_id))
        return WhyNode(
            id=new_id, session_id=session_id, parent_id=parent_id, text=text, position=position
        )

    def edit_why(self, node_id: int, text: str) -> WhyNode:
        """Change a node's text; for the root, this is the session's problem statement."""
        text = _why_text(text)
        with self._unit() as db:
            node = _must_get(db, WhyNode, node_id, "why")
            node.text = text
            db.add(node)
            if node.parent_id is None:
                session = _must_get(db, PostmortemSession, node.session_id, "session")
                session.problem_statement = text
                db.add(session)
            self._touch(db, node.session_id)
            return node

    def set_root_cause(self, node_id: int, root_cause: bool) -> WhyNode:
        """Mark or unmark a node as a root cause (the problem statement cannot be one)."""
        with self._unit() as db:
            node = _must_get(db, WhyNode, node_id, "why")
            if node.parent_id is None and root_cause:
                raise InputError("the problem statement itself cannot be a root cause")
            node.root_cause = root_cause
            db.add(node)
            self._touch(db, node.session_id)
            return node

    def move_why(self, node_id: int, step: int) -> bool:
        """Move a node up (-1) or down (+1) among its siblings; False at either end."""
        with self._unit() as db:
            node = _must_get(db, WhyNode, node_id, "why")
            siblings = list(
                db.exec(
                    select(WhyNode)
                    .where(
                        WhyNode.session_id == node.session_id,
                        col(WhyNode.parent_id).is_(None)
                        if node.parent_id is None
                        else WhyNode.parent_id == node.parent_id,
                    )
                    .order_by(col(WhyNode.position), col(WhyNode.id))
                ).all()
            )
            index = next(i for i, n in enumerate(siblings) if n.id == node_id)
            target = index + step
            if not 0 <= target < len(siblings):
                return False
            siblings[index], siblings[target] = siblings[target], siblings[index]
            for i, sibling in enumerate(siblings):
                sibling.position = i
                db.add(sibling)
            self._touch(db, node.session_id)
            return True

    def delete_why(self, node_id: int) -> WhySubtree:
        """Delete a node and everything under it; returns them (with their links) for undo."""
        with self._unit() as db:
            node = _must_get(db, WhyNode, node_id, "why")
            if node.parent_id is None:
                raise InputError("the problem statement cannot be deleted; edit it instead")
            all_nodes = db.exec(select(WhyNode).where(WhyNode.session_id == node.session_id)).all()
            children: dict[int | None, list[WhyNode]] = {}
            for n in all_nodes:
                children.setdefault(n.parent_id, []).append(n)
            rows, stack = [], [node]
            while stack:
                current = stack.pop()
                rows.append(current)
                stack.extend(children.get(current.id, []))
            ids = [n.id for n in rows]
            factor_links = list(
                db.exec(select(FactorWhy).where(col(FactorWhy.why_id).in_(ids))).all()
            )
            action_links = list(
                db.exec(select(ActionWhy).where(col(ActionWhy.why_id).in_(ids))).all()
            )
            saved = WhySubtree(
                [WhyNode.model_validate(n.model_dump()) for n in rows],
                [(link.factor_id, link.why_id) for link in factor_links],
                [(link.action_id, link.why_id) for link in action_links],
            )
            db.delete(node)  # the rest goes with it (ON DELETE CASCADE)
            self._touch(db, node.session_id)
            return saved

    def restore_why(self, saved: WhySubtree) -> None:
        """Put a deleted subtree back as it was: ids, order and links."""
        with self._unit() as db:
            for node in saved.nodes:  # parents come before their children
                db.add(WhyNode.model_validate(node.model_dump()))
                db.flush()
            existing_factors = set(db.exec(select(Factor.id)).all())
            for factor_id, why_id in saved.factor_links:
                if factor_id in existing_factors:
                    db.add(FactorWhy(factor_id=factor_id, why_id=why_id))
            for action_id, why_id in saved.action_links:
                db.add(ActionWhy(action_id=action_id, why_id=why_id))
            if saved.nodes:
                self._touch(db, saved.nodes[0].session_id)

    # Contributing factors -----------------------------------------------------------------

    def list_factors(self, session_id: int) -> list[Factor]:
        """The session's factors in category order, then in the order they were added."""
        order = {key: i for i, key in enumerate(factor_category_keys())}
        stmt = select(Factor).where(Factor.session_id == session_id)
        with self._unit() as db:
            rows = list(db.exec(stmt).all())
        return sorted(
            rows, key=lambda f: (order.get(f.category, len(order)), f.position, f.id or 0)
        )

    def factor_links(self, session_id: int) -> dict[int, list[int]]:
        """For each factor, the why-nodes it is linked to."""
        stmt = (
            select(FactorWhy)
            .join(Factor, col(Factor.id) == col(FactorWhy.factor_id))
            .where(Factor.session_id == session_id)
        )
        links: dict[int, list[int]] = {}
        with self._unit() as db:
            for link in db.exec(stmt).all():
                links.setdefault(link.factor_id, []).append(link.why_id)
        return links

    def answered_whys(self, session_id: int) -> set[int]:
        """Ids of why-nodes that a factor or an action already answers, or that are accepted
        with no action."""
        with self._unit() as db:
            by_factor = db.exec(
                select(FactorWhy.why_id)
                .join(Factor, col(Factor.id) == col(FactorWhy.factor_id))
                .where(Factor.session_id == session_id)
            ).all()
            by_action = db.exec(
                select(ActionWhy.why_id)
                .join(WhyNode, col(WhyNode.id) == col(ActionWhy.why_id))
                .where(WhyNode.session_id == session_id)
            ).all()
            accepted = db.exec(
                select(WhyNode.id).where(
                    WhyNode.session_id == session_id, col(WhyNode.no_action_note).is_not(None)
                )
            ).all()
        return set(by_factor) | set(by_action) | {i for i in accepted if i is not None}

    def add_factor(
        self, session_id: int, category: str, text: str, why_ids: Sequence[int] = ()
    ) -> Factor:
        """Add a factor in `category`, linked to the given why-nodes."""
        _check_factor(category, text)
        with self._unit() as db:
            _must_get(db, PostmortemSession, session_id, "session")
            count = len(db.exec(select(Factor.id).where(Factor.session_id == session_id)).all())
            factor = Factor(
                session_id=session_id, category=category, text=text.strip(), position=count
            )
            factor_id = _insert(db, factor)
            for why_id in why_ids:
                db.add(FactorWhy(factor_id=factor_id, why_id=why_id))
            self._touch(db, session_id)
            return factor

    def promote_why(self, why_id: int, category: str = "technical") -> tuple[Factor, bool]:
        """A factor for this why-node: the one already linked to it, or a new one with its
        text. Returns (factor, created)."""
        with self._unit() as db:
            node = _must_get(db, WhyNode, why_id, "why")
            if node.parent_id is None:
                raise InputError("the problem statement is not a cause: promote an answer below it")
            linked = db.exec(
                select(Factor)
                .join(FactorWhy, col(FactorWhy.factor_id) == col(Factor.id))
                .where(FactorWhy.why_id == why_id)
            ).first()
        if linked is not None:
            return linked, False
        return self.add_factor(node.session_id, category, node.text, [why_id]), True

    def update_factor(self, factor_id: int, category: str, text: str) -> Factor:
        """Change a factor's category or text; its links stay."""
        _check_factor(category, text)
        with self._unit() as db:
            factor = _must_get(db, Factor, factor_id, "factor")
            factor.category, factor.text = category, text.strip()
            db.add(factor)
            self._touch(db, factor.session_id)
            return factor

    def delete_factor(self, factor_id: int) -> tuple[Factor, list[int]]:
        """Delete a factor; returns it and its why-links, so it can be restored (undo)."""
        with self._unit() as db:
            factor = _must_get(db, Factor, factor_id, "factor")
            links = list(
                db.exec(select(FactorWhy.why_id).where(FactorWhy.factor_id == factor_id)).all()
            )
            db.delete(factor)
            self._touch(db, factor.session_id)
            return factor, links

    def restore_factor(self, factor: Factor, why_ids: Sequence[int]) -> Factor:
        """Put a deleted factor back with its id and the links whose nodes still exist."""
        with self._unit() as db:
            row = Factor.model_validate(factor.model_dump())
            db.add(row)
            db.flush()
            existing = set(
                db.exec(select(WhyNode.id).where(col(WhyNode.id).in_(list(why_ids)))).all()
            )
            for why_id in why_ids:
                if why_id in existing:
                    db.add(FactorWhy(factor_id=factor.id or 0, why_id=why_id))
            self._touch(db, factor.session_id)
            return row

    def set_no_action_note(self, what: str, row_id: int, note: str | None) -> WhyNode | Factor:
        """Record (or clear, with None or blank) that a root cause or factor is accepted
        with no action: `what` is "why" or "factor"."""
        model: type[WhyNode] | type[Factor] = WhyNode if what == "why" else Factor
        note = " ".join((note or "").split()) or None
        with self._unit() as db:
            row = _must_get(db, model, row_id, what)
            row.no_action_note = note
            db.add(row)
            self._touch(db, row.session_id)
            return row

    # Lessons ------------------------------------------------------------------------------

    def list_lessons(self, session_id: int) -> list[Lesson]:
        """The lessons: went well, went wrong, lucky; each list in its own order."""
        order = {kind: i for i, kind in enumerate(LESSON_KINDS)}
        with self._unit() as db:
            rows = list(db.exec(select(Lesson).where(Lesson.session_id == session_id)).all())
        return sorted(rows, key=lambda r: (order.get(r.kind, 99), r.position, r.id or 0))

    def add_lesson(self, session_id: int, kind: str, text: str) -> Lesson:
        """Add a lesson at the end of its list."""
        kind, text = _check_lesson(kind, text)
        with self._unit() as db:
            _must_get(db, PostmortemSession, session_id, "session")
            row = Lesson(
                session_id=session_id,
                kind=kind,
                text=text,
                position=self._count_lessons(db, session_id, kind),
            )
            db.add(row)
            self._touch(db, session_id)
            db.flush()
            return row

    @staticmethod
    def _count_lessons(db: Session, session_id: int, kind: str) -> int:
        stmt = select(sa.func.count()).where(Lesson.session_id == session_id, Lesson.kind == kind)
        return int(db.exec(stmt).one())

    def update_lesson(self, lesson_id: int, kind: str, text: str) -> Lesson:
        """Change a lesson's text or list (moving to another list puts it at its end)."""
        kind, text = _check_lesson(kind, text)
        with self._unit() as db:
            row = _must_get(db, Lesson, lesson_id, "lesson")
            if kind != row.kind:
                position = self._count_lessons(db, row.session_id, kind)
                old_kind, row.kind, row.position = row.kind, kind, position
                db.add(row)
                db.flush()
                self._renumber_lessons(db, row.session_id, old_kind)
            row.text = text
            db.add(row)
            self._touch(db, row.session_id)
            return row

    def _renumber_lessons(self, db: Session, session_id: int, kind: str) -> None:
        stmt = (
            select(Lesson)
            .where(Lesson.session_id == session_id, Lesson.kind == kind)
            .order_by(col(Lesson.position), col(Lesson.id))
        )
        for i, row in enumerate(db.exec(stmt).all()):
            row.position = i
            db.add(row)

    def move_lesson(self, lesson_id: int, step: int) -> bool:
        """Move a lesson up (-1) or down (+1) in its list; False at either end."""
        with self._unit() as db:
            row = _must_get(db, Lesson, lesson_id, "lesson")
            stmt = (
                select(Lesson)
                .where(Lesson.session_id == row.session_id, Lesson.kind == row.kind)
                .order_by(col(Lesson.position), col(Lesson.id))
            )
            rows = list(db.exec(stmt).all())
            index = next(i for i, r in enumerate(rows) if r.id == lesson_id)
            target = index + step
            if not 0 <= target < len(rows):
                return False
            rows[index], rows[target] = rows[target], rows[index]
            for i, other in enumerate(rows):
                other.position = i
                db.add(other)
            self._touch(db, row.session_id)
            return True

    def delete_lesson(self, lesson_id: int) -> Lesson:
        """Delete a lesson; returns it for undo."""
        with self._unit() as db:
            row = _must_get(db, Lesson, lesson_id, "lesson")
            db.delete(row)
            db.flush()
            self._renumber_lessons(db, row.session_id, row.kind)
            self._touch(db, row.session_id)
            return row

    def restore_lesson(self, lesson: Lesson) -> Lesson:
        """Put a deleted lesson back where it was in its list."""
        with self._unit() as db:
            stmt = select(Lesson).where(
                Lesson.session_id == lesson.session_id,
                Lesson.kind == lesson.kind,
                col(Lesson.position) >= lesson.position,
            )
            for later in db.exec(stmt).all():
                later.position += 1
                db.add(later)
            row = Lesson.model_validate(lesson.model_dump())
            db.add(row)
            self._touch(db, lesson.session_id)
            db.flush()
            return row

    # Actions ------------------------------------------------------------------------------

    def list_actions(self, session_id: int) -> list[Action]:
        """The session's action items, in the order they were added."""
        stmt = select(Action).where(Action.session_id == session_id).order_by(col(Action.id))
        with self._unit() as db:
            return list(db.exec(stmt).all())

    def action_links(self, session_id: int) -> dict[int, ActionLinks]:
        """For each action that has links: the factors and why-nodes it answers."""
        with self._unit() as db:
            factors = db.exec(
                select(ActionFactor.action_id, ActionFactor.factor_id)
                .join(Action, col(Action.id) == col(ActionFactor.action_id))
                .where(Action.session_id == session_id)
            ).all()
            whys = db.exec(
                select(ActionWhy.action_id, ActionWhy.why_id)
                .join(Action, col(Action.id) == col(ActionWhy.action_id))
                .where(Action.session_id == session_id)
            ).all()
        found: dict[int, tuple[list[int], list[int]]] = {}
        for action_id, factor_id in factors:
            found.setdefault(action_id, ([], []))[0].append(factor_id)
        for action_id, why_id in whys:
            found.setdefault(action_id, ([], []))[1].append(why_id)
        return {k: ActionLinks(tuple(sorted(f)), tuple(sorted(w))) for k, (f, w) in found.items()}

    def add_action(
        self, session_id: int, fields: ActionRow, links: ActionLinks | None = None
    ) -> Action:
        """Add an action item answering the given factors and why-nodes."""
        fields = _check_action(fields)
        with self._unit() as db:
            _must_get(db, PostmortemSession, session_id, "session")
            row = Action(session_id=session_id, **_action_values(fields))
            self._link_action(db, _insert(db, row), links or ActionLinks())
            self._touch(db, session_id)
            return row

    @staticmethod
    def _link_action(db: Session, action_id: int, links: ActionLinks) -> None:
        factors = set(db.exec(select(Factor.id).where(col(Factor.id).in_(links.factor_ids))).all())
        whys = set(db.exec(select(WhyNode.id).where(col(WhyNode.id).in_(links.why_ids))).all())
        for factor_id in dict.fromkeys(links.factor_ids):
            if factor_id in factors:
                db.add(ActionFactor(action_id=action_id, factor_id=factor_id))
        for why_id in dict.fromkeys(links.why_ids):
            if why_id in whys:
                db.add(ActionWhy(action_id=action_id, why_id=why_id))

    def update_action(self, action_id: int, fields: ActionRow) -> Action:
        """Change an action's fields; its links stay."""
        fields = _check_action(fields)
        with self._unit() as db:
            row = _must_get(db, Action, action_id, "action")
            for name, value in _action_values(fields).items():
                setattr(row, name, value)
            db.add(row)
            self._touch(db, row.session_id)
            return row

    def delete_action(self, action_id: int) -> tuple[Action, ActionLinks]:
        """Delete an action; returns it and its links, for undo."""
        with self._unit() as db:
            row = _must_get(db, Action, action_id, "action")
            links = ActionLinks(
                tuple(
                    db.exec(
                        select(ActionFactor.factor_id).where(ActionFactor.action_id == action_id)
                    ).all()
                ),
                tuple(
                    db.exec(select(ActionWhy.why_id).where(ActionWhy.action_id == action_id)).all()
                ),
            )
            db.delete(row)
            self._touch(db, row.session_id)
            return row, links

    def restore_action(self, action: Action, links: ActionLinks) -> Action:
        """Put a deleted action back with its id and the links whose targets still exist."""
        with self._unit() as db:
            row = Action.model_validate(action.model_dump())
            self._link_action(db, _insert(db, row), links)
            self._touch(db, action.session_id)
            return row

    # Meeting state ------------------------------------------------------------------------

    def set_meeting_state(
        self, session_id: int, *, current_stage: str | None = None, agenda_path: str | None = None
    ) -> None:
        """Remember the stage the meeting is on, or the session's own agenda file."""
        values: dict[str, Any] = {}
        if current_stage is not None:
            values["current_stage"] = current_stage
        if agenda_path is not None:
            values["agenda_path"] = agenda_path or None
        if not values:
            return
        with self._unit() as db:
            db.execute(
                sa.update(PostmortemSession)
                .where(col(PostmortemSession.id) == session_id)
                .values(**values)
            )

    def start_stage_run(self, session_id: int, stage: str, at: datetime) -> StageRun:
        """Record that the meeting entered (or resumed) a stage at `at`."""
        with self._unit() as db:
            run = StageRun(session_id=session_id, stage=stage, started_at=at, ended_at=at)
            db.add(run)
            db.flush()
            return run

    def touch_stage_run(self, run_id: int, at: datetime) -> None:
        """Move the end of a stage run forward to `at` (a beat while it runs, or its end)."""
        with self._unit() as db:
            db.execute(sa.update(StageRun).where(col(StageRun.id) == run_id).values(ended_at=at))

    def list_stage_runs(self, session_id: int) -> list[StageRun]:
        """Every recorded stage run of a session, oldest first."""
        stmt = (
            select(StageRun)
            .where(StageRun.session_id == session_id)
            .order_by(col(StageRun.started_at), col(StageRun.id))
        )
        with self._unit() as db:
            return list(db.exec(stmt).all())

    # Minutes ------------------------------------------------------------------------------

    def add_minutes(
        self, session_id: int, stage: str, lines: list[tuple[str | None, str]], at: datetime
    ) -> list[Minute]:
        """Save minutes (author, text) in one transaction; they are on disk when this returns."""
        rows = [
            Minute(session_id=session_id, stage=stage, author=author, text=text, at=at)
            for author, text in lines
        ]
        with self._unit() as db:
            db.add_all(rows)
            db.flush()
            return rows

    def list_minutes(self, session_id: int) -> list[Minute]:
        """All minutes of a session in the order they were taken."""
        stmt = (
            select(Minute)
            .where(Minute.session_id == session_id)
            .order_by(col(Minute.at), col(Minute.id))
        )
        with self._unit() as db:
            return list(db.exec(stmt).all())

    def minute_rows(self, session_id: int) -> list[MinuteLine]:
        """The minutes as plain rows, for exports: reading tens of thousands as ORM objects
        took most of an export's time."""
        stmt = (
            sa.select(Minute.at, Minute.stage, Minute.author, Minute.text)  # type: ignore[call-overload]
            .where(col(Minute.session_id) == session_id)
            .order_by(col(Minute.at), col(Minute.id))
        )
        with self._unit() as db:
            return [MinuteLine(*row) for row in db.execute(stmt).all()]

    def update_minute(self, minute_id: int, author: str | None, text: str) -> Minute:
        """Correct a minute's speaker and text."""
        if not text.strip():
            raise InputError("a minute needs some text")
        with self._unit() as db:
            row = _must_get(db, Minute, minute_id, "minute")
            row.author, row.text = author, text
            db.add(row)
            return row

    def delete_minute(self, minute_id: int) -> Minute:
        """Delete a minute and return it, so it can be restored (undo)."""
        with self._unit() as db:
            row = _must_get(db, Minute, minute_id, "minute")
            db.delete(row)
            return row

    def restore_minute(self, minute: Minute) -> Minute:
        """Put a deleted minute back as it was, with its id and time."""
        with self._unit() as db:
            row = Minute.model_validate(minute.model_dump())
            db.add(row)
            db.flush()
            return row

    # Parking lot --------------------------------------------------------------------------

    def add_parking_item(self, session_id: int, text: str, stage: str) -> ParkingItem:
        """Park a topic for later."""
        if not text.strip():
            raise InputError("nothing to park: type the topic or select an item")
        with self._unit() as db:
            row = ParkingItem(
                session_id=session_id, text=text.strip(), stage=stage, created_at=self.clock()
            )
            db.add(row)
            db.flush()
            return row

    def list_parking(self, session_id: int) -> list[ParkingItem]:
        """The parking lot, oldest first."""
        stmt = (
            select(ParkingItem)
            .where(ParkingItem.session_id == session_id)
            .order_by(col(ParkingItem.id))
        )
        with self._unit() as db:
            return list(db.exec(stmt).all())

    def update_parking_item(self, item_id: int, text: str, owner: str) -> ParkingItem:
        """Change a parked topic's text or owner."""
        if not text.strip():
            raise InputError("a parked topic needs some text")
        with self._unit() as db:
            row = _must_get(db, ParkingItem, item_id, "parked topic")
            row.text, row.owner = text.strip(), owner.strip()
            db.add(row)
            return row

    def delete_parking_item(self, item_id: int) -> None:
        """Remove a parked topic."""
        with self._unit() as db:
            row = _must_get(db, ParkingItem, item_id, "parked topic")
            db.delete(row)

    # Whole documents ----------------------------------------------------------------------

    def create_from_document(self, doc: Document) -> PostmortemSession:
        """Create a session with everything in the document, in one transaction."""
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
            for minute in doc.minutes:
                db.add(
                    Minute(
                        session_id=row.id,
                        at=minute.at,
                        stage=minute.stage,
                        author=minute.author,
                        text=minute.text,
                    )
                )
            for parked in doc.parking_lot:
                db.add(
                    ParkingItem(
                        session_id=row.id,
                        text=parked.text,
                        stage=parked.stage,
                        owner=parked.owner,
                        created_at=self.clock(),
                    )
                )
            for run in doc.stage_time:
                db.add(
                    StageRun(
                        session_id=row.id,
                        stage=run.stage,
                        started_at=run.started_at,
                        ended_at=run.ended_at,
                    )
                )
            if doc.status_changed_at is not None:
                row.status_changed_at = doc.status_changed_at
                db.add(row)
            self._add_analysis(db, row.id, doc)
            return row

    def _add_analysis(self, db: Session, session_id: int, doc: Document) -> None:
        """The 5 Whys, factors, lessons and actions of a document, its ids mapped to new ones."""
        why_ids: dict[int, int] = {}
        positions: dict[int | None, int] = {}
        pending = list(doc.whys)
        while pending:  # parents first: a document may list them in any order
            later = []
            for why in pending:
                if why.parent_ref is not None and why.parent_ref not in why_ids:
                    later.append(why)
                    continue
                parent = why_ids.get(why.parent_ref) if why.parent_ref is not None else None
                position = positions.get(parent, 0)
                positions[parent] = position + 1
                node = WhyNode(
                    session_id=session_id,
                    parent_id=parent,
                    text=why.text,
                    root_cause=why.root_cause,
                    position=position,
                    no_action_note=why.no_action_note,
                )
                why_ids[why.ref] = _insert(db, node)
                if parent is None:
                    session = _must_get(db, PostmortemSession, session_id, "session")
                    session.problem_statement = why.text
                    db.add(session)
            pending = later
        factor_ids: dict[int, int] = {}
        for index, item in enumerate(doc.factors):
            factor = Factor(
                session_id=session_id,
                category=item.category,
                text=item.text,
                position=index,
                no_action_note=item.no_action_note,
            )
            factor_ids[item.ref] = factor_id = _insert(db, factor)
            for ref in item.why_refs:
                db.add(FactorWhy(factor_id=factor_id, why_id=why_ids[ref]))
        counts: dict[str, int] = {}
        for kind, text in doc.lessons:
            db.add(
                Lesson(session_id=session_id, kind=kind, text=text, position=counts.get(kind, 0))
            )
            counts[kind] = counts.get(kind, 0) + 1
        for linked in doc.actions:
            action = Action(session_id=session_id, **_action_values(_check_action(linked.fields)))
            action_id = _insert(db, action)
            links = ActionLinks(
                tuple(factor_ids[r] for r in linked.factor_refs),
                tuple(why_ids[r] for r in linked.why_refs),
            )
            self._link_action(db, action_id, links)

    def _touch(self, db: Session, session_id: int) -> None:
        db.execute(self._touching(session_id))

    def _touching(self, session_id: int) -> sa.Update:
        """The statement that marks a session as just changed."""
        return (
            sa.update(PostmortemSession)
            .where(col(PostmortemSession.id) == session_id)
            .values(updated_at=self.clock())
        )


class WhySubtree(NamedTuple):
    """A deleted part of the 5 Whys tree, kept for undo."""

    nodes: list[WhyNode]
    factor_links: list[tuple[int, int]]
    action_links: list[tuple[int, int]]


def _why_text(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise InputError("an answer needs some text")
    if len(text) > 2000:
        raise InputError("an answer is at most 2,000 characters")
    return text


def _check_factor(category: str, text: str) -> None:
    if not text.strip():
        raise InputError("a factor needs some text", "text")
    if category not in factor_category_keys():
        raise InputError(
            f"unknown category {category!r} (one of {', '.join(factor_category_keys())})",
            "category",
        )


def _check_lesson(kind: str, text: str) -> tuple[str, str]:
    text = " ".join(text.split())
    if not text:
        raise InputError("a lesson needs some text", "text")
    if kind not in LESSON_KINDS:
        raise InputError(f"unknown list {kind!r} (one of {', '.join(LESSON_KINDS)})", "kind")
    return kind, text


def _check_action(fields: ActionRow) -> ActionRow:
    text = " ".join(fields.text.split())
    if not text:
        raise InputError("an action needs a description", "text")
    for value, allowed, name in (
        (fields.priority, ACTION_PRIORITIES, "priority"),
        (fields.type, ACTION_TYPES, "type"),
        (fields.status, ACTION_STATUSES, "status"),
    ):
        if value not in allowed:
            raise InputError(f"unknown {name} {value!r} (one of {', '.join(allowed)})", name)
    return ActionRow(
        text,
        " ".join(fields.owner.split()),
        fields.due_date,
        fields.priority,
        fields.type,
        fields.status,
        fields.ticket.strip(),
        fields.proposal,
    )


def _action_values(fields: ActionRow) -> dict[str, Any]:
    return dataclasses.asdict(fields)


def _check_event(text: str, kind: str) -> None:
    if not text.strip():
        raise InputError("an event needs some text", "text")
    if kind not in event_kind_keys():
        raise InputError(f"unknown kind {kind!r} (one of {', '.join(event_kind_keys())})", "kind")


def _must_get(db: Session, model: type[_Row], row_id: int, what: str) -> _Row:
    """The row with this id, or NotFound naming what was looked for."""
    row = db.get(model, row_id)
    if row is None:
        raise NotFound(f"no {what} with id {row_id}")
    return row


def _check_attendee(name: str, team: str, role: str) -> tuple[str, str, str]:
    name, team, role = name.strip(), team.strip(), role.strip().lower()
    if not name:
        raise InputError("an attendee needs a name", "name")
    if role not in ROLES:
        raise InputError(f"unknown role {role!r} (choose from {', '.join(ROLES)})", "role")
    return name, team, role


def _insert(db: Session, row: SQLModel) -> int:
    """Insert `row` now and give its new id, for the rows that link to it."""
    db.add(row)
    db.flush()
    new_id = getattr(row, "id", None)
    assert isinstance(new_id, int)
    return new_id
