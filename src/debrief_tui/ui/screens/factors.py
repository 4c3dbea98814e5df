"""Contributing factors: grouped by category, each linked to the why-nodes it came from."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from debrief_tui.core.reference import factor_category_keys
from debrief_tui.core.store_types import ActionLinks
from debrief_tui.core.text import one_line
from debrief_tui.core.whys import WhyTree
from debrief_tui.paths import styles_path
from debrief_tui.ui.literal import literal
from debrief_tui.ui.screens.grouped_rows import GroupedRowsScreen
from debrief_tui.ui.widgets.fitted_table import FittedTable

if TYPE_CHECKING:
    from debrief_tui.core.models import Action, Factor
    from debrief_tui.core.store import Store
    from debrief_tui.ui.dialogs.choice_text import ChoiceTextDialog

RESPONSE_PROMPTS = (
    "What helped the response (tools, people, runbooks, luck)?",
    "What slowed us down (access, missing data, unclear ownership, handovers)?",
)


class FactorTable(FittedTable):
    """The factors; these keys apply while it has focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "screen.add_row", "Add", id="add-factor"),
        Binding("enter,e", "screen.edit_row", "Edit", id="edit-factor"),
        Binding("c", "screen.next_group", "Category ▶", id="recategorise"),
        Binding("d,delete", "screen.delete_row", "Delete", id="delete-factor"),
        Binding("u", "screen.undo_row", "Undo", id="undo-factor"),
        Binding("n", "screen.new_action", "New action", id="factor-action"),
        Binding("x", "screen.accept_factor", "No action", id="factor-no-action"),
    ]


class FactorsScreen(GroupedRowsScreen["Factor"]):
    """The contributing factors stage, with the response prompts."""

    CSS_PATH = styles_path("factors.tcss")
    noun = "factor"

    def compose_content(self) -> ComposeResult:
        """Response prompts, heading, table."""
        with Vertical(id="factors"):
            response = Text("Response: ", style="bold")
            response.append("  ".join(f"▸ {p}" for p in RESPONSE_PROMPTS), style="")
            response.append("  (record them under 'response')", style="dim")
            yield Static(response, id="response-prompts")
            yield Static(id="factors-title")
            yield FactorTable(
                (
                    ("Category", "category", 16),
                    ("Factor", "text", None),
                    ("From the 5 Whys", "whys", 22),
                    ("Action", "action", 8),
                ),
                id="factor-table",
            )

    def prepare_content(self) -> None:
        """Load the factors."""
        self.factors: list[Factor] = []
        self.links: dict[int, list[int]] = {}
        self.actions_for: dict[int, int] = {}
        self.whys = WhyTree([])
        self._deleted_rows: list[tuple[Factor, list[int]]] = []
        self._load()

    def refresh_view(self) -> None:
        """Also reload: factors are promoted from the 5 Whys stage."""
        super().refresh_view()
        if self.query(FactorTable):
            self._load()

    def main_widget(self) -> Widget:
        """The table."""
        return self.query_one(FactorTable)

    def _load(self, select: int | None = None) -> None:
        store = self.context.store
        if store is None:
            self.query_one("#factors-title", Static).update(Text("Opening…", style="dim"))
            return
        session_id = self.context.session_id
        self.factors = store.list_factors(session_id)
        self.links = store.factor_links(session_id)
        self.actions_for = {}
        for links in store.action_links(session_id).values():
            for factor_id in links.factor_ids:
                self.actions_for[factor_id] = self.actions_for.get(factor_id, 0) + 1
        self.whys = WhyTree(store.list_whys(session_id))
        self._show(select)

    @on(FittedTable.Refit, "#factor-table")
    def _refit(self) -> None:
        self._show()

    def _show(self, select: int | None = None) -> None:
        table = self.query_one(FactorTable)
        if select is None:
            current = self._selected()
            select = current.id if current else None
        table.fit_columns()
        previous = None
        for factor in self.factors:
            heading = factor.category if factor.category != previous else ""
            previous = factor.category
            table.add_row(
                Text(heading, style="bold"),
                table.fitted(literal(factor.text)),
                self._whys_cell(factor),
                self._action_cell(factor),
                key=str(factor.id),
            )
        if select is not None:
            index = next((i for i, f in enumerate(self.factors) if f.id == select), None)
            if index is not None:
                table.move_cursor(row=index)
        title = Text("Contributing factors", style="bold")
        if not self.factors:
            title.append(
                "  none yet: a adds one, or f on a node in the 5 Whys promotes it", style="dim"
            )
        else:
            used = len({f.category for f in self.factors})
            title.append(f"  {len(self.factors)} in {used} categories", style="dim")
        self.query_one("#factors-title", Static).update(title)
        self.refresh_bindings()
        self.show_wanted()

    def _whys_cell(self, factor: Factor) -> Text:
        ids = [i for i in self.links.get(factor.id or 0, []) if i in self.whys.nodes]
        if not ids:
            return Text("—", style="dim")
        first = self.whys.nodes[ids[0]]
        text = Text(f"why #{self.whys.depth(ids[0])} ", style="cyan")
        text.append_text(literal(one_line(first.text)))
        if len(ids) > 1:
            text.append(f" +{len(ids) - 1}", style="dim")
        text.truncate(22, overflow="ellipsis")
        return text

    def _action_cell(self, factor: Factor) -> Text:
        count = self.actions_for.get(factor.id or 0, 0)
        if count:
            return Text(f"✓ {count}", style="green")
        if factor.no_action_note:
            return Text("accepted", style="dim")
        return Text("—", style="dim")

    def select_row(self, kind: str, row_id: int) -> bool:
        """Select a factor asked for by id (from the wrap-up checklist)."""
        if kind != "factor":
            return True
        index = next((i for i, f in enumerate(self.factors) if f.id == row_id), None)
        if index is None:
            return False
        table = self.query_one(FactorTable)
        table.move_cursor(row=index)
        self.set_focus(table)
        return True

    def action_new_action(self) -> None:
        """An action answering the selected factor (and the why-nodes it came from)."""
        from debrief_tui.ui.screens.actions import open_action_dialog

        factor = self._selected()
        if factor is None or factor.id is None:
            return
        answers = Text("Answers factor: ", style="dim")
        answers.append_text(literal(one_line(factor.text)))
        factor_id = factor.id

        def saved(action: Action) -> None:
            self._load(select=factor_id)
            self.notify("Action added; see it in the Actions stage.", timeout=4)

        open_action_dialog(self, ActionLinks((factor_id,), ()), answers, "", saved)

    def action_accept_factor(self) -> None:
        """Accept the selected factor with no action, saying why (an empty note takes it back)."""
        factor, store = self._selected(), self.context.store
        if factor is None or factor.id is None or store is None:
            return
        factor_id = factor.id
        self.ask_no_action_note(
            "factor", factor_id, factor.no_action_note, lambda: self._load(select=factor_id)
        )

    def _selected(self) -> Factor | None:
        table = self.query_one(FactorTable)
        if not self.factors or not 0 <= table.cursor_row < len(self.factors):
            return None
        return self.factors[table.cursor_row]

    # What the shared flow needs -----------------------------------------------------------

    def group_keys(self) -> tuple[str, ...]:
        """The categories, from data/."""
        return factor_category_keys()

    def group_of(self, row: Factor) -> str:
        """A factor's category."""
        return row.category

    def text_of(self, row: Factor) -> str:
        """What the factor is."""
        return row.text

    def row_dialog(self, group: str, text: str) -> ChoiceTextDialog:
        """Ask for a factor's category and text."""
        from debrief_tui.ui.dialogs.choice_text import factor_dialog

        return factor_dialog(group, text)

    def store_add(self, store: Store, group: str, text: str) -> Factor:
        """Save a new factor."""
        return store.add_factor(self.context.session_id, group, text)

    def store_update(self, store: Store, row_id: int, group: str, text: str) -> Factor:
        """Change a factor; its links stay."""
        return store.update_factor(row_id, group, text)

    def store_delete(self, store: Store, row_id: int) -> tuple[Factor, list[int]]:
        """Delete a factor, kept with its links for undo."""
        return store.delete_factor(row_id)

    def store_restore(self, store: Store, saved: tuple[Factor, list[int]]) -> Factor:
        """Bring a factor back with its links."""
        return store.restore_factor(*saved)

    def load_rows(self, select: int | None = None) -> None:
        """Read and show the factors."""
        self._load(select)

    def selected_row(self) -> Factor | None:
        """The factor under the cursor."""
        return self._selected()
