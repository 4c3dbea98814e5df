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

from debrief_tui.core.errors import NotFound, Refusal
from debrief_tui.paths import styles_path
from debrief_tui.ui.refusal import noun_for, show_refusal

_T = TypeVar("_T")

SaveHook = Callable[[_T], Awaitable[object]]
"""Saves what a dialog collected; raises a Refusal to keep the dialog open."""


async def save_then_dismiss(
    dialog: ModalScreen[_T | None], save: SaveHook[_T] | None, value: _T
) -> None:
    """Run `save` with `value`, then close `dialog` with it; on a refusal, say why and keep
    the dialog open. When the item being edited was deleted meanwhile (in another seat), offer
    to keep what was typed as a new item (the dialog's `as_new` hook) or as a minute."""
    if getattr(dialog, _SAVING, False):
        return  # Enter pressed again while the first save runs: one save, one dismissal
    setattr(dialog, _SAVING, True)
    if save is not None:
        try:
            await save(value)
        except NotFound as exc:
            setattr(dialog, _SAVING, False)
            _offer_to_keep(dialog, exc, value)
            return
        except Refusal as exc:
            setattr(dialog, _SAVING, False)
            show_refusal(dialog, exc)
            return
    dialog.dismiss(value)


_SAVING = "_debrief_saving"


def _offer_to_keep(dialog: ModalScreen[_T | None], exc: NotFound, value: _T) -> None:
    from debrief_tui.ui.dialogs.deleted_meanwhile import offer_to_keep

    as_new: SaveHook[_T] | None = getattr(dialog, "as_new", None)
    live = getattr(dialog.app, "live", None)  # this seat, in a meeting's app
    text = typed_text(value)
    if exc.what is None or live is None or not text:
        show_refusal(dialog, exc)
        return
    offer_to_keep(
        dialog,
        noun_for(exc.what),
        text,
        as_minute=lambda: live.keep_as_minute(text),
        as_new=(lambda: as_new(value)) if as_new is not None else None,
        kept=lambda _saved: dialog.dismiss(None),
    )


def typed_text(value: object) -> str:
    """The text a form collected: the value itself, the text of a row, or of (group, text)."""
    if isinstance(value, str):
        return value
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], str):
        return value[1]
    text = getattr(value, "text", "")
    return text if isinstance(text, str) else ""


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
        self.as_new: SaveHook[_T] | None = None
        """Saves what was typed as a new item, offered when the one edited was deleted."""

    async def submit(self, value: _T) -> None:
        """Save `value` through the dialog's hook (if any) and close with it."""
        await save_then_dismiss(self, self._save_hook, value)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
