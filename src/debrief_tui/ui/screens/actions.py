"""Actions: SMART follow-ups, each traced to the causes it answers, in proportion to the
severity."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from debrief_tui.core.actions.due_dates import today_in
from debrief_tui.core.actions.smart import Gap, owners_of, proportion_hints, smart_gaps
from debrief_tui.core.errors import InputError, NotFound
from debrief_tui.core.reference.vocab import ACTION_STATUSES
from debrief_tui.core.store_types import ActionLinks, ActionRow
from debrief_tui.core.text import printable, shorten
from debrief_tui.core.whys.tree import WhyTree
from debrief_tui.paths import styles_path
from debrief_tui.ui.literal import literal
from debrief_tui.ui.screens.stage import StageScreen
from debrief_tui.ui.widgets.fitted_table import FittedTable

if TYPE_CHECKING:
    from debrief_tui.core.persistence.models import Action, Attendee, Factor

_WARN = "bold #ffb000"
_MARKS = {"no_owner": "O", "several_owners": "2", "no_due_date": "D", "past_due": "!", "vague": "V"}


class ActionTable(FittedTable):
    """The action items; these keys apply while it has focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "screen.add_action", "Add", id="add-action"),
        Binding("enter,e", "screen.edit_action", "Edit", id="edit-action"),
        Binding("s", "screen.next_status", "Status ▶", id="action-status"),
        Binding("p", "screen.toggle_proposal", "Proposal", id="action-proposal"),
        Binding("d,delete", "screen.delete_action", "Delete", id="delete-action"),
        Binding("u", "screen.undo_action", "Undo", id="undo-action"),
    ]


def open_action_dialog(
    screen: StageScreen,
    links: ActionLinks,
    answers: Text,
    text: str,
    then: Callable[[Action], None],
) -> None:
    """Ask for a new action answering `links` (from a why-node or a factor), save it, then
    call `then` with it. Used by the 5 Whys and factors stages' one-key "new action"."""
    from debrief_tui.ui.dialogs.action_dialog import ActionDialog

    store = screen.context.store
    if store is None:
        return
    session = store.get_session(screen.context.session_id)
    people = store.list_attendees(session.id or 0)

    def done(row: ActionRow | None) -> None:
        if row is None:
            return
        try:
            action = store.add_action(session.id or 0, row, links)
        except (InputError, NotFound) as exc:
            screen.notify(printable(str(exc)), severity="error", markup=False)
            return
        then(action)

    screen.app.push_screen(
        ActionDialog(
            today=today_in(session.timezone),
            severity=session.severity,
            owners=owners_of(people),
            text=text,
            answers=answers,
        ),
        done,
    )


class ActionsScreen(StageScreen):
    """The actions stage."""

    CSS_PATH = styles_path("actions.tcss")

    def compose_content(self) -> ComposeResult:
        """Heading with the proportion hints, the table, the selected action's details."""
        with Vertical(id="actions"):
            yield Static(id="actions-title")
            yield ActionTable(
                (
                    ("SMART", "smart", 5),
                    ("Action", "text", None),
                    ("Owner", "owner", 12),
                    ("Due", "due", 10),
                    ("Type", "type", 8),
                    ("Status", "status", 11),
                ),
                id="action-table",
            )
            yield Static(id="action-detail")

    def prepare_content(self) -> None:
        """Load the actions."""
        self.actions: list[Action] = []
        self.links: dict[int, ActionLinks] = {}
        self.gaps: dict[int, list[Gap]] = {}
        self.whys = WhyTree([])
        self.factors: dict[int, Factor] = {}
        self.people: list[Attendee] = []
        self.severity = ""
        self.today = today_in(self.context.zone_name)
        self._deleted: list[tuple[Action, ActionLinks]] = []
        self._load()

    def refresh_view(self) -> None:
        """Also reload: actions are added from the 5 Whys and factors stages too."""
        super().refresh_view()
        if self.query(ActionTable):
            self._load()

    def main_widget(self) -> Widget:
        """The table."""
        return self.query_one(ActionTable)

    def selected_topic(self) -> str | None:
        """The selected action, to park."""
        action = self._selected()
        return action.text if action else None

    def _load(self, select: int | None = None) -> None:
        store = self.context.store
        if store is None:
            self.query_one("#actions-title", Static).update(Text("Opening…", style="dim"))
            return
        session_id = self.context.session_id
        session = store.get_session(session_id)
        self.severity, self.today = session.severity, today_in(session.timezone)
        self.people = store.list_attendees(session_id)
        self.actions = store.list_actions(session_id)
        self.links = store.action_links(session_id)
        self.whys = WhyTree(store.list_whys(session_id))
        self.factors = {f.id or 0: f for f in store.list_factors(session_id)}
        owners = owners_of(self.people)
        self.gaps = {a.id or 0: smart_gaps(a, self.today, owners) for a in self.actions}
        self._show(select)

    @on(FittedTable.Refit, "#action-table")
    def _refit(self) -> None:
        self._show()

    def _show(self, select: int | None = None) -> None:
        table = self.query_one(ActionTable)
        if select is None:
            current = self._selected()
            select = current.id if current else None
        table.fit_columns()
        for action in self.actions:
            gaps = self.gaps.get(action.id or 0, [])
            marks = Text("✓", style="green") if not gaps else Text("", style=_WARN)
            if gaps:
                marks.append(" ".join(_MARKS.get(g.code, "?") for g in gaps))
            status = Text(action.status)
            if action.proposal:
                status = Text("proposal", style="italic")
            table.add_row(
                marks,
                table.fitted(literal(action.text)),
                literal(action.owner) if action.owner else Text("—", style="dim"),
                Text(action.due_date.isoformat() if action.due_date else "—"),
                Text(action.type),
                status,
                key=str(action.id),
            )
        self._select(select)
        self._show_title()
        self._show_detail()
        self.refresh_bindings()
        self.show_wanted()

    def _show_title(self) -> None:
        title = Text("Actions", style="bold")
        proposals = sum(1 for a in self.actions if a.proposal)
        smart = sum(1 for a in self.actions if not self.gaps.get(a.id or 0))
        if self.actions:
            title.append(f"  {len(self.actions)} · {smart} SMART", style="dim")
            if proposals:
                title.append(f" · {proposals} proposal(s)", style="dim")
        else:
            title.append("  none yet: a adds one, or n on a why-node or a factor", style="dim")
        for hint in proportion_hints(self.severity, self.actions):
            title.append("\n⚠ ", style=_WARN)
            title.append(hint)
        self.query_one("#actions-title", Static).update(title)

    def _select(self, action_id: int | None) -> bool:
        index = next((i for i, a in enumerate(self.actions) if a.id == action_id), None)
        if index is None:
            return False
        self.query_one(ActionTable).move_cursor(row=index)
        return True

    def select_row(self, kind: str, row_id: int) -> bool:
        """Select an action asked for by id (from the wrap-up checklist)."""
        if kind != "action":
            return True
        if not self._select(row_id):
            return False
        self.set_focus(self.query_one(ActionTable))
        return True

    @on(ActionTable.RowHighlighted, "#action-table")
    def _moved(self) -> None:
        self._show_detail()

    def _answers(self, action: Action) -> Text:
        links = self.links.get(action.id or 0, ActionLinks())
        parts: list[Text] = []
        for why_id in links.why_ids:
            if why_id in self.whys.nodes:
                part = Text(f"why #{self.whys.depth(why_id)} ", style="cyan")
                part.append_text(literal(shorten(self.whys.nodes[why_id].text, 40)))
                parts.append(part)
        for factor_id in links.factor_ids:
            if factor_id in self.factors:
                part = Text("factor ", style="cyan")
                part.append_text(literal(shorten(self.factors[factor_id].text, 40)))
                parts.append(part)
        return Text(", ").join(parts) if parts else Text("no cause linked", style="dim")

    def _show_detail(self) -> None:
        """The selected action's priority, ticket, what it answers, and what the SMART check
        found, each with what to do about it."""
        action = self._selected()
        text = Text()
        if action is not None:
            text.append(f"{action.priority} · {action.type}", style="bold")
            if action.ticket:
                text.append(" · ticket ")
                text.append_text(literal(action.ticket))
            text.append(" · answers ")
            text.append_text(self._answers(action))
            for gap in self.gaps.get(action.id or 0, [])[:2]:
                text.append(f"\n⚠ {gap.mark}: ", style=_WARN)
                text.append_text(literal(gap.explain))
        else:
            text.append("a adds an action · n on a why-node or factor adds one for it", style="dim")
        self.query_one("#action-detail", Static).update(text)

    def _selected(self) -> Action | None:
        table = self.query_one(ActionTable)
        if not self.actions or not 0 <= table.cursor_row < len(self.actions):
            return None
        return self.actions[table.cursor_row]

    def _dialog(self, action: Action | None, done: Callable[[ActionRow | None], None]) -> None:
        from debrief_tui.ui.dialogs.action_dialog import ActionDialog

        answers = self._answers(action) if action is not None else None
        if answers is not None:
            answers = Text("Answers: ", style="dim") + answers
        self.app.push_screen(
            ActionDialog(
                today=self.today,
                severity=self.severity,
                owners=owners_of(self.people),
                action=action,
                answers=answers,
            ),
            done,
        )

    def action_add_action(self) -> None:
        """Add an action (dialog)."""
        store = self.context.store
        if store is None:
            return

        def done(row: ActionRow | None) -> None:
            if row is None:
                return
            action = self.attempt(lambda: store.add_action(self.context.session_id, row))
            if action is None:
                return
            self._load(select=action.id)

        self._dialog(None, done)

    def action_edit_action(self) -> None:
        """Edit the selected action; its links stay."""
        action, store = self._selected(), self.context.store
        if action is None or action.id is None or store is None:
            return
        action_id = action.id

        def done(row: ActionRow | None) -> None:
            if row is None:
                return
            if self.attempt(lambda: store.update_action(action_id, row)) is None:
                return
            self._load(select=action_id)

        self._dialog(action, done)

    def _change(self, action: Action, **changes: object) -> None:
        store = self.context.store
        if store is None or action.id is None:
            return
        action_id = action.id
        fields = {name: getattr(action, name) for name in ActionRow.__dataclass_fields__}
        row = ActionRow(**{**fields, **changes})
        if self.attempt(lambda: store.update_action(action_id, row)) is None:
            return
        self._load(select=action_id)

    def action_next_status(self) -> None:
        """Move the selected action to the next status."""
        action = self._selected()
        if action is not None:
            index = ACTION_STATUSES.index(action.status) if action.status in ACTION_STATUSES else -1
            self._change(action, status=ACTION_STATUSES[(index + 1) % len(ACTION_STATUSES)])

    def action_toggle_proposal(self) -> None:
        """Mark the selected action as a proposal for the owning team to weigh, or commit it."""
        action = self._selected()
        if action is not None:
            self._change(action, proposal=not action.proposal)
            self.notify(
                "A proposal: the owning team weighs it before committing."
                if not action.proposal
                else "Committed: no longer a proposal.",
                timeout=3,
            )

    def action_delete_action(self) -> None:
        """Delete the selected action (u brings it back, with its links)."""
        action, store = self._selected(), self.context.store
        if action is None or action.id is None or store is None:
            return
        try:
            self._deleted.append(store.delete_action(action.id))
        except NotFound as exc:
            self.show_error(exc)
            return
        self._load()
        self.notify("Action deleted. u brings it back.", timeout=4)

    def action_undo_action(self) -> None:
        """Bring back the last deleted action."""
        store = self.context.store
        if not self._deleted or store is None:
            self.notify("Nothing to undo.", timeout=3)
            return
        restored = self.attempt(lambda: store.restore_action(*self._deleted.pop()))
        if restored is None:
            return
        self._load(select=restored.id)
