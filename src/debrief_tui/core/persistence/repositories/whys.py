"""The 5 Whys tree: its root (the problem statement), answers, marks, order and deletion."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col, select

from debrief_tui.core.errors import NotFound
from debrief_tui.core.persistence.changes import note
from debrief_tui.core.persistence.models import (
    ActionWhy,
    Factor,
    FactorWhy,
    PostmortemSession,
    WhyNode,
)
from debrief_tui.core.persistence.repositories.base import Repository, touching
from debrief_tui.core.persistence.repositories.removal import Removed, removing
from debrief_tui.core.text import note_text
from debrief_tui.core.whys.rules import answer_text, check_deletable, check_root_cause


class WhyRepository(Repository):
    """A session's 5 Whys tree."""

    def of(self, session_id: int) -> list[WhyNode]:
        """Every node of the session's tree, in sibling order."""
        stmt = (
            select(WhyNode)
            .where(WhyNode.session_id == session_id)
            .order_by(col(WhyNode.position), col(WhyNode.id))
        )
        return list(self.db.exec(stmt).all())

    def ensure_root(self, session_id: int) -> WhyNode:
        """The tree's root, created on first use from the session's problem statement (else
        its summary)."""
        root = self.db.exec(
            select(WhyNode).where(
                WhyNode.session_id == session_id, col(WhyNode.parent_id).is_(None)
            )
        ).first()
        if root is not None:
            return root
        session = self.must_get(PostmortemSession, session_id, "session")
        text = (session.problem_statement or session.summary or session.title).strip()
        root = WhyNode(session_id=session_id, parent_id=None, text=text)
        self.insert(root)
        return root

    def add(self, parent_id: int, text: str, after: int | None = None) -> WhyNode:
        """Answer "why?" of `parent_id`: a new child, last, or right after sibling `after`."""
        text = answer_text(text)
        if after is None:
            return self._append(parent_id, text)
        parent = self.must_get(WhyNode, parent_id, "why")
        siblings = self._children(parent_id)
        index = next((i for i, n in enumerate(siblings) if n.id == after), len(siblings) - 1)
        position = index + 1
        for i, sibling in enumerate(siblings):
            sibling.position = i if i < position else i + 1
            self.db.add(sibling)
        node = WhyNode(
            session_id=parent.session_id, parent_id=parent_id, text=text, position=position
        )
        self.insert(node)
        self.touch(parent.session_id)
        return node

    def _append(self, parent_id: int, text: str) -> WhyNode:
        """A new last child, in three plain statements: adding answers is what the room does
        most, and the ORM's unit of work was most of its time."""
        table = WhyNode.__table__  # type: ignore[attr-defined]
        conn = self.db.connection()
        found = conn.execute(
            sa.select(
                table.c.session_id,
                sa.select(sa.func.count()).where(table.c.parent_id == parent_id).scalar_subquery(),
            ).where(table.c.id == parent_id)
        ).first()
        if found is None:
            raise NotFound(f"no why with id {parent_id}", "why")
        session_id, position = found
        inserted = conn.execute(
            table.insert().values(
                session_id=session_id, parent_id=parent_id, text=text, position=position
            )
        )
        key = inserted.inserted_primary_key
        assert key is not None
        conn.execute(touching(session_id, self.clock))
        note(self.db, "why", session_id, key[0], "add")
        return WhyNode(
            id=key[0], session_id=session_id, parent_id=parent_id, text=text, position=position
        )

    def _children(self, parent_id: int | None, session_id: int | None = None) -> list[WhyNode]:
        where = (
            col(WhyNode.parent_id).is_(None)
            if parent_id is None
            else col(WhyNode.parent_id) == parent_id
        )
        stmt = select(WhyNode).where(where)
        if session_id is not None:
            stmt = stmt.where(WhyNode.session_id == session_id)
        return list(self.db.exec(stmt.order_by(col(WhyNode.position), col(WhyNode.id))).all())

    def edit(self, node_id: int, text: str) -> WhyNode:
        """Change a node's text; for the root, this is the session's problem statement."""
        text = answer_text(text)
        node = self.must_get(WhyNode, node_id, "why")
        node.text = text
        self.db.add(node)
        if node.parent_id is None:
            session = self.must_get(PostmortemSession, node.session_id, "session")
            session.problem_statement = text
            self.db.add(session)
        self.touch(node.session_id)
        return node

    def set_root_cause(self, node_id: int, root_cause: bool) -> WhyNode:
        """Mark or unmark a node as a root cause."""
        node = self.must_get(WhyNode, node_id, "why")
        check_root_cause(node.parent_id is None, root_cause)
        node.root_cause = root_cause
        self.db.add(node)
        self.touch(node.session_id)
        return node

    def set_no_action_note(self, node_id: int, note: str | None) -> WhyNode:
        """Record (or clear, with None) that a cause is accepted with no action."""
        node = self.must_get(WhyNode, node_id, "why")
        node.no_action_note = note_text(note)
        self.db.add(node)
        self.touch(node.session_id)
        return node

    def move(self, node_id: int, step: int) -> bool:
        """Move a node up (-1) or down (+1) among its siblings; False at either end."""
        node = self.must_get(WhyNode, node_id, "why")
        moved = self.move_within(self._children(node.parent_id, node.session_id), node_id, step)
        if moved:
            self.touch(node.session_id)
        return moved

    def delete(self, node_id: int) -> Removed:
        """Delete a node and everything under it; gives them (with their links) for undo."""
        node = self.must_get(WhyNode, node_id, "why")
        check_deletable(node.parent_id is None)
        every = self.db.exec(select(WhyNode).where(WhyNode.session_id == node.session_id)).all()
        children: dict[int | None, list[WhyNode]] = {}
        for each in every:
            children.setdefault(each.parent_id, []).append(each)
        nodes, stack = [], [node]
        while stack:  # parents before their answers, so they go back in that order
            current = stack.pop()
            nodes.append(current)
            stack.extend(children.get(current.id, []))
        ids = [n.id for n in nodes]
        factor_links = self.db.exec(select(FactorWhy).where(col(FactorWhy.why_id).in_(ids))).all()
        action_links = self.db.exec(select(ActionWhy).where(col(ActionWhy.why_id).in_(ids))).all()
        removed = removing("why", node, [*nodes, *factor_links, *action_links])
        self.db.delete(node)  # the rest goes with it (ON DELETE CASCADE)
        self.touch(node.session_id)
        return removed

    def answered(self, session_id: int) -> set[int]:
        """Ids of why-nodes that a factor or an action already answers, or that are accepted
        with no action."""
        by_factor = self.db.exec(
            select(FactorWhy.why_id)
            .join(Factor, col(Factor.id) == col(FactorWhy.factor_id))
            .where(Factor.session_id == session_id)
        ).all()
        by_action = self.db.exec(
            select(ActionWhy.why_id)
            .join(WhyNode, col(WhyNode.id) == col(ActionWhy.why_id))
            .where(WhyNode.session_id == session_id)
        ).all()
        accepted = self.db.exec(
            select(WhyNode.id).where(
                WhyNode.session_id == session_id, col(WhyNode.no_action_note).is_not(None)
            )
        ).all()
        return set(by_factor) | set(by_action) | {i for i in accepted if i is not None}
