"""Ask for one line of text (edit a minute, name a topic to park)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from debrief_tui.paths import styles_path
from debrief_tui.ui.dialogs.form import SaveHook, save_then_dismiss
from debrief_tui.ui.widgets.safe_input import SafeInput


class TextPrompt(ModalScreen[str | None]):
    """One box; Enter returns its text, Escape returns None."""

    CSS_PATH = styles_path("dialogs.tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(
        self,
        title: str,
        label: str,
        value: str = "",
        *,
        required: bool = True,
        save: SaveHook[str] | None = None,
        select: bool = False,
    ) -> None:
        """`select`: the box opens with `value` selected, so what is typed replaces it (a
        suggestion); else the cursor is at its end, to go on typing."""
        super().__init__()
        self._save_hook = save
        self.heading = title
        self.label = label
        self.initial = value
        self.required = required
        self.select = select

    def compose(self) -> ComposeResult:
        """Title, label, box and a message line."""
        with Vertical(classes="dialog form"):
            yield Static(self.heading, classes="dialog-title")
            yield Label(self.label)
            yield SafeInput(
                self.initial, id="prompt-input", compact=True, select_on_focus=self.select
            )
            yield Static(Text("Enter saves · Esc cancels", style="dim"), id="prompt-error")
        yield Footer()

    def on_mount(self) -> None:
        """Start in the box."""
        self.set_focus(self.query_one("#prompt-input", Input))

    @on(Input.Submitted, "#prompt-input")
    async def _submitted(self, event: Input.Submitted) -> None:
        if self.required and not event.value.strip():
            self.query_one("#prompt-error", Static).update(Text("✗ type something first"))
            return
        await save_then_dismiss(self, self._save_hook, event.value)

    def action_cancel(self) -> None:
        """Close without an answer."""
        self.dismiss(None)


def no_action_prompt(note: str | None, save: SaveHook[str]) -> TextPrompt:
    """Accept a cause or factor with no action: why (an empty note takes it back)."""
    return TextPrompt(
        "Accept with no action",
        "Why no action (empty takes the acceptance back)",
        note or "",
        required=False,
        save=save,
    )
