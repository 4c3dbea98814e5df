"""Change one field of an action from the Follow-ups screen: its owner, or its due date (read
as the action dialog reads it: `fri`, `+3d`, `2026-12-04`).

Their placement is in follow_ups.tcss, the stylesheet of the one screen that opens them (a
screen's stylesheet applies app-wide once loaded)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Footer, Input, Label, Static

from debrief_tui.ui.dialogs.action_dialog import read_due
from debrief_tui.ui.dialogs.form import FormDialog, SaveHook, form_hint
from debrief_tui.ui.literal import literal
from debrief_tui.ui.widgets.safe_input import SafeInput


class OwnerDialog(FormDialog[str]):
    """One box for the owner, completing the session's attendees and teams; empty leaves the
    action with no owner."""

    def __init__(self, action_text: str, owner: str, owners: Sequence[str], save: SaveHook[str]):
        super().__init__(save)
        self.action_text = action_text
        self.owner = owner
        self.owners = list(owners)

    def compose(self) -> ComposeResult:
        """The action, the box and the hint."""
        with Vertical(classes="dialog form"):
            yield Static("Owner", classes="dialog-title")
            yield Static(literal(self.action_text, "italic"), classes="follow-up-action")
            yield Label("One person or team (Tab takes the name offered; empty: no owner)")
            yield SafeInput(
                self.owner,
                id="owner-input",
                compact=True,
                select_on_focus=True,
                suggester=SuggestFromList(self.owners, case_sensitive=False),
            )
            yield Static(Text(form_hint(lists=False), style="dim"))
        yield Footer()

    def on_mount(self) -> None:
        """Start in the box."""
        self.set_focus(self.query_one("#owner-input", Input))

    async def action_save(self) -> None:
        """Save the owner as typed (white space folded by the repository)."""
        await self.submit(self.query_one("#owner-input", Input).value)


class DueDialog(FormDialog[date | None]):
    """One box for the due date, read as it is typed against today in the session's zone;
    empty leaves the action with no due date."""

    def __init__(
        self, action_text: str, due: date | None, today: date, save: SaveHook[date | None]
    ) -> None:
        super().__init__(save)
        self.action_text = action_text
        self.due = due
        self.today = today

    def compose(self) -> ComposeResult:
        """The action, the box, what the box reads as, and the hint."""
        with Vertical(classes="dialog form"):
            yield Static("Due date", classes="dialog-title")
            yield Static(literal(self.action_text, "italic"), classes="follow-up-action")
            yield Label("Due (fri, +3d, 2026-12-04, end of month…; empty: no due date)")
            yield SafeInput(
                self.due.isoformat() if self.due else "",
                id="due-input",
                compact=True,
                select_on_focus=True,
            )
            yield Static("", id="due-read")
            yield Static(Text(form_hint(lists=False), style="dim"))
        yield Footer()

    def on_mount(self) -> None:
        """Start in the box, saying what it reads as."""
        self._read()
        self.set_focus(self.query_one("#due-input", Input))

    @on(Input.Changed, "#due-input")
    def _changed(self) -> None:
        self._read()

    def _read(self) -> tuple[date | None, bool]:
        """The date the box names (None: empty), shown under it, and whether it could be read
        (if not, why is shown instead)."""
        box, shown = self.query_one("#due-input", Input), self.query_one("#due-read", Static)
        return read_due(box.value, self.today, shown, empty="no due date")

    async def action_save(self) -> None:
        """Save the date the box names; one that cannot be read keeps the dialog open."""
        due, readable = self._read()
        if readable:
            await self.submit(due)
