"""Add or edit a contributing factor: its category and what it is."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Select, Static

from debrief_tui.core.reference import factor_categories
from debrief_tui.paths import styles_path
from debrief_tui.ui.widgets.safe_input import SafeInput


class FactorDialog(ModalScreen[tuple[str, str] | None]):
    """Dismisses with (category, text), or None."""

    CSS_PATH = styles_path("dialogs.tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+s", "save", "Save", id="save"),
    ]

    def __init__(self, category: str = "technical", text: str = "", title: str = "") -> None:
        super().__init__()
        self.initial = (category, text)
        self.title_text = title or ("Edit factor" if text else "Add a contributing factor")

    def compose(self) -> ComposeResult:
        """Category, text, a message line."""
        with Vertical(classes="dialog form"):
            yield Static(self.title_text, classes="dialog-title")
            yield Label("Category")
            yield Select(
                [(f"{c.key} — {c.hint}", c.key) for c in factor_categories()],
                value=self.initial[0],
                allow_blank=False,
                id="factor-category",
                compact=True,
            )
            yield Label("What made it possible or worse (a condition, not a person)")
            yield SafeInput(self.initial[1], id="factor-text", compact=True)
            yield Static(Text("Enter saves · Esc cancels", style="dim"), id="factor-error")
        yield Footer()

    def on_mount(self) -> None:
        """Start in the text box."""
        self.set_focus(self.query_one("#factor-text", Input))

    @on(Input.Submitted, "#factor-text")
    def action_save(self) -> None:
        """Check the text and dismiss with the values."""
        text = self.query_one("#factor-text", Input).value.strip()
        if not text:
            self.query_one("#factor-error", Static).update(
                Text("✗ say what the factor is", style="bold #ff5f56")
            )
            return
        self.dismiss((str(self.query_one("#factor-category", Select).value), text))

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
