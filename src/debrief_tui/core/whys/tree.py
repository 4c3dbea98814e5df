"""The 5 Whys as a tree: shape, depth, the visible order, and the hints the room sees.

Pure functions over the stored nodes; nothing here reads or writes the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from debrief_tui.core.wording import check_wording

if TYPE_CHECKING:
    from debrief_tui.core.persistence.models import WhyNode

TARGET_DEPTH = 5
"""How deep a branch should go before it stops without a root cause."""


class WhyTree:
    """The nodes of one session's tree, indexed for walking."""

    def __init__(self, nodes: Iterable[WhyNode]) -> None:
        self.nodes: dict[int, WhyNode] = {n.id: n for n in nodes if n.id is not None}
        self.children: dict[int | None, list[int]] = {}
        for node in sorted(self.nodes.values(), key=lambda n: (n.position, n.id or 0)):
            self.children.setdefault(node.parent_id, []).append(node.id or 0)
        roots = self.children.get(None, [])
        self.root: int | None = roots[0] if roots else None

    def depth(self, node_id: int) -> int:
        """0 for the problem statement, then 1 for each why asked below it."""
        depth, node = 0, self.nodes[node_id]
        while node.parent_id is not None and node.parent_id in self.nodes:
            depth += 1
            node = self.nodes[node.parent_id]
        return depth

    def path(self, node_id: int) -> list[int]:
        """The ids from the problem statement down to `node_id`."""
        out = [node_id]
        node = self.nodes[node_id]
        while node.parent_id is not None and node.parent_id in self.nodes:
            out.append(node.parent_id)
            node = self.nodes[node.parent_id]
        return out[::-1]

    def subtree(self, node_id: int) -> list[int]:
        """`node_id` and everything below it, parents before children."""
        out, stack = [], [node_id]
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(reversed(self.children.get(current, [])))
        return out

    def visible(self, collapsed: set[int]) -> list[tuple[int, int]]:
        """(node id, depth) in display order, skipping what is under a collapsed node."""
        out: list[tuple[int, int]] = []
        if self.root is None:
            return out
        stack = [(self.root, 0)]
        while stack:
            current, depth = stack.pop()
            out.append((current, depth))
            if current not in collapsed:
                stack.extend((c, depth + 1) for c in reversed(self.children.get(current, [])))
        return out

    def siblings(self, node_id: int) -> list[int]:
        """The node's parent's children, in order (itself included)."""
        return self.children.get(self.nodes[node_id].parent_id, [])

    def add(self, node: WhyNode) -> None:
        """Take in a node just saved under its parent, at its position among the siblings."""
        assert node.id is not None
        self.nodes[node.id] = node
        siblings = self.children.setdefault(node.parent_id, [])
        siblings.insert(min(node.position, len(siblings)), node.id)
        if node.parent_id is None and self.root is None:
            self.root = node.id


class Hint(NamedTuple):
    """Advice shown beside a node; never blocks anything."""

    node_id: int
    text: str


def hints(
    tree: WhyTree,
    answered: set[int],
    attendees: Sequence[str] = (),
) -> list[Hint]:
    """What the room may want to look at again, node by node, in tree order.

    `answered` holds the ids of nodes that already have a contributing factor or an action.
    """
    return hints_for(tree, [n for n, _ in tree.visible(set())], answered, attendees)


def hints_for(
    tree: WhyTree, node_ids: Iterable[int], answered: set[int], attendees: Sequence[str] = ()
) -> list[Hint]:
    """The hints of just these nodes (after a change that touched only them)."""
    out: list[Hint] = []
    for node_id in node_ids:
        if node_id not in tree.nodes:
            continue
        node = tree.nodes[node_id]
        depth = tree.depth(node_id)
        leaf = not tree.children.get(node_id)
        if depth and leaf and depth < TARGET_DEPTH and not node.root_cause:
            out.append(
                Hint(
                    node_id,
                    f"this branch stops at why #{depth} without a root cause: ask why again,"
                    " or mark the root cause with r",
                )
            )
        hits = check_wording(node.text, attendees) if depth else []
        if hits:
            out.append(
                Hint(
                    node_id,
                    f'"{node.text[hits[0].start : hits[0].end]}" looks for blame: ask what made'
                    " the action reasonable at the time",
                )
            )
        if node.root_cause and node_id not in answered:
            out.append(
                Hint(
                    node_id, "root cause with no contributing factor or action yet (f promotes it)"
                )
            )
    return out
