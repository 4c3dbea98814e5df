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

from debrief_tui.core.actions import ActionLinks
from debrief_tui.core.reference import factor_category_keys
from debrief_tui.core.text import one_line
from debrief_tui.core.whys import WhyTree
from debrief_tui.paths import styles_path
from debrief_tui.ui.literal import literal
from debrief_tui.ui.screens.grouped_rows import GroupedRowsScreen, RowKind
from debrief_tui.ui.tones import LABEL, OK, tone
from debrief_tui.ui.widgets.fitted_table import FittedTable, widest

if TYPE_CHECKING:
    from debrief_tui.core.persistence import Action, Factor, FactorsSnapshot, Job
    from debrief_tui.ui.dialogs.choice_text import ChoiceTextDialog
    from debrief_tui.ui.dialogs.form import SaveHook

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
        Binding("u", "screen.undo", "Undo", id="undo-factor"),
        Binding("n", "screen.new_action", "New action", id="factor-action"),
        Binding("x", "screen.accept_factor", "No action", id="factor-no-action"),
    ]


def _factor_dialog(category: str, text: str, save: SaveHook[tuple[str, str]]) -> ChoiceTextDialog:
    from debrief_tui.ui.dialogs.choice_text import factor_dialog

    return factor_dialog(category, text, save)


class FactorsScreen(GroupedRowsScreen):
    """The contributing factors stage, with the response prompts."""

    LIVE_KINDS: ClassVar[frozenset[str]] = frozenset({"factor", "why", "action"})

    CSS_PATH = styles_path("factors.tcss")
    row_kind: ClassVar[RowKind[Factor]] = RowKind(
        noun="factor",
        groups=factor_category_keys,
        group_of=lambda factor: factor.category,
        text_of=lambda factor: factor.text,
        dialog=_factor_dialog,
        add=lambda tx, session_id, category, text: tx.factors.add(session_id, category, text),
        # A factor's links to why-nodes stay through edits, and come back with an undo.
        update=lambda tx, factor_id, category, text: tx.factors.update(factor_id, category, text),
        delete=lambda tx, factor_id: tx.factors.delete(factor_id),
    )

    def compose_content(self) -> ComposeResult:
        """Response prompts, heading, table."""
        with Vertical(id="factors"):
            response = Text("Response: ", style="bold")
            response.append("  ".join(f"▸ {p}" for p in RESPONSE_PROMPTS), style="")
            response.append("  (record them under 'response')")  # muted already
            yield Static(response, id="response-prompts")
            yield Static(id="factors-title")
            yield FactorTable(
                (
                    ("Category", "category", widest("Category", factor_category_keys())),
                    ("Factor", "text", None),
                    ("From the 5 Whys", "whys", 22),
                    ("Action", "action", 8),
                ),
                # Left out when the factor's text would get too narrow: the line under the
                # table names every why-node the selected factor came from.
                optional=("whys",),
                id="factor-table",
            )
            yield Static(id="factor-detail")

    def prepare_content(self) -> None:
        """The links and the tree the factors are shown with come with each snapshot."""
        self.links: dict[int, list[int]] = {}
        self.actions_for: dict[int, int] = {}
        self.whys = WhyTree([])
        super().prepare_content()
        self.query_one("#factors-title", Static).update(Text("Opening…", style="dim"))

    def main_widget(self) -> Widget:
        """The table."""
        return self.query_one(FactorTable)

    def snapshot_job(self) -> tuple[Job[FactorsSnapshot], bool]:
        """The factors, their links and the tree (factors are promoted from the 5 Whys stage
        and answered from the actions stage too)."""
        session_id = self.context.session_id
        return (lambda tx: tx.snapshots.factors(session_id)), False

    def show_snapshot(self, snapshot: FactorsSnapshot, select: int | None) -> None:
        """Show the factors."""
        self.rows = snapshot.factors
        self.links, self.actions_for = snapshot.links, snapshot.actions_for
        self.whys = WhyTree(snapshot.whys)
        self._show(select)

    @on(FittedTable.Refit, "#factor-table")
    def _refit(self) -> None:
        self._show()

    def _show(self, select: int | None = None) -> None:
        table = self.query_one(FactorTable)
        if select is None:
            current = self.selected_row()
            select = current.id if current else None
        table.fit_columns()
        previous = None
        for factor in self.rows:
            heading = factor.category if factor.category != previous else ""
            previous = factor.category
            table.add_fitted(
                (
                    Text(heading, style="bold"),
                    literal(factor.text),
                    self._whys_cell(factor),
                    self._action_cell(factor),
                ),
                key=str(factor.id),
            )
        if select is not None:
            index = next((i for i, f in enumerate(self.rows) if f.id == select), None)
            if index is not None:
                table.move_cursor(row=index)
        title = Text("Contributing factors", style="bold")
        if not self.rows:
            title.append(
                "  none yet: a adds one, or f on a node in the 5 Whys promotes it", style="dim"
            )
        else:
            used = len({f.category for f in self.rows})
            title.append(f"  {len(self.rows)} in {used} categories", style="dim")
        self.query_one("#factors-title", Static).update(title)
        self._show_detail()
        self.refresh_bindings()
        self.show_wanted()

    def _whys_cell(self, factor: Factor) -> Text:
        ids = [i for i in self.links.get(factor.id or 0, []) if i in self.whys.nodes]
        if not ids:
            return Text("—", style="dim")
        first = self.whys.nodes[ids[0]]
        text = Text(f"why #{self.whys.depth(ids[0])} ", style=tone(self, LABEL))
        text.append_text(literal(one_line(first.text)))
        if len(ids) > 1:
            text.append(f" +{len(ids) - 1}", style="dim")
        return text

    @on(FactorTable.RowHighlighted, "#factor-table")
    def _moved(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """Every why-node the selected factor came from, whole: the table's column shows the
        first (and is left out when the terminal is narrow)."""
        factor = self.selected_row()
        text = Text()
        if factor is not None:
            ids = [i for i in self.links.get(factor.id or 0, []) if i in self.whys.nodes]
            text.append("From the 5 Whys: ", style="bold")
            for index, why_id in enumerate(ids):
                if index:
                    text.append(" · ")
                text.append(f"why #{self.whys.depth(why_id)} ", style=tone(self, LABEL))
                text.append_text(literal(one_line(self.whys.nodes[why_id].text)))
            if not ids:
                text.append("none (f on a node in the 5 Whys promotes one)", style="dim")
        self.query_one("#factor-detail", Static).update(text)

    def _action_cell(self, factor: Factor) -> Text:
        count = self.actions_for.get(factor.id or 0, 0)
        if count:
            return Text(f"✓ {count}", style=tone(self, OK))
        if factor.no_action_note:
            return Text("accepted", style="dim")
        return Text("—", style="dim")

    def select_row(self, kind: str, row_id: int) -> bool:
        """Select a factor asked for by id (from the wrap-up checklist)."""
        if kind != "factor":
            return True
        index = next((i for i, f in enumerate(self.rows) if f.id == row_id), None)
        if index is None:
            return False
        table = self.query_one(FactorTable)
        table.move_cursor(row=index)
        self.set_focus(table)
        return True

    async def action_new_action(self) -> None:
        """An action answering the selected factor (and the why-nodes it came from)."""
        from debrief_tui.ui.dialogs.action_dialog import new_action

        factor = self.selected_row()
        if factor is None or factor.id is None:
            return
        answers = Text("Answers factor: ", style="dim")
        answers.append_text(literal(one_line(factor.text)))
        factor_id = factor.id

        async def saved(action: Action) -> None:
            await self.reload(select=factor_id)
            self.notify("Action added; see it in the Actions stage.", timeout=4)

        links = ActionLinks((factor_id,), ())
        await new_action(self, self.context, links, answers, saved)

    def action_accept_factor(self) -> None:
        """Accept the selected factor with no action, saying why (an empty note takes it back)."""
        factor = self.selected_row()
        if factor is None or factor.id is None:
            return
        self.ask_no_action_note("factor", factor.id, factor.no_action_note)
