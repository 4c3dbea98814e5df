"""The 5 Whys tree on screen: every answer wraps, the path to the selection stands out.

A Line API view: the rows of the visible nodes are laid out once per change of the tree (or of
the width), and moving the selection only repaints, so it keeps up at a thousand nodes.
"""

from __future__ import annotations

import textwrap
from typing import ClassVar, NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from debrief_tui.core.text import printable
from debrief_tui.core.whys import WhyTree

_PLAIN = Style()
_LABEL = Style(dim=True)
_PATH = Style(bold=True)
_CURSOR = Style(bold=True, reverse=True)
_ROOT_CAUSE = Style(bold=True, color="#ff5f56")
_FACTOR = Style(color="cyan")
_HINT = Style(bold=True, color="#ffb000")


class _Row(NamedTuple):
    node_id: int
    indent: str
    label: str
    text: str
    marks: tuple[tuple[str, Style], ...]


class WhyTreeView(ScrollView, can_focus=True):
    """The tree, drawn from the problem statement down; its keys act on the selected node."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "screen.ask_why", "Ask why", id="ask-why"),
        Binding("s", "screen.add_sibling", "Sibling", id="add-sibling"),
        Binding("e,enter", "screen.edit_why", "Edit", id="edit-why"),
        Binding("r", "screen.toggle_root_cause", "Root cause", id="root-cause"),
        Binding("d,delete", "screen.delete_why", "Delete", id="delete-why"),
        Binding("u", "screen.undo_why", "Undo", id="undo-why"),
        Binding("f", "screen.promote_why", "To factor", id="promote-why"),
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("left", "collapse", "Collapse", show=False),
        Binding("right", "expand", "Expand", show=False),
        Binding("shift+up", "screen.move_why(-1)", "Move up", show=False),
        Binding("shift+down", "screen.move_why(1)", "Move down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
    ]

    selected: reactive[int | None] = reactive(None, repaint=False)
    """The selected node's id."""

    class Selected(Message):
        """The selection moved to another node."""

        def __init__(self, node_id: int | None) -> None:
            super().__init__()
            self.node_id = node_id

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.whys = WhyTree([])
        self.collapsed: set[int] = set()
        self._marks: dict[int, tuple[tuple[str, Style], ...]] = {}
        self._rows: list[_Row] = []
        self._first_row: dict[int, int] = {}
        self._order: list[int] = []
        self._path: set[int] = set()
        self._width = 0
        self._wrapped: dict[tuple[str, int], list[str]] = {}

    # Data ---------------------------------------------------------------------------------

    def show(
        self,
        tree: WhyTree,
        root_causes_answered: set[int],
        factor_of: dict[int, str],
        hinted: set[int],
    ) -> None:
        """Draw `tree`; `factor_of` names the factor category linked to a node."""
        self.whys = tree
        marks: dict[int, tuple[tuple[str, Style], ...]] = {}
        for node_id, node in tree.nodes.items():
            found: list[tuple[str, Style]] = []
            if node.root_cause:
                found.append(("◉ root cause", _ROOT_CAUSE))
            if node_id in factor_of:
                found.append((f"→ {factor_of[node_id]}", _FACTOR))
            if node_id in hinted:
                found.append(("⚠", _HINT))
            if found:
                marks[node_id] = tuple(found)
        self._marks = marks
        self.collapsed &= set(tree.nodes)
        if self.selected not in tree.nodes:
            self.selected = tree.root
        self._layout()

    def select(self, node_id: int | None) -> None:
        """Select a node, opening its collapsed ancestors so it can be seen."""
        if node_id is None or node_id not in self.whys.nodes:
            return
        hidden = set(self.whys.path(node_id)[:-1]) & self.collapsed
        if hidden:
            self.collapsed -= hidden
            self._layout()
        self.selected = node_id

    def on_resize(self) -> None:
        """Answers wrap to the width."""
        if self.scrollable_content_region.width != self._width:
            self._layout()

    def _layout(self) -> None:
        width = max(20, self.scrollable_content_region.width)
        self._width = self.scrollable_content_region.width
        rows: list[_Row] = []
        first: dict[int, int] = {}
        order: list[int] = []
        for node_id, depth in self.whys.visible(self.collapsed):
            node = self.whys.nodes[node_id]
            order.append(node_id)
            first[node_id] = len(rows)
            has_children = bool(self.whys.children.get(node_id))
            toggle = ("▸ " if node_id in self.collapsed else "▾ ") if has_children else "  "
            indent = "  " * depth
            label = "Problem: " if depth == 0 else f"why #{depth}  "
            hidden = ""
            if node_id in self.collapsed:
                hidden = f"  (+{len(self.whys.subtree(node_id)) - 1} below)"
            text_width = max(10, width - len(indent) - len(toggle) - len(label))
            lines = self._wrap(printable(node.text) + hidden, text_width)
            marks = self._marks.get(node_id, ())
            for i, line in enumerate(lines):
                rows.append(
                    _Row(
                        node_id,
                        indent + (toggle if i == 0 else "  "),
                        label if i == 0 else " " * len(label),
                        line,
                        marks if i == len(lines) - 1 else (),
                    )
                )
        self._rows, self._first_row, self._order = rows, first, order
        self.virtual_size = Size(width, len(rows))
        self._update_path()
        self.refresh()

    def _wrap(self, text: str, width: int) -> list[str]:
        """Wrapped lines of an answer, kept: a change elsewhere in the tree re-lays out the
        rows without wrapping every answer again."""
        key = (text, width)
        lines = self._wrapped.get(key)
        if lines is None:
            if len(self._wrapped) > 20_000:
                self._wrapped.clear()
            lines = self._wrapped[key] = textwrap.wrap(text, width) or [""]
        return lines

    # Drawing ------------------------------------------------------------------------------

    def watch_selected(self, old: int | None, new: int | None) -> None:
        """Repaint the path and keep the selected node in view."""
        self._update_path()
        self.refresh()
        self._scroll_to_selected()
        # Again once laid out: a node just added may lie past the old scrollable height.
        self.call_after_refresh(self._scroll_to_selected)
        self.post_message(self.Selected(new))

    def _scroll_to_selected(self) -> None:
        new = self.selected
        if new is None or new not in self._first_row:
            return
        top = bottom = self._first_row[new]
        while bottom + 1 < len(self._rows) and self._rows[bottom + 1].node_id == new:
            bottom += 1
        height = self.scrollable_content_region.height
        if top < self.scroll_y:
            self.set_scroll(None, top)
        elif bottom >= self.scroll_y + height:
            self.set_scroll(None, max(top, bottom - height + 1) if bottom - top < height else top)

    def _update_path(self) -> None:
        selected = self.selected
        self._path = set(self.whys.path(selected)) if selected in self.whys.nodes else set()

    def render_line(self, y: int) -> Strip:
        """One row: indent, toggle, "why #N", a piece of the answer, and on its last row the
        node's marks."""
        index = y + int(self.scroll_y)
        width = self.scrollable_content_region.width
        if not self._rows:
            return Strip([Segment("No problem statement yet.", _LABEL)]).crop_extend(
                0, width, _PLAIN
            )
        if index >= len(self._rows):
            return Strip.blank(width)
        row = self._rows[index]
        style = (
            _CURSOR
            if row.node_id == self.selected
            else _PATH
            if row.node_id in self._path
            else _PLAIN
        )
        segments = [
            Segment(row.indent, _LABEL),
            Segment(row.label, _LABEL + style),
            Segment(row.text, style),
        ]
        for text, mark_style in row.marks:
            segments.append(Segment("  "))
            segments.append(Segment(text, mark_style))
        return Strip(segments).crop_extend(0, width, _PLAIN)

    # Keys ---------------------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        """Select the node above or below."""
        if not self._order:
            return
        index = self._order.index(self.selected) if self.selected in self._order else 0
        self.selected = self._order[max(0, min(len(self._order) - 1, index + step))]

    def action_first(self) -> None:
        """Select the problem statement."""
        if self._order:
            self.selected = self._order[0]

    def action_last(self) -> None:
        """Select the last node shown."""
        if self._order:
            self.selected = self._order[-1]

    def action_collapse(self) -> None:
        """Fold the selected node's answers away; on a folded or bare node, go to its parent."""
        node_id = self.selected
        if node_id is None:
            return
        if self.whys.children.get(node_id) and node_id not in self.collapsed:
            self.collapsed.add(node_id)
            self._layout()
            return
        parent = self.whys.nodes[node_id].parent_id
        if parent is not None:
            self.selected = parent

    def action_expand(self) -> None:
        """Unfold the selected node; if it is open, go to its first answer."""
        node_id = self.selected
        if node_id is None:
            return
        if node_id in self.collapsed:
            self.collapsed.discard(node_id)
            self._layout()
            return
        children = self.whys.children.get(node_id)
        if children:
            self.selected = children[0]
