"""The 5 Whys stage: the room builds the tree by keyboard, and deep causes become factors."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Input, Static

from debrief_tui.core.actions import ActionLinks
from debrief_tui.core.errors import NotFound, Refusal
from debrief_tui.core.text import counted, one_line
from debrief_tui.core.whys import TARGET_DEPTH, WhyTree, hints, hints_for
from debrief_tui.paths import styles_path
from debrief_tui.ui.compat import focus_without_repaint
from debrief_tui.ui.literal import literal
from debrief_tui.ui.refusal import show_refusal
from debrief_tui.ui.screens.stage import StageScreen
from debrief_tui.ui.tones import tone
from debrief_tui.ui.widgets.minutes_pane import MinutesPane
from debrief_tui.ui.widgets.safe_input import SafeInput
from debrief_tui.ui.widgets.why_tree import WhyTreeView

if TYPE_CHECKING:
    from debrief_tui.core.persistence import Job, Unit, WhyNode, WhysSnapshot
    from debrief_tui.ui.app import DebriefApp


class WhyInput(SafeInput):
    """The box an answer is typed in; Escape puts it away without saving."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "screen.cancel_why", "Cancel", id="cancel-why"),
        # A priority binding runs in the app's own queue of keys: the keys typed after Enter
        # wait there until the answer is saved and the tree has focus again, so they go to
        # the tree (`a` asks why again) rather than into the box being put away.
        Binding("enter", "screen.save_answer", "Save", id="save-why", priority=True, show=False),
    ]

    def __init__(self, **kwargs: object) -> None:
        # Editing starts with the cursor after the old answer; selecting it all on focus
        # would let the first key typed replace it.
        super().__init__(select_on_focus=False, **kwargs)  # type: ignore[arg-type]


class WhysScreen(StageScreen):
    """The 5 Whys stage.

    At 80x24 the header, the prompts and the minutes leave the tree about six rows, too few
    for a five-deep chain, so `z` zooms: the tree takes the body (prompts and minutes hidden
    by the `-zoomed` class, styles/whys.tcss) and `z` or Esc brings them back. The zoom is
    this seat's, kept while the meeting goes to other stages and back, like the tree's
    selection and folds: the facilitator who zoomed for the room and stepped to the timeline
    to check a time comes back to the tree as they left it. It is never in the way of a
    minute: whatever puts the cursor in the minutes box (ctrl+n, a sentence typed on the
    tree, a draft carried from another stage) brings the minutes back first.
    """

    LIVE_KINDS: ClassVar[frozenset[str]] = frozenset({"why", "factor", "action", "attendee"})

    CSS_PATH = styles_path("whys.tcss")
    _loaded = False  # the first snapshot also makes the root; asked before the screen mounts
    zoomed = False
    """Whether the tree has the body to itself (`z`); keys are checked before the mount."""

    # Focus moves from the answer box to the tree on every saved answer: no whole-screen
    # repaint for it (see compat.focus_without_repaint).
    focused: Reactive[Widget | None] = focus_without_repaint()

    def compose_content(self) -> ComposeResult:
        """Tree, the box for answers (shown while typing), the hints."""
        with Vertical(id="whys"):
            yield WhyTreeView(id="why-tree")
            with Vertical(id="why-edit"):
                yield Static(id="why-question")
                yield WhyInput(id="why-input", compact=True)
            yield Static(id="why-hints")

    def prepare_content(self) -> None:
        """Nothing read yet; the box waits idle."""
        self.whys = WhyTree([])
        self._editing: tuple[str, int] | None = None  # ("child" | "sibling" | "edit", node id)
        self._hints: dict[int, list[str]] = {}
        self._answered: set[int] = set()
        self._hint_lines = 0
        self._hints_shown: tuple[object, ...] = ()
        self._factor_of: dict[int, str] = {}
        self._people_seen: tuple[str, ...] = ()
        self._acted: set[int] = set()
        self._seen: tuple[object, ...] | None = None
        self._loaded = False
        self._idle_box()
        self.query_one("#why-hints", Static).update(Text("Opening…", style="dim"))

    def snapshot_job(self) -> tuple[Job[WhysSnapshot], bool]:
        """The tree and what its marks and hints depend on (factors, actions); the first
        visit also makes the problem statement the tree's root."""
        session_id = self.context.session_id

        def first(tx: Unit) -> WhysSnapshot:
            tx.whys.ensure_root(session_id)
            return tx.snapshots.whys(session_id)

        if self._loaded:
            return (lambda tx: tx.snapshots.whys(session_id)), False
        return first, True

    def show_snapshot(self, snapshot: WhysSnapshot, select: int | None) -> None:
        """Draw the tree again if any of it, or the people, or the theme changed."""
        self._loaded = True
        people = tuple(self._people())
        seen = (
            _shown(snapshot.nodes),
            snapshot.answered,
            snapshot.acted,
            snapshot.factor_of,
            self.app.theme,  # the hints are drawn in its colours
        )
        if seen == self._seen and people == self._people_seen and select is None:
            self.show_wanted()
            return
        self._seen, self._people_seen = (*seen,), people
        self.whys = WhyTree(snapshot.nodes)
        self._answered, self._acted = snapshot.answered, snapshot.acted
        self._factor_of = snapshot.factor_of
        self._read_hints()
        self._draw(select if select is not None else self._selected_node_id())

    def main_widget(self) -> Widget:
        """The tree."""
        return self.query_one(WhyTreeView)

    def selected_topic(self) -> str | None:
        """The selected answer, to park."""
        node = self._selected_node_id()
        return self.whys.nodes[node].text if node is not None else None

    # Drawing ------------------------------------------------------------------------------

    def _read_hints(self) -> None:
        self._hints = {}
        for hint in hints(self.whys, self._answered, self._people()):
            self._hints.setdefault(hint.node_id, []).append(hint.text)

    def _people(self) -> list[str]:
        return [name for name, _ in self.context.people]

    def _rehint(self, node_ids: list[int]) -> None:
        """Recompute the hints of the nodes a change touched (and only those)."""
        for node_id in node_ids:
            self._hints.pop(node_id, None)
        for hint in hints_for(self.whys, node_ids, self._answered, self._people()):
            self._hints.setdefault(hint.node_id, []).append(hint.text)

    def _draw(self, select: int | None = None) -> None:
        view = self.query_one(WhyTreeView)
        view.show(self.whys, self._acted, self._factor_of, set(self._hints))
        if select is not None:
            view.select(select)
        self._show_hints()
        self.show_wanted()

    @on(WhyTreeView.Selected)
    def _moved(self) -> None:
        self._show_hints()

    def _show_hints(self) -> None:
        node_id = self._selected_node_id()
        others = sum(len(v) for k, v in self._hints.items() if k != node_id)
        # A saved answer shows its hints at once, and its Selected message asks again.
        depth = self.whys.depth(node_id) if node_id is not None else 0
        mine = tuple(self._hints.get(node_id, ())) if node_id is not None else ()
        shown = (node_id, depth, mine, others, self.size.width, self.app.theme)
        if shown == self._hints_shown:
            return
        self._hints_shown = shown
        text = Text()
        for line in mine:
            if len(text):
                text.append("\n")
            text.append("⚠ " + line, style=tone(self, "$text-warning"))
        if not len(text):
            text.append(
                f"why #{depth} of {TARGET_DEPTH}" if depth else "The problem statement",
                style="dim",
            )
            text.append(
                "  ·  a asks why · s beside · r root cause · f factor · n action · x no action",
                style="dim",
            )
        if others:
            text.append(
                f"\n{others} more {'hint' if others == 1 else 'hints'} in the tree, marked ⚠",
                style="dim",
            )
        # Re-lay out the screen only when the hints need more or fewer lines than before.
        lines = len(text.wrap(self.app.console, max(20, self.size.width - 2)))
        self.query_one("#why-hints", Static).update(text, layout=lines != self._hint_lines)
        self._hint_lines = lines

    def _selected_node_id(self) -> int | None:
        view = self.query_one(WhyTreeView)
        return view.selected if view.selected in self.whys.nodes else None

    # Typing answers -----------------------------------------------------------------------

    def _open_box(self, mode: str, node_id: int, question: Text, value: str = "") -> None:
        self._editing = (mode, node_id)
        question.no_wrap, question.overflow = True, "ellipsis"  # one line: the tree keeps room
        self.query_one("#why-question", Static).update(question, layout=False)
        box = self.query_one("#why-input", Input)
        box.can_focus = True
        box.value = value
        box.cursor_position = len(value)
        self.set_focus(box)

    def _close_box(self) -> None:
        self._editing = None
        self.set_focus(self.query_one(WhyTreeView))
        self._idle_box()

    def _idle_box(self) -> None:
        """The box stays in place between answers (showing it would move the whole layout),
        idle and out of the focus order."""
        # Out of the focus order rather than disabled: disabling restyles the box and its
        # parts, a millisecond or two on every saved answer, and an unfocused empty box
        # already looks idle (its :focus style is what marks typing).
        if self.zoomed:
            # Said on screen: the room should know the minutes are only out of sight.
            idle = "Zoomed: the minutes are hidden · z or Esc brings them back · ctrl+n types one"
        else:
            idle = "a asks why of the selected answer · s adds another cause beside it"
        self.query_one("#why-question", Static).update(
            Text(idle, style="dim"),
            layout=False,  # one line, always (TCSS)
        )
        box = self.query_one("#why-input", Input)
        box.value = ""
        box.can_focus = False

    def action_ask_why(self) -> None:
        """Answer "why?" of the selected node: a new answer below it."""
        node_id = self._selected_node_id()
        if node_id is None:
            return
        depth = self.whys.depth(node_id) + 1
        question = Text.assemble(
            (f"why #{depth} · Enter saves · Why? ", "bold"),
            literal(one_line(self.whys.nodes[node_id].text)),
        )
        self._open_box("child", node_id, question)

    def action_add_sibling(self) -> None:
        """Another cause at the same level as the selected one."""
        node_id = self._selected_node_id()
        if node_id is None:
            return
        parent = self.whys.nodes[node_id].parent_id
        if parent is None:
            self.notify("The problem statement stands alone: a asks why of it.", timeout=4)
            return
        question = Text.assemble(
            (f"why #{self.whys.depth(node_id)} · Enter saves · Another reason for: ", "bold"),
            literal(one_line(self.whys.nodes[parent].text)),
        )
        self._open_box("sibling", node_id, question)

    def action_edit_why(self) -> None:
        """Change the selected answer (or the problem statement)."""
        node_id = self._selected_node_id()
        if node_id is None:
            return
        depth = self.whys.depth(node_id)
        label = f"why #{depth}: edit the answer" if depth else "Edit the problem statement"
        question = Text.assemble((label, "bold"), ("  · Enter saves · Esc cancels", "dim"))
        self._open_box("edit", node_id, question, self.whys.nodes[node_id].text)

    def action_cancel_why(self) -> None:
        """Put the box away; nothing typed is saved."""
        self._close_box()

    async def action_save_answer(self) -> None:
        """Save what is in the box: a new answer, another cause beside one, or an edit."""
        if self._editing is None:
            return
        mode, node_id = self._editing
        text = self.query_one("#why-input", Input).value
        node = self.whys.nodes.get(node_id)  # gone if another seat deleted it meanwhile
        parent = node.parent_id if node is not None else None

        def save(tx: Unit) -> WhyNode:
            if mode == "child":
                return tx.whys.add(node_id, text)
            if mode == "sibling":
                if parent is None:
                    raise NotFound(f"no why with id {node_id}", "why")
                return tx.whys.add(parent, text, after=node_id)
            return tx.whys.edit(node_id, text)

        try:
            saved = await self.context.gateway.write(save)
        except NotFound:
            self._offer_to_keep(text)
            return
        except Refusal as exc:
            show_refusal(self, exc)
            return  # the box stays open with the text as typed
        self._close_box()
        assert saved.id is not None
        # Only the new (or edited) node and its parent change: no need to read it all again.
        if mode == "edit":
            self.whys.nodes[saved.id] = saved
        else:
            self.whys.add(saved)
        self._seen = None  # the next visit compares against a fresh read
        self._rehint([i for i in (saved.id, saved.parent_id) if i is not None])
        if mode == "edit":
            self._draw(select=saved.id)
        else:
            view = self.query_one(WhyTreeView)
            view.added(saved.id, set(self._hints))
            view.select(saved.id)
            self._show_hints()

    def _offer_to_keep(self, text: str) -> None:
        """The answer being edited (or answered) was deleted in another seat: keep the text
        as a new answer under the problem, or as a minute, or go back to the box."""
        from debrief_tui.ui.dialogs.deleted_meanwhile import offer_to_keep

        session_id, gateway = self.context.session_id, self.context.gateway

        def under_problem(tx: Unit) -> WhyNode:
            return tx.whys.add(tx.whys.ensure_root(session_id).id or 0, text)

        async def kept(saved: object) -> None:
            self._close_box()
            await self.reload(select=getattr(saved, "id", None))  # the new answer, if one

        offer_to_keep(
            self,
            "answer",
            text,
            as_minute=lambda: cast("DebriefApp", self.app).live.keep_as_minute(text),
            as_new=lambda: gateway.write(under_problem),
            kept=kept,
        )

    # Zoom ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`z` zooms the tree or, zoomed, brings the prompts and minutes back (so the footer
        names the one that applies); Esc is free for the latter only while zoomed."""
        if action == "zoom_tree":
            return not self.zoomed
        if action == "unzoom_tree":
            return self.zoomed
        return super().check_action(action, parameters)

    def action_zoom_tree(self) -> None:
        """Give the tree the whole body: the prompts and the minutes step aside."""
        self._set_zoom(True)

    def action_unzoom_tree(self) -> None:
        """Bring the prompts and the minutes back under the tree."""
        self._set_zoom(False)

    def _set_zoom(self, zoomed: bool) -> None:
        if zoomed == self.zoomed:
            return
        self.zoomed = zoomed
        self.set_class(zoomed, "-zoomed")
        if self._editing is None:
            self._idle_box()  # its line says how to come back
        # The footer swaps "z Zoom" for "z Unzoom" (and Esc starts or stops meaning it).
        self.refresh_bindings()

    @on(events.DescendantFocus)
    def _into_minutes(self, event: events.DescendantFocus) -> None:
        """The cursor went into the hidden minutes pane (ctrl+n, a sentence typed on the tree,
        a draft from another stage): show it, so what is typed there is seen as it is typed."""
        # Focus can go to a hidden widget in Textual, and its keys would land there unseen;
        # what is typed is in the box either way, so this only has to make it visible.
        if self.zoomed and self.query_one(MinutesPane) in event.widget.ancestors_with_self:
            self._set_zoom(False)

    def action_toggle_room(self) -> None:
        """The room panel sits beside the minutes: zoomed, f6 brings both back."""
        if self.zoomed:
            self._set_zoom(False)
            if self.room_shown:
                return  # it was open when the tree was zoomed: back with the minutes
        super().action_toggle_room()

    # Marks, order, removal ----------------------------------------------------------------

    async def action_toggle_root_cause(self) -> None:
        """Mark or unmark the selected answer as a root cause."""
        node_id = self._selected_node_id()
        if node_id is None:
            return
        marked = not self.whys.nodes[node_id].root_cause
        if await self.write(lambda tx: tx.whys.set_root_cause(node_id, marked)) is not None:
            await self.reload(select=node_id)

    async def action_move_why(self, step: int) -> None:
        """Move the selected answer up or down among its siblings."""
        node_id = self._selected_node_id()
        if node_id is None:
            return
        if await self.write(lambda tx: tx.whys.move(node_id, step)):
            await self.reload(select=node_id)

    async def action_delete_why(self) -> None:
        """Delete the selected answer and everything under it (u brings it back)."""
        node_id = self._selected_node_id()
        if node_id is None:
            return
        parent = self.whys.nodes[node_id].parent_id
        removed = await self.write(lambda tx: tx.whys.delete(node_id))
        if removed is None:
            return
        self.context.undo.push(self.stage.key, removed)
        await self.reload(select=parent)
        them = "it" if removed.size == 1 else "them"
        self.notify(f"Deleted {counted(removed.size, 'answer')}. u brings {them} back.", timeout=4)

    async def action_new_action(self) -> None:
        """An action answering the selected node (a root cause, most often)."""
        from debrief_tui.ui.dialogs.action_dialog import new_action

        node_id = self._selected_node_id()
        if node_id is None:
            return
        if self.whys.nodes[node_id].parent_id is None:
            self.notify("Actions answer causes: select an answer below the problem.", timeout=4)
            return
        answers = Text(f"Answers why #{self.whys.depth(node_id)}: ", style="dim")
        answers.append_text(literal(one_line(self.whys.nodes[node_id].text)))

        async def saved(action: object) -> None:
            await self.reload(select=node_id)
            self.notify("Action added; see it in the Actions stage.", timeout=4)

        links = ActionLinks((), (node_id,))
        await new_action(self, self.context, links, answers, saved)

    def action_accept_why(self) -> None:
        """Accept the selected cause with no action, saying why (empty takes it back)."""
        node_id = self._selected_node_id()
        if node_id is None or self.whys.nodes[node_id].parent_id is None:
            return
        note = self.whys.nodes[node_id].no_action_note
        self.ask_no_action_note("why", node_id, note)

    def select_row(self, kind: str, row_id: int) -> bool:
        """Select a why-node asked for by id (from the wrap-up checklist)."""
        if kind != "why":
            return True
        if row_id not in self.whys.nodes:
            return False
        view = self.query_one(WhyTreeView)
        view.select(row_id)
        self.set_focus(view)
        return True

    async def action_promote_why(self) -> None:
        """Make the selected answer a contributing factor (or show the one it already is)."""
        node_id = self._selected_node_id()
        if node_id is None:
            return
        found = await self.write(lambda tx: tx.factors.promote(node_id))
        if found is None:
            return
        factor, created = found
        await self.reload(select=node_id)
        if created:
            self.notify(
                f"Added as a {factor.category} factor; recategorise it in Contributing factors.",
                timeout=5,
            )
        else:
            self.notify(f"Already a {factor.category} factor.", timeout=3)


def _shown(nodes: list[WhyNode]) -> list[tuple[object, ...]]:
    """What the tree shows of each node, to tell whether a new snapshot changes it."""
    return [(n.id, n.parent_id, n.position, n.text, n.root_cause, n.no_action_note) for n in nodes]
