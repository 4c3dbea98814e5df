"""Ask for one line of text (edit a minute, name a topic to park)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, Input, Label, Static

from debrief_tui.ui.dialogs.form import FormDialog, SaveHook, form_hint
from debrief_tui.ui.widgets.safe_input import SafeInput


class TextPrompt(FormDialog[str]):
    """One box; Enter (or ctrl+s) returns its text, Escape returns None."""

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
        super().__init__(save)
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
            yield Static(Text(form_hint(lists=False), style="dim"), id="prompt-error")
        yield Footer()

    def on_mount(self) -> None:
        """Start in the box."""
        self.set_focus(self.query_one("#prompt-input", Input))

    async def action_save(self) -> None:
        """Return the box's text; a required answer left empty keeps the prompt open."""
        value = self.query_one("#prompt-input", Input).value
        if self.required and not value.strip():
            self.query_one("#prompt-error", Static).update(Text("✗ type something first"))
            return
        await self.submit(value)


def no_action_prompt(note: str | None, save: SaveHook[str]) -> TextPrompt:
    """Accept a cause or factor with no action: why (an empty note takes it back)."""
    return TextPrompt(
        "Accept with no action",
        "Why no action (empty takes the acceptance back)",
        note or "",
        required=False,
        save=save,
    )
