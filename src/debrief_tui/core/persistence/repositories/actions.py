"""Action items: added (answering factors and why-nodes), edited, deleted; their links."""

from __future__ import annotations

import dataclasses
from datetime import date

import sqlalchemy as sa
from sqlmodel import col, select

from debrief_tui.core.actions.follow_ups import FollowUpChange, Tracked, check_follow_up
from debrief_tui.core.actions.items import ActionLinks, ActionRow, check_action
from debrief_tui.core.errors import InputError
from debrief_tui.core.persistence.models import (
    Action,
    ActionFactor,
    ActionWhy,
    ChangeLog,
    Factor,
    PostmortemSession,
    WhyNode,
)
from debrief_tui.core.persistence.repositories.base import Repository
from debrief_tui.core.persistence.repositories.removal import Removed, removing
from debrief_tui.core.persistence.tracked import read_tracked
from debrief_tui.core.reference.vocab import ACTION_STATUSES


class ActionRepository(Repository):
    """A session's action items."""

    def of(self, session_id: int) -> list[Action]:
        """The session's action items, in the order they were added."""
        stmt = select(Action).where(Action.session_id == session_id).order_by(col(Action.id))
        return list(self.db.exec(stmt).all())

    def everywhere(self, *, closed: bool = True, due_by: date | None = None) -> list[Tracked]:
        """Every action of every session, as `tracked.read_tracked` reads them (the Follow-ups
        screen opens on this, over 50,000 actions at the scale it is built for)."""
        return read_tracked(self.plain, closed=closed, due_by=due_by)

    def last_change(self) -> int:
        """The number of the newest change any seat logged (0 for none): what `everywhere`
        reads after this stays current until `changed_since` it says otherwise."""
        return self.db.exec(select(sa.func.max(ChangeLog.seq))).one() or 0

    def changed_since(self, seq: int) -> bool:
        """Whether an action, a session or an attendee (what `everywhere` reads) changed
        after change number `seq`. Only the rows after it are looked at: the log grows with
        every minute and heartbeat, and this is asked each time the Follow-ups screen shows."""
        kinds = ("action", "session", "attendee")
        stmt = (
            select(ChangeLog.seq)
            .where(col(ChangeLog.seq) > seq, col(ChangeLog.kind).in_(kinds))
            .limit(1)
        )
        return self.db.exec(stmt).first() is not None

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

    def follow_up(self, action_id: int, change: FollowUpChange) -> FollowUpChange:
        """Change one field a follow-up changes in place (status, owner or due date), leaving
        the others as they are stored (another seat may have just edited the text); gives the
        change back to its old value, for undo."""
        row = self.must_get(Action, action_id, "action")
        value = check_follow_up(change)
        before = FollowUpChange(change.field, getattr(row, change.field))
        setattr(row, change.field, value)
        self.db.add(row)
        self.touch(row.session_id)
        return before

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
