"""The meeting summary in its own window: on a 24-line screen the wrap-up has no room for it."""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from debrief_tui.paths import styles_path


class SummaryDialog(ModalScreen[None]):
    """Shows a summary; Escape (or v again) closes it."""

    CSS_PATH = styles_path("dialogs.tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,v", "close", "Close", id="close"),
    ]

    def __init__(self, title: str, body: RenderableType) -> None:
        super().__init__()
        self.heading = title
        self.body = body

    def compose(self) -> ComposeResult:
        """Title and the summary, scrollable when it is taller than the screen."""
        with VerticalScroll(classes="dialog", id="summary-box"):
            yield Static(self.heading, classes="dialog-title")
            yield Static(self.body, id="summary-body")
        yield Footer()

    def on_mount(self) -> None:
        """Focus the scrolling box, so arrows scroll it."""
        self.set_focus(self.query_one("#summary-box"))

    def action_close(self) -> None:
        """Close."""
        self.dismiss(None)
