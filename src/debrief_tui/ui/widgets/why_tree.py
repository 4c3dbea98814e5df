"""The 5 Whys tree on screen: every answer wraps, the path to the selection stands out.

A Line API view: the rows of the visible nodes are laid out once per change of the tree (or of
the width), and moving the selection only repaints, so it keeps up at a thousand nodes.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.cells import cell_len
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
from debrief_tui.ui.widgets.wrapping import wrap_cells

_PLAIN = Style()
_LABEL = Style(dim=True)
_PATH = Style(bold=True)
_CURSOR = Style(bold=True, reverse=True)


def wrap_answer(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` cells, as textwrap wraps it when every character
    takes one cell (never no line)."""
    # Most answers fit on one line, and textwrap costs far more than seeing that they do:
    # for such a line it gives back the line itself.
    # (A wide character takes two cells: such a line is measured in cells.)
    short = 0 < len(text) <= width and (text.isascii() or cell_len(text) <= width)
    if short and text.isprintable() and text == text.rstrip():
        return [text]
    return wrap_cells(text, width) or [""]


def _pack_marks(
    marks: tuple[tuple[str, str], ...], room: int, width: int
) -> list[tuple[tuple[str, str], ...]]:
    """The marks in rows: as many as fit in `room` beside the answer's last line, then the
    rest on rows of `width` below it (each mark drawn after two spaces; one per row at least).
    """
    rows: list[tuple[tuple[str, str], ...]] = [()]
    left = room
    for mark in marks:
        need = 2 + cell_len(mark[0])
        # A row of its own that is still empty takes the mark even when it is wider.
        fresh = not rows[-1] and (len(rows) > 1 or left >= width)
        if need > left and not fresh:
            rows.append(())
            left = width
        rows[-1] = (*rows[-1], mark)
        left -= need
    return rows


class _Row(NamedTuple):
    node_id: int
    indent: str
    label: str
    text: str
    marks: tuple[tuple[str, str], ...]
    """(text, component class: its colour comes from the theme when the row is drawn)."""


class WhyTreeView(ScrollView, can_focus=True):
    """The tree, drawn from the problem statement down; its keys act on the selected node."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "why-tree--root-cause",
        "why-tree--factor",
        "why-tree--acted",
        "why-tree--note",
        "why-tree--hint",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "screen.ask_why", "Ask why", id="ask-why"),
        Binding("s", "screen.add_sibling", "Sibling", id="add-sibling"),
        Binding("e,enter", "screen.edit_why", "Edit", id="edit-why"),
        Binding("r", "screen.toggle_root_cause", "Root cause", id="root-cause"),
        # Early in the list: at 80 columns the footer shows only the first keys, and the
        # room needs to see how the tree gets the screen (and how the minutes come back).
        # One of the two applies at a time (WhysScreen.check_action): the footer says which.
        Binding(
            "z",
            "screen.zoom_tree",
            "Zoom",
            id="zoom-tree",
            tooltip="Give the tree the whole screen: the prompts and the minutes step aside",
        ),
        Binding(
            "z,escape",
            "screen.unzoom_tree",
            "Unzoom",
            id="unzoom-tree",
            tooltip="Bring the prompts and the minutes back under the tree",
        ),
        Binding("d,delete", "screen.delete_why", "Delete", id="delete-why"),
        Binding("u", "screen.undo", "Undo", id="undo-why"),
        Binding("f", "screen.promote_why", "To factor", id="promote-why"),
        Binding("n", "screen.new_action", "New action", id="why-action"),
        Binding("x", "screen.accept_why", "No action", id="why-no-action"),
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
        self._marks: dict[int, tuple[tuple[str, str], ...]] = {}
        self._rows: list[_Row] = []
        self._first_row: dict[int, int] = {}
        self._order: list[int] = []
        self._path: set[int] = set()
        # Each node's rows, with what they were built from: a change re-lays out only the
        # nodes it touched (at a thousand nodes, building every row took most of an add).
        self._node_rows: dict[int, tuple[tuple[object, ...], list[_Row]]] = {}
        self._factor_of: dict[int, str] = {}
        self._hinted: set[int] = set()
        self._acted: set[int] = set()
        self._width = 0

    # Data ---------------------------------------------------------------------------------

    def show(
        self,
        tree: WhyTree,
        acted: set[int],
        factor_of: dict[int, str],
        hinted: set[int],
    ) -> None:
        """Draw `tree`; `acted` are the nodes an action answers, `factor_of` names the factor
        category linked to a node, `hinted` the nodes with a hint."""
        self.whys = tree
        self._factor_of, self._hinted, self._acted = factor_of, hinted, acted
        marks: dict[int, tuple[tuple[str, str], ...]] = {}
        for node_id in tree.nodes:
            found = self._marks_of(node_id)
            if found:
                marks[node_id] = found
        self._marks = marks
        self.collapsed &= set(tree.nodes)
        if len(self._node_rows) > len(tree.nodes):  # answers deleted since
            self._node_rows = {k: v for k, v in self._node_rows.items() if k in tree.nodes}
        if self.selected not in tree.nodes:
            self.selected = tree.root
        self._layout()

    def added(self, node_id: int, hinted: set[int]) -> None:
        """Draw an answer just added to the shown tree (its parent's toggle and marks too),
        leaving every other row as it is: at a thousand nodes, re-laying out all of them was
        most of the time an add took."""
        tree = self.whys
        parent = tree.nodes[node_id].parent_id
        self._hinted = hinted
        for changed in (node_id, parent):
            if changed is not None:
                self._marks[changed] = self._marks_of(changed)
        width = max(20, self._width)
        if (
            parent not in self._first_row
            or set(tree.path(node_id)) & self.collapsed
            or self._wrap_width(len(self._order) + 1) != self._width
        ):
            self._layout()
            return
        depth = len(tree.path(node_id)) - 1
        before = len(self._node_rows[parent][1])  # what _rows holds for the parent now
        parent_rows = self._rows_of(parent, depth - 1, width)
        if len(parent_rows) != before:  # its marks re-wrapped its text: lay out all
            self._layout()
            return
        start = self._first_row[parent]
        self._rows[start : start + before] = parent_rows
        at, index = self._insert_point(node_id)
        new = self._rows_of(node_id, depth, width)
        for other, row in self._first_row.items():
            if row >= at:
                self._first_row[other] = row + len(new)
        self._rows[at:at] = new
        self._first_row[node_id] = at
        self._order.insert(index, node_id)
        self._resize_rows(Size(width, len(self._rows)))
        self._update_path()
        self.refresh()

    def _insert_point(self, node_id: int) -> tuple[int, int]:
        """Where a new visible node goes: (row index, place in the display order) of the
        node that follows it, found by walking up to the first ancestor with a next sibling."""
        tree = self.whys
        current: int | None = node_id
        while current is not None:
            siblings = tree.siblings(current)
            place = siblings.index(current)
            if place + 1 < len(siblings):
                following = siblings[place + 1]
                return self._first_row[following], self._order.index(following)
            current = tree.nodes[current].parent_id
        return len(self._rows), len(self._order)

    def _marks_of(self, node_id: int) -> tuple[tuple[str, str], ...]:
        found: list[tuple[str, str]] = []
        if self.whys.nodes[node_id].root_cause:
            found.append(("◉ root cause", "why-tree--root-cause"))
        if node_id in self._factor_of:
            found.append((f"→ {self._factor_of[node_id]}", "why-tree--factor"))
        if node_id in self._acted:
            found.append(("✓ action", "why-tree--acted"))
        elif self.whys.nodes[node_id].no_action_note:
            found.append(("accepted, no action", "why-tree--note"))
        if node_id in self._hinted:
            found.append(("⚠", "why-tree--hint"))
        return tuple(found)

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
        """Answers wrap to the width; a taller or shorter view (the hints under it grew, the
        tree was zoomed) keeps the selected node in view and no blank rows past the last."""
        self._rewrap()
        self._scroll_to_selected()

    def watch_show_vertical_scrollbar(self) -> None:
        """Answers wrap to the width beside the scrollbar when it comes or goes: the view's
        size stays the same, so no resize says so, and rows wrapped before would run under
        it (and the first answer added afterwards paid for wrapping all of them again)."""
        self._rewrap()

    def _rewrap(self) -> None:
        if not self._width or self._wrap_width(len(self._order)) != self._width:
            self._layout()
            # Rows wrapped anew move the selected node: keep it in view, once laid out.
            self.call_after_refresh(self._scroll_to_selected)

    def _layout(self) -> None:
        if not self.size.width:
            return  # not laid out yet: on_resize draws it once the width is known
        visible = self.whys.visible(self.collapsed)
        self._width = self._wrap_width(len(visible))
        width = max(20, self._width)
        rows: list[_Row] = []
        first: dict[int, int] = {}
        order: list[int] = []
        for node_id, depth in visible:
            order.append(node_id)
            first[node_id] = len(rows)
            rows.extend(self._rows_of(node_id, depth, width))
        self._rows, self._first_row, self._order = rows, first, order
        self._resize_rows(Size(width, len(rows)))
        self._update_path()
        self.refresh()

    def _wrap_width(self, shown_nodes: int) -> int:
        """The width answers wrap to: beside the scrollbar when there are more nodes than
        lines (so a big tree is wrapped once, not once before its scrollbar shows and again
        after)."""
        content = self.content_region
        if shown_nodes > content.height or self.show_vertical_scrollbar:
            return content.width - self.styles.scrollbar_size_vertical
        return content.width

    def _rows_of(self, node_id: int, depth: int, width: int) -> list[_Row]:
        """A node's rows, built again only when what they show has changed."""
        if node_id in self.collapsed:
            toggle = "▸ "
            hidden = f"  (+{len(self.whys.subtree(node_id)) - 1} below)"
        else:
            toggle, hidden = ("▾ " if self.whys.children.get(node_id) else "  "), ""
        marks = self._marks.get(node_id, ())
        key = (self.whys.nodes[node_id].text, depth, toggle, hidden, marks, width)
        cached = self._node_rows.get(node_id)
        if cached is None or cached[0] != key:
            cached = self._node_rows[node_id] = (key, self._node_lines(node_id, *key))
        return cached[1]

    def _node_lines(
        self,
        node_id: int,
        text: str,
        depth: int,
        toggle: str,
        hidden: str,
        marks: tuple[tuple[str, str], ...],
        width: int,
    ) -> list[_Row]:
        """The rows one answer takes: its label, then its text wrapped, marks on the last, or
        on rows of their own below it when they do not fit beside it (never cut off)."""
        indent = "  " * depth
        label = "Problem: " if depth == 0 else f"why #{depth}  "
        text_width = max(10, width - len(indent) - len(toggle) - len(label))
        lines = wrap_answer(printable(text) + hidden, text_width)
        packed = _pack_marks(marks, text_width - cell_len(lines[-1]), text_width)
        texts = lines + [""] * (len(packed) - 1)
        return [
            _Row(
                node_id,
                indent + (toggle if i == 0 else "  "),
                label if i == 0 else " " * len(label),
                line,
                packed[i - len(lines) + 1] if i >= len(lines) - 1 else (),
            )
            for i, line in enumerate(texts)
        ]

    def _resize_rows(self, size: Size) -> None:
        """Set the scrollable size, re-laying out the screen only when the scrollbar comes or
        goes: the view's own size never changes with its rows, and a full layout per added
        answer was most of the time an add took."""
        if size == self.virtual_size:
            return
        height = self.scrollable_content_region.height
        if (size.height > height) != (self.virtual_size.height > height):
            self.virtual_size = size
            return
        self.set_reactive(ScrollView.virtual_size, size)
        self._scroll_update(size)
        # Set this way, a tree grown shorter (an answer deleted, or edited onto fewer lines)
        # kept the old scroll position, and the rows past its end were drawn blank.
        self._scroll_to_selected()

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
        """Scroll as little as brings the selected node into view (its first rows when it is
        taller than the view), and never past the last row.

        The limit is worked out from the rows here: the view's own one (`max_scroll_y`)
        lags while a layout is pending, and a position past the end (left by a view that
        has just grown taller, or aimed at the last node's top) drew blank rows below it.
        """
        height = self.scrollable_content_region.height
        if not height:
            return  # not laid out yet
        y = min(round(self.scroll_y), max(0, len(self._rows) - height))
        new = self.selected
        if new is not None and new in self._first_row:
            top = bottom = self._first_row[new]
            while bottom + 1 < len(self._rows) and self._rows[bottom + 1].node_id == new:
                bottom += 1
            if top < y:
                y = top
            elif bottom >= y + height:
                # Its last row at the bottom: the answers it explains stay in view above it.
                y = bottom - height + 1 if bottom - top < height else top
        if y != round(self.scroll_y):
            # Not `scroll_y = y`: its check uses the lagging limit, and would undo this.
            self.set_scroll(None, y)
            if self.show_vertical_scrollbar:
                self.vertical_scrollbar.position = y
            self.refresh()

    def _update_path(self) -> None:
        selected = self.selected
        self._path = set(self.whys.path(selected)) if selected in self.whys.nodes else set()

    def render_line(self, y: int) -> Strip:
        """One row: indent, toggle, "why #N", a piece of the answer, and on its last row the
        node's marks; every segment over the widget's own colours (its TCSS, from the theme)."""
        index = y + int(self.scroll_y)
        width = self.scrollable_content_region.width
        base = self.rich_style
        if not self._rows:
            return Strip([Segment("No problem statement yet.", base + _LABEL)]).crop_extend(
                0, width, base
            )
        if index >= len(self._rows):
            return Strip.blank(width, base)
        row = self._rows[index]
        style = base + (
            _CURSOR
            if row.node_id == self.selected
            else _PATH
            if row.node_id in self._path
            else _PLAIN
        )
        segments = [
            Segment(row.indent, base + _LABEL),
            Segment(row.label, style + _LABEL),
            Segment(row.text, style),
        ]
        for text, component in row.marks:
            segments.append(Segment("  ", base))
            mark = base + self.get_component_rich_style(component, partial=True)
            segments.append(Segment(text, mark))
        return Strip(segments).crop_extend(0, width, base)

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
