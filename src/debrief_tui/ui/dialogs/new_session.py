"""The dialog that creates a session: title, severity, time zone and when it started."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Input, Label, Select, Static

from debrief_tui.core.errors import InputError, Refusal
from debrief_tui.core.reference import severities
from debrief_tui.core.sessions import parse_fact
from debrief_tui.core.timeline import machine_zone
from debrief_tui.ui.dialogs.form import FormDialog, enter_bindings, form_hint
from debrief_tui.ui.widgets.safe_input import SafeInput

if TYPE_CHECKING:
    from debrief_tui.core.persistence import Gateway


class NewSessionDialog(FormDialog[int]):
    """Collect the few facts a session needs to exist; dismisses with the new id."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+s", "save", "Create", id="save"),
        *enter_bindings("Create"),
    ]

    def __init__(self, gateway: Gateway, default_zone: str | None = None) -> None:
        super().__init__()
        self.gateway = gateway
        self.default_zone = default_zone or machine_zone()

    def compose(self) -> ComposeResult:
        """Title, severity, zone and start, each with room for a message."""
        with Vertical(classes="dialog form"):
            yield Static("New postmortem session", classes="dialog-title")
            yield Label("Title")
            yield SafeInput(id="new-title", hint="What happened, in a few words", compact=True)
            yield Label("Severity")
            yield Select(
                [(f"{s.key} · {s.name}", s.key) for s in severities()],
                value=severities()[1].key if len(severities()) > 1 else severities()[0].key,
                allow_blank=False,
                id="new-severity",
                compact=True,
            )
            yield Label("Time zone (IANA)")
            yield SafeInput(self.default_zone, id="new-timezone", compact=True)
            yield Label("Started (optional): YYYY-MM-DD HH:MM [ZONE]", markup=False)
            yield SafeInput(id="new-started", hint="2025-03-21 23:12", compact=True)
            yield Static(
                Text(form_hint("creates"), style="dim"), id="new-error", classes="field-error"
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Create (ctrl+s)", variant="primary", id="create")
                yield Button("Cancel (esc)", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        """Start in the title box."""
        self.set_focus(self.query_one("#new-title", Input))

    @on(Button.Pressed, "#create")
    async def action_save(self) -> None:
        """Validate everything, then create the session and dismiss with its id."""
        error = self.query_one("#new-error", Static)
        try:
            zone = str(parse_fact("timezone", self.query_one("#new-timezone", Input).value, "UTC"))
            title = str(parse_fact("title", self.query_one("#new-title", Input).value, zone))
            severity = str(self.query_one("#new-severity", Select).value)
            started = parse_fact("started_at", self.query_one("#new-started", Input).value, zone)
        except InputError as exc:
            error.update(Text(f"✗ {exc}"))
            return
        try:
            row = await self.gateway.write(
                lambda tx: tx.sessions.create(title, severity, zone, started_at=started)
            )
        except Refusal as exc:
            error.update(Text(f"✗ {exc}"))
            return
        self.dismiss(row.id)

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
