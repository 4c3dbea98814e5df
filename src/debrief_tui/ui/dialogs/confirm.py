"""A yes/no question in a modal dialog."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from debrief_tui.paths import styles_path


class ConfirmDialog(ModalScreen[bool]):
    """Ask a question; dismisses with True when confirmed."""

    CSS_PATH = styles_path("dialogs.tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "confirm", "Yes", id="confirm"),
        Binding("escape,n", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self, question: Text | str, confirm_label: str = "Yes") -> None:
        super().__init__()
        self.question = question if isinstance(question, Text) else Text(question)
        self.confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        """The question and two buttons."""
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.confirm_label} (y)", variant="error", id="yes")
                yield Button("Cancel (n)", id="no")
        yield Footer()

    def on_mount(self) -> None:
        """Focus Cancel so a stray Enter does nothing destructive."""
        self.set_focus(self.query_one("#no", Button))

    @on(Button.Pressed, "#yes")
    def action_confirm(self) -> None:
        """Answer yes."""
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_cancel(self) -> None:
        """Answer no."""
        self.dismiss(False)
