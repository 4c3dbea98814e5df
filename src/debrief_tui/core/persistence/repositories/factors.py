"""Contributing factors: added, promoted from a why-node, edited, deleted; their links."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel import col, select

from debrief_tui.core.factors import check_factor
from debrief_tui.core.persistence.models import Factor, FactorWhy, PostmortemSession, WhyNode
from debrief_tui.core.persistence.repositories.base import Repository
from debrief_tui.core.persistence.repositories.removal import Removed, removing
from debrief_tui.core.reference.data import factor_category_keys
from debrief_tui.core.text import note_text
from debrief_tui.core.whys.rules import check_promotable


class FactorRepository(Repository):
    """A session's contributing factors."""

    def of(self, session_id: int) -> list[Factor]:
        """The session's factors in category order, then in the order they were added."""
        order = {key: i for i, key in enumerate(factor_category_keys())}
        rows = list(self.db.exec(select(Factor).where(Factor.session_id == session_id)).all())
        return sorted(
            rows, key=lambda f: (order.get(f.category, len(order)), f.position, f.id or 0)
        )

    def links(self, session_id: int) -> dict[int, list[int]]:
        """For each factor, the why-nodes it is linked to."""
        stmt = (
            select(FactorWhy)
            .join(Factor, col(Factor.id) == col(FactorWhy.factor_id))
            .where(Factor.session_id == session_id)
            .order_by(col(FactorWhy.factor_id), col(FactorWhy.why_id))  # no order is implied
        )
        links: dict[int, list[int]] = {}
        for link in self.db.exec(stmt).all():
            links.setdefault(link.factor_id, []).append(link.why_id)
        return links

    def add(self, session_id: int, category: str, text: str, why_ids: Sequence[int] = ()) -> Factor:
        """Add a factor in `category`, linked to the given why-nodes."""
        text = check_factor(category, text)
        self.must_get(PostmortemSession, session_id, "session")
        last = self.db.exec(
            select(sa.func.max(Factor.position)).where(Factor.session_id == session_id)
        ).one()
        factor = Factor(
            session_id=session_id,
            category=category,
            text=text,
            position=0 if last is None else last + 1,
        )
        factor_id = self.insert(factor)
        for why_id in why_ids:
            self.db.add(FactorWhy(factor_id=factor_id, why_id=why_id))
        self.touch(session_id)
        return factor

    def promote(self, why_id: int, category: str = "technical") -> tuple[Factor, bool]:
        """A factor for this why-node: the one already linked to it, or a new one with its
        text. Gives (factor, created)."""
        node = self.must_get(WhyNode, why_id, "why")
        check_promotable(node.parent_id is None)
        linked = self.db.exec(
            select(Factor)
            .join(FactorWhy, col(FactorWhy.factor_id) == col(Factor.id))
            .where(FactorWhy.why_id == why_id)
            .order_by(col(Factor.id))
        ).first()
        if linked is not None:
            return linked, False
        return self.add(node.session_id, category, node.text, [why_id]), True

    def update(self, factor_id: int, category: str, text: str) -> Factor:
        """Change a factor's category or text; its links stay."""
        text = check_factor(category, text)
        factor = self.must_get(Factor, factor_id, "factor")
        factor.category, factor.text = category, text
        self.db.add(factor)
        self.touch(factor.session_id)
        return factor

    def set_no_action_note(self, factor_id: int, note: str | None) -> Factor:
        """Record (or clear, with None) that a factor is accepted with no action."""
        factor = self.must_get(Factor, factor_id, "factor")
        factor.no_action_note = note_text(note)
        self.db.add(factor)
        self.touch(factor.session_id)
        return factor

    def delete(self, factor_id: int) -> Removed:
        """Delete a factor; gives it and its links to why-nodes, for undo."""
        factor = self.must_get(Factor, factor_id, "factor")
        links = self.db.exec(select(FactorWhy).where(FactorWhy.factor_id == factor_id)).all()
        removed = removing("factor", factor, [factor, *links])
        self.db.delete(factor)
        self.touch(factor.session_id)
        return removed
