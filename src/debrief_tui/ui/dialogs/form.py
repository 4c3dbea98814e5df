"""What every form dialog shares: the dialog styles, Escape cancels, ctrl+s saves, and saving
before closing.

A dialog given a `save` hook runs it with what was typed before it closes. When the save is
refused (a bad value, a row deleted meanwhile, a database that cannot take it), the refusal is
shown and the dialog stays open with everything as typed: nothing typed is lost to a refusal.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

from debrief_tui.core.errors import Refusal
from debrief_tui.paths import styles_path
from debrief_tui.ui.refusal import show_refusal

_T = TypeVar("_T")

SaveHook = Callable[[_T], Awaitable[object]]
"""Saves what a dialog collected; raises a Refusal to keep the dialog open."""


async def save_then_dismiss(
    dialog: ModalScreen[_T | None], save: SaveHook[_T] | None, value: _T
) -> None:
    """Run `save` with `value`, then close `dialog` with it; on a refusal, say why and keep
    the dialog open."""
    if save is not None:
        try:
            await save(value)
        except Refusal as exc:
            show_refusal(dialog, exc)
            return
    dialog.dismiss(value)


class FormDialog(ModalScreen[_T | None]):
    """A modal form: dismisses with what was typed (each dialog's `action_save`), or None."""

    CSS_PATH = styles_path("dialogs.tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+s", "save", "Save", id="save"),
    ]

    def __init__(self, save: SaveHook[_T] | None = None) -> None:
        super().__init__()
        self._save_hook = save

    async def submit(self, value: _T) -> None:
        """Save `value` through the dialog's hook (if any) and close with it."""
        await save_then_dismiss(self, self._save_hook, value)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
