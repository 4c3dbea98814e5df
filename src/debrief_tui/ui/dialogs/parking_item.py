"""Edit a parked topic: its text and who owns it."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Footer, Input, Label, Static

from debrief_tui.ui.dialogs.form import FormDialog, SaveHook, form_hint
from debrief_tui.ui.widgets.safe_input import SafeInput


class ParkingItemDialog(FormDialog[tuple[str, str]]):
    """Topic and owner; dismisses with (text, owner)."""

    def __init__(
        self,
        text: str,
        owner: str,
        save: SaveHook[tuple[str, str]] | None = None,
        owners: Sequence[str] = (),
    ) -> None:
        super().__init__(save)
        self.initial = (text, owner)
        self.owners = list(owners)
        """The attendees and teams offered as the owner is typed (Tab takes one)."""

    def compose(self) -> ComposeResult:
        """Two boxes and a message line."""
        with Vertical(classes="dialog form"):
            yield Static("Parked topic", classes="dialog-title")
            yield Label("Topic")
            yield SafeInput(self.initial[0], id="parking-text", compact=True)
            yield Label("Owner (who picks it up)")
            yield SafeInput(
                self.initial[1],
                id="parking-owner",
                compact=True,
                suggester=SuggestFromList(self.owners, case_sensitive=False),
            )
            yield Static(Text(form_hint(lists=False), style="dim"), id="parking-error")
        yield Footer()

    def on_mount(self) -> None:
        """Start in the owner box: giving a parked topic an owner is the usual edit."""
        self.set_focus(self.query_one("#parking-owner", Input))

    async def action_save(self) -> None:
        """Check the topic is not empty and dismiss with the values."""
        text = self.query_one("#parking-text", Input).value.strip()
        if not text:
            self.query_one("#parking-error", Static).update(Text("✗ the topic cannot be empty"))
            self.set_focus(self.query_one("#parking-text", Input))
            return
        await self.submit((text, self.query_one("#parking-owner", Input).value.strip()))
