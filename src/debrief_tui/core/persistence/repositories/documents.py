"""Whole sessions from a document (the demo incident, `debrief load`): all or nothing."""

from __future__ import annotations

import dataclasses

from debrief_tui.core.actions.items import ActionLinks, check_action
from debrief_tui.core.export.document import Document
from debrief_tui.core.persistence.models import (
    Action,
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
from debrief_tui.core.persistence.repositories.actions import ActionRepository
from debrief_tui.core.persistence.repositories.base import Repository
from debrief_tui.core.persistence.repositories.links import LinkRepository
from debrief_tui.core.persistence.repositories.sessions import SessionRepository


class DocumentRepository(Repository):
    """Sessions created whole from documents."""

    def create(self, doc: Document) -> PostmortemSession:
        """Create a session with everything in the document (all in this transaction)."""
        db = self.db
        row = SessionRepository(db, self.clock).create(
            doc.title, doc.severity, doc.timezone, source=doc.source, **dict(doc.facts)
        )
        assert row.id is not None
        for name, team, role in doc.attendees:
            db.add(Attendee(session_id=row.id, name=name, team=team, role=role))
        links = LinkRepository(db, self.clock)
        if doc.links:
            links.set_for_session(row.id, doc.links)
        for event in doc.timeline:
            added = TimelineEvent(
                session_id=row.id,
                at=event.at,
                text=event.text,
                kind=event.kind,
                key_event=event.key_event,
                approximate=event.approximate,
                author=event.author,
            )
            db.add(added)
            if event.links:
                db.flush()
                assert added.id is not None
                links.set_for_event(added.id, event.links)
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
        self._add_analysis(row.id, doc)
        return row

    def _add_analysis(self, session_id: int, doc: Document) -> None:
        """The 5 Whys, factors, lessons and actions of a document, its ids mapped to new ones."""
        db = self.db
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
                why_ids[why.ref] = self.insert(node)
                if parent is None:
                    session = self.must_get(PostmortemSession, session_id, "session")
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
            factor_ids[item.ref] = factor_id = self.insert(factor)
            for ref in item.why_refs:
                db.add(FactorWhy(factor_id=factor_id, why_id=why_ids[ref]))
        counts: dict[str, int] = {}
        for kind, text in doc.lessons:
            db.add(
                Lesson(session_id=session_id, kind=kind, text=text, position=counts.get(kind, 0))
            )
            counts[kind] = counts.get(kind, 0) + 1
        for linked in doc.actions:
            fields = dataclasses.asdict(check_action(linked.fields))
            action = Action(session_id=session_id, **fields)
            action_id = self.insert(action)
            links = ActionLinks(
                tuple(factor_ids[r] for r in linked.factor_refs),
                tuple(why_ids[r] for r in linked.why_refs),
            )
            ActionRepository(db, self.clock).link(action_id, links)
