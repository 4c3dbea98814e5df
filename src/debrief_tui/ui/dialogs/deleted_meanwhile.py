"""An item deleted in another seat while this seat was editing it: keep what was typed.

The edit cannot be saved (its row is gone), and the text must not be lost: the editor chooses
to keep it as a new item of the same kind, as a minute, or to go back to the form.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from debrief_tui.core.errors import Refusal
from debrief_tui.paths import styles_path
from debrief_tui.ui.literal import literal
from debrief_tui.ui.refusal import show_refusal

Keep = Literal["new", "minute"]


class DeletedMeanwhile(ModalScreen[Keep | None]):
    """Says the item is gone and offers where to keep the text; None goes back to the form."""

    CSS_PATH = styles_path("dialogs.tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "keep('new')", "Keep as new", id="keep-new"),
        Binding("m", "keep('minute')", "Keep as a minute", id="keep-minute"),
        Binding("escape", "back", "Back to the form", id="back"),
    ]

    def __init__(self, noun: str, text: str, *, can_add: bool) -> None:
        super().__init__()
        self.noun = noun
        self.text = text
        self.can_add = can_add

    def compose(self) -> ComposeResult:
        """What happened, what was typed, and the choices."""
        with Vertical(classes="dialog form"):
            yield Static(f"This {self.noun} was deleted", classes="dialog-title")
            yield Static(
                "Someone deleted it, perhaps in another seat, while you were editing it. "
                "What you typed is not lost:",
            )
            yield Static(literal(self.text), id="kept-text")
            choices = Text()
            if self.can_add:
                choices.append(f"n  keep it as a new {self.noun}\n")
            choices.append("m  keep it as a minute\nesc  back to the form")
            yield Static(choices)
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A new item only where the stage can add one."""
        if action == "keep" and parameters == ("new",):
            return self.can_add
        return True

    def action_keep(self, where: Keep) -> None:
        """Keep the text as a new item or a minute."""
        self.dismiss(where)

    def action_back(self) -> None:
        """Back to the form, the text as typed."""
        self.dismiss(None)


def offer_to_keep(
    screen: Screen[Any],
    noun: str,
    text: str,
    *,
    as_minute: Callable[[], Awaitable[object]],
    as_new: Callable[[], Awaitable[object]] | None,
    kept: Callable[[object], Awaitable[object] | None],
) -> None:
    """Ask where to keep `text` typed into an item deleted meanwhile; save it there, say so,
    and call `kept` with what was saved. A refusal is shown; the way back changes nothing."""

    async def chosen(where: Keep | None) -> None:
        try:
            if where == "new" and as_new is not None:
                saved, said = await as_new(), f"Kept as a new {noun}."
            elif where == "minute":
                saved, said = await as_minute(), "Kept as a minute."
            else:
                return  # back to what was being edited, as typed
        except Refusal as refused:
            show_refusal(screen, refused)
            return
        screen.notify(said, timeout=4)
        done = kept(saved)
        if done is not None:
            await done

    screen.app.push_screen(DeletedMeanwhile(noun, text, can_add=as_new is not None), chosen)
