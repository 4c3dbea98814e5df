"""Across sessions: what similarity compares ("have we seen this before?") and when each
meeting's clock first started (for the review's timeliness), each read in a few queries
whatever the number of sessions."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select

from debrief_tui.core.persistence.models import (
    Action,
    Factor,
    PostmortemSession,
    StageRun,
    WhyNode,
)
from debrief_tui.core.persistence.repositories.base import Repository
from debrief_tui.core.persistence.sqltypes import utc_value
from debrief_tui.core.sessions.similar import Match, PastAction, SessionFacts, similar_sessions


class HistoryRepository(Repository):
    """Reads over every session, for learning across incidents."""

    def facts(self) -> list[SessionFacts]:
        """Every session's services, factor categories and root causes, in three queries."""
        categories: dict[int, list[str]] = {}
        for session_id, category in self.db.exec(
            select(Factor.session_id, Factor.category)
            .distinct()
            .order_by(col(Factor.session_id), col(Factor.category))
        ).all():
            categories.setdefault(session_id, []).append(category)
        causes: dict[int, list[str]] = {}
        for session_id, text in self.db.exec(
            select(WhyNode.session_id, WhyNode.text)
            .where(col(WhyNode.root_cause))
            .order_by(col(WhyNode.session_id), col(WhyNode.id))
        ).all():
            if text.strip():
                causes.setdefault(session_id, []).append(text)
        # Seven columns, not whole rows: SQLModel's `select` types at most four.
        rows = self.db.execute(
            sa.select(
                col(PostmortemSession.id),
                col(PostmortemSession.title),
                col(PostmortemSession.severity),
                col(PostmortemSession.status),
                col(PostmortemSession.started_at),
                col(PostmortemSession.timezone),
                col(PostmortemSession.services_affected),
            ).order_by(col(PostmortemSession.id))
        ).all()
        return [
            SessionFacts(
                session_id=session_id or 0,
                title=title,
                severity=severity,
                status=status,
                started_at=started_at,
                zone=zone,
                services=services,
                categories=tuple(categories.get(session_id or 0, ())),
                root_causes=tuple(causes.get(session_id or 0, ())),
            )
            for session_id, title, severity, status, started_at, zone, services in rows
        ]

    def seen_before(self, session_id: int, limit: int = 5) -> list[Match]:
        """The past sessions most like this one (see `similar_sessions`), each with its
        actions; NotFound if the session does not exist."""
        self.must_get(PostmortemSession, session_id, "session")
        everything = self.facts()
        this = next(f for f in everything if f.session_id == session_id)
        matches = similar_sessions(this, everything, limit)
        actions = self.actions_of([m.past.session_id for m in matches])
        return [
            dataclasses.replace(m, actions=tuple(actions.get(m.past.session_id, ())))
            for m in matches
        ]

    def actions_of(self, session_ids: Collection[int]) -> dict[int, list[PastAction]]:
        """The actions (not proposals) of the given sessions, by session, oldest first."""
        found: dict[int, list[PastAction]] = {}
        if not session_ids:
            return found
        for sid, text, owner, status in self.db.exec(
            select(Action.session_id, Action.text, Action.owner, Action.status)
            .where(col(Action.session_id).in_(list(session_ids)), ~col(Action.proposal))
            .order_by(col(Action.session_id), col(Action.id))
        ).all():
            found.setdefault(sid, []).append(PastAction(text, owner, status))
        return found

    def meeting_starts(self, session_ids: Collection[int] | None = None) -> dict[int, datetime]:
        """When each session's meeting clock first started (its first stage run), for the
        sessions named (all by default); a session never run is left out."""
        stmt = select(StageRun.session_id, sa.func.min(StageRun.started_at)).group_by(
            col(StageRun.session_id)
        )
        if session_ids is not None:
            stmt = stmt.where(col(StageRun.session_id).in_(list(session_ids)))
        return {
            session_id: utc_value(first)
            for session_id, first in self.db.exec(stmt).all()
            if first is not None
        }
