"""What every form dialog shares: the dialog styles, Escape cancels and ctrl+s saves."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

from debrief_tui.paths import styles_path

_T = TypeVar("_T")


class FormDialog(ModalScreen[_T | None]):
    """A modal form: dismisses with what was typed (each dialog's `action_save`), or None."""

    CSS_PATH = styles_path("dialogs.tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+s", "save", "Save", id="save"),
    ]

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
