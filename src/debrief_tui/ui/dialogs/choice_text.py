"""Pick one of a few choices and write a line of text: a factor and its category, a lesson
and its list."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, Input, Label, Select, Static

from debrief_tui.core.reference import LESSON_KINDS, factor_categories
from debrief_tui.ui.dialogs.form import FormDialog, SaveHook, form_hint
from debrief_tui.ui.tones import ERROR, tone
from debrief_tui.ui.widgets.safe_input import SafeInput


class ChoiceTextDialog(FormDialog[tuple[str, str]]):
    """Dismisses with (choice, text), or None."""

    def __init__(
        self,
        title: str,
        choices: Sequence[tuple[str, str]],
        choice: str,
        text: str,
        *,
        choice_label: str,
        text_label: str,
        empty: str,
        save: SaveHook[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__(save)
        self.title_text = title
        self.choices = list(choices)  # (shown, value)
        self.initial = (choice, text)
        self.labels = (choice_label, text_label)
        self.empty = empty  # what to say when Enter is pressed on an empty box

    def compose(self) -> ComposeResult:
        """The choice, the text, a message line."""
        with Vertical(classes="dialog form"):
            yield Static(self.title_text, classes="dialog-title")
            yield Label(self.labels[0])
            yield Select(
                self.choices,
                value=self.initial[0],
                allow_blank=False,
                id="dialog-choice",
                compact=True,
            )
            yield Label(self.labels[1])
            yield SafeInput(self.initial[1], id="dialog-text", compact=True)
            yield Static(Text(form_hint(), style="dim"), id="dialog-error")
        yield Footer()

    def on_mount(self) -> None:
        """Start in the text box."""
        self.set_focus(self.query_one("#dialog-text", Input))

    async def action_save(self) -> None:
        """Check the text and dismiss with the values."""
        text = self.query_one("#dialog-text", Input).value.strip()
        if not text:
            self.query_one("#dialog-error", Static).update(
                Text(f"✗ {self.empty}", style=tone(self, ERROR))
            )
            return
        await self.submit((str(self.query_one("#dialog-choice", Select).value), text))


def factor_dialog(
    category: str = "technical",
    text: str = "",
    save: SaveHook[tuple[str, str]] | None = None,
) -> ChoiceTextDialog:
    """Add or edit a contributing factor: its category and what it is."""
    return ChoiceTextDialog(
        "Edit factor" if text else "Add a contributing factor",
        [(f"{c.key} — {c.hint}", c.key) for c in factor_categories()],
        category,
        text,
        choice_label="Category",
        text_label="What made it possible or worse (a condition, not a person)",
        empty="say what the factor is",
        save=save,
    )


def lesson_dialog(
    kind: str = "went well", text: str = "", save: SaveHook[tuple[str, str]] | None = None
) -> ChoiceTextDialog:
    """Add or edit a lesson: its list and what was learned."""
    return ChoiceTextDialog(
        "Edit lesson" if text else "Add a lesson",
        [(k, k) for k in LESSON_KINDS],
        kind,
        text,
        choice_label="List",
        text_label="What happened, in blameless words",
        empty="say what the lesson is",
        save=save,
    )
