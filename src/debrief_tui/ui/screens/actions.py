"""Actions: SMART follow-ups, each traced to the causes it answers, in proportion to the
severity."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from debrief_tui.core.actions import (
    ActionLinks,
    ActionRow,
    Gap,
    owners_of,
    proportion_hints,
    smart_gaps,
)
from debrief_tui.core.clock import today_in
from debrief_tui.core.reference import ACTION_PRIORITIES, ACTION_STATUSES, ACTION_TYPES
from debrief_tui.core.text import counted, shorten
from debrief_tui.core.whys import WhyTree
from debrief_tui.paths import styles_path
from debrief_tui.ui.literal import literal
from debrief_tui.ui.screens.stage import StageScreen
from debrief_tui.ui.tones import LABEL, OK, WARNING, tone
from debrief_tui.ui.widgets.fitted_table import FittedTable, widest

if TYPE_CHECKING:
    from debrief_tui.core.persistence import (
        Action,
        ActionsSnapshot,
        Attendee,
        Factor,
        Job,
        Unit,
    )

_MARKS = {"no_owner": "O", "several_owners": "2", "no_due_date": "D", "past_due": "!", "vague": "V"}


class ActionTable(FittedTable):
    """The action items; these keys apply while it has focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "screen.add_action", "Add", id="add-action"),
        Binding("enter,e", "screen.edit_action", "Edit", id="edit-action"),
        Binding("s", "screen.next_status", "Status ▶", id="action-status"),
        Binding("p", "screen.toggle_proposal", "Proposal", id="action-proposal"),
        Binding("d,delete", "screen.delete_action", "Delete", id="delete-action"),
        Binding("u", "screen.undo", "Undo", id="undo-action"),
    ]


class ActionsScreen(StageScreen):
    """The actions stage."""

    LIVE_KINDS: ClassVar[frozenset[str]] = frozenset(
        {"action", "why", "factor", "session", "attendee"}
    )

    CSS_PATH = styles_path("actions.tcss")

    def compose_content(self) -> ComposeResult:
        """Heading with the proportion hints, the table, the selected action's details."""
        with Vertical(id="actions"):
            yield Static(id="actions-title")
            yield ActionTable(
                (
                    ("SMART", "smart", 5),
                    ("Action", "text", None),
                    ("Prio", "priority", widest("Prio", ACTION_PRIORITIES)),
                    ("Owner", "owner", 12),
                    ("Due", "due", 10),
                    ("Type", "type", widest("Type", ACTION_TYPES)),
                    ("Status", "status", widest("Status", (*ACTION_STATUSES, "proposal"))),
                    ("Ticket", "ticket", 12),
                ),
                # Left out in this order when the action's text would get too narrow: the
                # detail line under the table shows all three for the selected action.
                optional=("ticket", "priority", "type"),
                id="action-table",
            )
            yield Static(id="action-detail")

    def prepare_content(self) -> None:
        """Nothing read yet."""
        self.actions: list[Action] = []
        self.links: dict[int, ActionLinks] = {}
        self.gaps: dict[int, list[Gap]] = {}
        self.whys = WhyTree([])
        self.factors: dict[int, Factor] = {}
        self.people: list[Attendee] = []
        self.severity = ""
        self.today = today_in(self.context.zone_name, self.context.clock())
        self.query_one("#actions-title", Static).update(Text("Opening…", style="dim"))

    def main_widget(self) -> Widget:
        """The table."""
        return self.query_one(ActionTable)

    def selected_topic(self) -> str | None:
        """The selected action, to park."""
        action = self._selected()
        return action.text if action else None

    def snapshot_job(self) -> tuple[Job[ActionsSnapshot], bool]:
        """The actions with what they answer (actions are added from the 5 Whys and factors
        stages too) and the people who can own them."""
        session_id = self.context.session_id
        return (lambda tx: tx.snapshots.actions(session_id)), False

    def show_snapshot(self, snapshot: ActionsSnapshot, select: int | None) -> None:
        """Show the actions and their SMART marks."""
        session = snapshot.session
        self.severity = session.severity
        # The meeting's clock, not the machine's: a test (or a replay) runs on its own day.
        self.today = today_in(session.timezone, self.context.clock())
        self.people, self.actions, self.links = snapshot.attendees, snapshot.actions, snapshot.links
        self.whys = WhyTree(snapshot.whys)
        self.factors = {f.id or 0: f for f in snapshot.factors}
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
            marks = (
                Text("✓", style=tone(self, OK)) if not gaps else Text("", style=tone(self, WARNING))
            )
            if gaps:
                marks.append(" ".join(_MARKS.get(g.code, "?") for g in gaps))
            status = Text(action.status)
            if action.proposal:
                status = Text("proposal", style="italic")
            table.add_fitted(
                (
                    marks,
                    literal(action.text),
                    Text(action.priority),
                    literal(action.owner) if action.owner else Text("—", style="dim"),
                    Text(action.due_date.isoformat() if action.due_date else "—"),
                    Text(action.type),
                    status,
                    literal(action.ticket) if action.ticket else Text("—", style="dim"),
                ),
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
                title.append(f" · {counted(proposals, 'proposal')}", style="dim")
        else:
            title.append("  none yet: a adds one, or n on a why-node or a factor", style="dim")
        for hint in proportion_hints(self.severity, self.actions):
            title.append("\n⚠ ", style=tone(self, WARNING))
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
                part = Text(f"why #{self.whys.depth(why_id)} ", style=tone(self, LABEL))
                part.append_text(literal(shorten(self.whys.nodes[why_id].text, 80)))
                parts.append(part)
        for factor_id in links.factor_ids:
            if factor_id in self.factors:
                part = Text("factor ", style=tone(self, LABEL))
                part.append_text(literal(shorten(self.factors[factor_id].text, 80)))
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
                text.append(f"\n⚠ {gap.mark}: ", style=tone(self, WARNING))
                text.append_text(literal(gap.explain))
        else:
            text.append("a adds an action · n on a why-node or factor adds one for it", style="dim")
        self.query_one("#action-detail", Static).update(text)

    def _selected(self) -> Action | None:
        table = self.query_one(ActionTable)
        if not self.actions or not 0 <= table.cursor_row < len(self.actions):
            return None
        return self.actions[table.cursor_row]

    def _dialog(self, action: Action | None, save: Callable[[ActionRow], Awaitable[None]]) -> None:
        """The action dialog, new or editing; an edit whose action another seat deletes
        meanwhile can be kept as a new action."""
        from debrief_tui.ui.dialogs.action_dialog import ActionDialog

        answers = self._answers(action) if action is not None else None
        if answers is not None:
            answers = Text("Answers: ", style="dim") + answers
        dialog = ActionDialog(
            today=self.today,
            severity=self.severity,
            owners=owners_of(self.people),
            action=action,
            answers=answers,
            save=save,
        )
        if action is not None:
            dialog.as_new = self._adding
        self.app.push_screen(dialog)

    async def _adding(self, row: ActionRow) -> None:
        session_id = self.context.session_id
        action = await self.context.gateway.write(lambda tx: tx.actions.add(session_id, row))
        await self.reload(select=action.id)

    def action_add_action(self) -> None:
        """Add an action (dialog)."""
        self._dialog(None, self._adding)

    def action_edit_action(self) -> None:
        """Edit the selected action; its links stay."""
        action, gateway = self._selected(), self.context.gateway
        if action is None or action.id is None:
            return
        action_id = action.id

        async def save(row: ActionRow) -> None:
            await gateway.write(lambda tx: tx.actions.update(action_id, row))
            await self.reload(select=action_id)

        self._dialog(action, save)

    async def _change(self, action: Action, **changes: object) -> bool:
        if action.id is None:
            return False
        action_id = action.id
        fields = {name: getattr(action, name) for name in ActionRow.__dataclass_fields__}
        row = ActionRow(**{**fields, **changes})

        def update(tx: Unit) -> Action:
            return tx.actions.update(action_id, row)

        if await self.write(update) is None:
            return False
        await self.reload(select=action_id)
        return True

    async def action_next_status(self) -> None:
        """Move the selected action to the next status."""
        action = self._selected()
        if action is not None:
            index = ACTION_STATUSES.index(action.status) if action.status in ACTION_STATUSES else -1
            await self._change(action, status=ACTION_STATUSES[(index + 1) % len(ACTION_STATUSES)])

    async def action_toggle_proposal(self) -> None:
        """Mark the selected action as a proposal for the owning team to weigh, or commit it."""
        action = self._selected()
        if action is not None and await self._change(action, proposal=not action.proposal):
            self.notify(
                "A proposal: the owning team weighs it before committing."
                if not action.proposal
                else "Committed: no longer a proposal.",
                timeout=3,
            )

    async def action_delete_action(self) -> None:
        """Delete the selected action (u brings it back, with its links)."""
        action = self._selected()
        if action is None or action.id is None:
            return
        action_id = action.id
        removed = await self.write(lambda tx: tx.actions.delete(action_id))
        if removed is None:
            return
        self.context.undo.push(self.stage.key, removed)
        await self.reload()
        self.notify("Action deleted. u brings it back.", timeout=4)
