"""Action items: added (answering factors and why-nodes), edited, deleted; their links."""

from __future__ import annotations

import dataclasses
from datetime import date

import sqlalchemy as sa
from sqlmodel import col, select

from debrief_tui.core.actions.follow_ups import CLOSED, Tracked
from debrief_tui.core.actions.items import ActionLinks, ActionRow, check_action
from debrief_tui.core.errors import InputError
from debrief_tui.core.persistence.models import (
    Action,
    ActionFactor,
    ActionWhy,
    Attendee,
    Factor,
    PostmortemSession,
    WhyNode,
)
from debrief_tui.core.persistence.repositories.base import Repository
from debrief_tui.core.persistence.repositories.removal import Removed, removing
from debrief_tui.core.reference.vocab import ACTION_STATUSES


class ActionRepository(Repository):
    """A session's action items."""

    def of(self, session_id: int) -> list[Action]:
        """The session's action items, in the order they were added."""
        stmt = select(Action).where(Action.session_id == session_id).order_by(col(Action.id))
        return list(self.db.exec(stmt).all())

    def everywhere(self, *, open_only: bool = False, due_by: date | None = None) -> list[Tracked]:
        """Every action of every session, with its incident's title, severity and zone and
        the session's attendees (an owner may be named by a team), in two reads.

        `open_only` leaves out the done and dropped ones, `due_by` those due after that day
        or undated: narrowing here spares reading what a follow-up list would drop.
        """
        stmt = (
            sa.select(  # type: ignore[call-overload]
                Action.id,
                Action.session_id,
                PostmortemSession.title,
                PostmortemSession.severity,
                PostmortemSession.timezone,
                Action.text,
                Action.owner,
                Action.due_date,
                Action.priority,
                Action.type,
                Action.status,
                Action.ticket,
                Action.proposal,
            )
            .join(PostmortemSession, col(PostmortemSession.id) == col(Action.session_id))
            .order_by(col(Action.session_id), col(Action.id))
        )
        if open_only:
            stmt = stmt.where(col(Action.status).not_in(CLOSED))
        if due_by is not None:
            stmt = stmt.where(col(Action.due_date) <= due_by)
        # Plain rows, past the ORM's result machinery: a follow-up list reads 50,000.
        connection = self.db.connection()
        rows = connection.execute(stmt).all()
        wanted = {row[1] for row in rows}
        people: dict[int, list[tuple[str, str]]] = {}
        attendees = sa.select(  # type: ignore[call-overload]
            Attendee.session_id, Attendee.name, Attendee.team
        ).order_by(col(Attendee.id))
        for session_id, name, team in connection.execute(attendees).all():
            if session_id in wanted:
                people.setdefault(session_id, []).append((name, team))
        return [
            Tracked(
                action_id=row[0],
                session_id=row[1],
                incident=row[2],
                severity=row[3],
                zone=row[4],
                text=row[5],
                owner=row[6],
                due_date=row[7],
                priority=row[8],
                type=row[9],
                status=row[10],
                ticket=row[11],
                proposal=row[12],
                teams=tuple(people.get(row[1], ())),
            )
            for row in rows
        ]

    def links(self, session_id: int) -> dict[int, ActionLinks]:
        """For each action that has links: the factors and why-nodes it answers."""
        factors = self.db.exec(
            select(ActionFactor.action_id, ActionFactor.factor_id)
            .join(Action, col(Action.id) == col(ActionFactor.action_id))
            .where(Action.session_id == session_id)
        ).all()
        whys = self.db.exec(
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

    def add(self, session_id: int, fields: ActionRow, links: ActionLinks | None = None) -> Action:
        """Add an action item answering the given factors and why-nodes."""
        fields = check_action(fields)
        self.must_get(PostmortemSession, session_id, "session")
        row = Action(session_id=session_id, **dataclasses.asdict(fields))
        self.link(self.insert(row), links or ActionLinks())
        self.touch(session_id)
        return row

    def link(self, action_id: int, links: ActionLinks) -> None:
        """Link an action to the factors and why-nodes it answers (those that exist)."""
        db = self.db
        factors = set(db.exec(select(Factor.id).where(col(Factor.id).in_(links.factor_ids))).all())
        whys = set(db.exec(select(WhyNode.id).where(col(WhyNode.id).in_(links.why_ids))).all())
        for factor_id in dict.fromkeys(links.factor_ids):
            if factor_id in factors:
                db.add(ActionFactor(action_id=action_id, factor_id=factor_id))
        for why_id in dict.fromkeys(links.why_ids):
            if why_id in whys:
                db.add(ActionWhy(action_id=action_id, why_id=why_id))

    def update(self, action_id: int, fields: ActionRow) -> Action:
        """Change an action's fields; its links stay."""
        fields = check_action(fields)
        row = self.must_get(Action, action_id, "action")
        for name, value in dataclasses.asdict(fields).items():
            setattr(row, name, value)
        self.db.add(row)
        self.touch(row.session_id)
        return row

    def set_statuses(self, statuses: dict[int, str]) -> None:
        """Give each action (by id) its new status, all in this one transaction (a ticket
        export read at once: all or nothing)."""
        for action_id, status in statuses.items():
            if status not in ACTION_STATUSES:
                raise InputError(f"status: {status!r} is not one of {', '.join(ACTION_STATUSES)}")
            row = self.must_get(Action, action_id, "action")
            row.status = status
            self.db.add(row)
            self.touch(row.session_id)

    def delete(self, action_id: int) -> Removed:
        """Delete an action; gives it and its links, for undo."""
        row = self.must_get(Action, action_id, "action")
        factor_links = self.db.exec(
            select(ActionFactor).where(ActionFactor.action_id == action_id)
        ).all()
        why_links = self.db.exec(select(ActionWhy).where(ActionWhy.action_id == action_id)).all()
        removed = removing("action", row, [row, *factor_links, *why_links])
        self.db.delete(row)
        self.touch(row.session_id)
        return removed
