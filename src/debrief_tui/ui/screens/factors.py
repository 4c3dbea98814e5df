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

from debrief_tui.core.errors import InputError, NotFound
from debrief_tui.core.reference import factor_category_keys
from debrief_tui.core.text import one_line, printable
from debrief_tui.core.whys import WhyTree
from debrief_tui.paths import styles_path
from debrief_tui.ui.literal import literal
from debrief_tui.ui.screens.stage import StageScreen
from debrief_tui.ui.widgets.fitted_table import FittedTable

if TYPE_CHECKING:
    from debrief_tui.core.models import Factor

RESPONSE_PROMPTS = (
    "What helped the response (tools, people, runbooks, luck)?",
    "What slowed us down (access, missing data, unclear ownership, handovers)?",
)


class FactorTable(FittedTable):
    """The factors; these keys apply while it has focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "screen.add_factor", "Add", id="add-factor"),
        Binding("enter,e", "screen.edit_factor", "Edit", id="edit-factor"),
        Binding("c", "screen.next_category", "Category ▶", id="recategorise"),
        Binding("d,delete", "screen.delete_factor", "Delete", id="delete-factor"),
        Binding("u", "screen.undo_factor", "Undo", id="undo-factor"),
    ]


class FactorsScreen(StageScreen):
    """The contributing factors stage, with the response prompts."""

    CSS_PATH = styles_path("factors.tcss")

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
                ),
                id="factor-table",
            )

    def prepare_content(self) -> None:
        """Load the factors."""
        self.factors: list[Factor] = []
        self.links: dict[int, list[int]] = {}
        self.whys = WhyTree([])
        self._deleted: list[tuple[Factor, list[int]]] = []
        self._load()

    def refresh_view(self) -> None:
        """Also reload: factors are promoted from the 5 Whys stage."""
        super().refresh_view()
        if self.query(FactorTable):
            self._load()

    def main_widget(self) -> Widget:
        """The table."""
        return self.query_one(FactorTable)

    def selected_topic(self) -> str | None:
        """The selected factor's text, to park."""
        factor = self._selected()
        return factor.text if factor else None

    def _load(self, select: int | None = None) -> None:
        store = self.context.store
        if store is None:
            self.query_one("#factors-title", Static).update(Text("Opening…", style="dim"))
            return
        session_id = self.context.session_id
        self.factors = store.list_factors(session_id)
        self.links = store.factor_links(session_id)
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

    def _selected(self) -> Factor | None:
        table = self.query_one(FactorTable)
        if not self.factors or not 0 <= table.cursor_row < len(self.factors):
            return None
        return self.factors[table.cursor_row]

    def _error(self, exc: Exception) -> None:
        self.notify(printable(str(exc)), severity="error", markup=False)

    def action_add_factor(self) -> None:
        """Add a factor (dialog)."""
        from debrief_tui.ui.dialogs.factor_dialog import FactorDialog

        store = self.context.store
        if store is None:
            return
        current = self._selected()

        def done(values: tuple[str, str] | None) -> None:
            if values is None:
                return
            try:
                factor = store.add_factor(self.context.session_id, *values)
            except (InputError, NotFound) as exc:
                self._error(exc)
                return
            self._load(select=factor.id)

        self.app.push_screen(FactorDialog(current.category if current else "technical"), done)

    def action_edit_factor(self) -> None:
        """Edit the selected factor's category and text; its links stay."""
        from debrief_tui.ui.dialogs.factor_dialog import FactorDialog

        factor, store = self._selected(), self.context.store
        if factor is None or factor.id is None or store is None:
            return
        factor_id = factor.id

        def done(values: tuple[str, str] | None) -> None:
            if values is None:
                return
            try:
                store.update_factor(factor_id, *values)
            except (InputError, NotFound) as exc:
                self._error(exc)
                return
            self._load(select=factor_id)

        self.app.push_screen(FactorDialog(factor.category, factor.text), done)

    def action_next_category(self) -> None:
        """Move the selected factor to the next category."""
        factor, store = self._selected(), self.context.store
        if factor is None or factor.id is None or store is None:
            return
        keys = factor_category_keys()
        index = keys.index(factor.category) if factor.category in keys else -1
        category = keys[(index + 1) % len(keys)]
        try:
            store.update_factor(factor.id, category, factor.text)
        except (InputError, NotFound) as exc:
            self._error(exc)
            return
        self._load(select=factor.id)
        self.notify(f"Now under {category}.", timeout=2)

    def action_delete_factor(self) -> None:
        """Delete the selected factor (u brings it back, with its links)."""
        factor, store = self._selected(), self.context.store
        if factor is None or factor.id is None or store is None:
            return
        try:
            self._deleted.append(store.delete_factor(factor.id))
        except NotFound as exc:
            self._error(exc)
            return
        self._load()
        self.notify("Factor deleted. u brings it back.", timeout=4)

    def action_undo_factor(self) -> None:
        """Bring back the last deleted factor."""
        store = self.context.store
        if not self._deleted or store is None:
            self.notify("Nothing to undo.", timeout=3)
            return
        factor, why_ids = self._deleted.pop()
        try:
            restored = store.restore_factor(factor, why_ids)
        except (InputError, NotFound) as exc:
            self._error(exc)
            return
        self._load(select=restored.id)
