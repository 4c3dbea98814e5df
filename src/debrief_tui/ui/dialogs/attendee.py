"""The dialog that adds or edits an attendee: name, team and role."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Input, Label, Select, Static

from debrief_tui.core.reference import ROLES
from debrief_tui.ui.dialogs.form import FormDialog, SaveHook, form_hint
from debrief_tui.ui.widgets.safe_input import SafeInput


@dataclass(frozen=True)
class AttendeeValues:
    """What the dialog collected."""

    name: str
    team: str
    role: str


class AttendeeDialog(FormDialog[AttendeeValues]):
    """Collect an attendee's name, team and role."""

    def __init__(
        self,
        title: str,
        initial: AttendeeValues | None = None,
        save: SaveHook[AttendeeValues] | None = None,
    ) -> None:
        super().__init__(save)
        self.heading = title
        self.initial = initial or AttendeeValues("", "", "responder")

    def compose(self) -> ComposeResult:
        """Name, team and role fields with a message line and buttons."""
        with Vertical(classes="dialog form"):
            yield Static(self.heading, classes="dialog-title")
            yield Label("Name")
            yield SafeInput(self.initial.name, id="attendee-name", compact=True)
            yield Label("Role")
            yield Select(
                [(role, role) for role in ROLES],
                value=self.initial.role,
                allow_blank=False,
                id="attendee-role",
                compact=True,
            )
            yield Label("Team")
            yield SafeInput(self.initial.team, id="attendee-team", compact=True)
            yield Static(Text(form_hint(), style="dim"), id="attendee-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        """Start in the name box."""
        self.set_focus(self.query_one("#attendee-name", Input))

    @on(Button.Pressed, "#save")
    async def action_save(self) -> None:
        """Check the name and dismiss with the values."""
        name = self.query_one("#attendee-name", Input).value.strip()
        if not name:
            self.query_one("#attendee-error", Static).update(Text("✗ an attendee needs a name"))
            self.set_focus(self.query_one("#attendee-name", Input))
            return
        team = self.query_one("#attendee-team", Input).value.strip()
        role = str(self.query_one("#attendee-role", Select).value)
        await self.submit(AttendeeValues(name, team, role))

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
