"""What every form dialog shares: the dialog styles, how Enter walks the form, Escape cancels,
ctrl+s saves, and saving before closing.

A dialog given a `save` hook runs it with what was typed before it closes. When the save is
refused (a bad value, a row deleted meanwhile, a database that cannot take it), the refusal is
shown and the dialog stays open with everything as typed: nothing typed is lost to a refusal.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import ClassVar, TypeVar

from textual import events, on
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select

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


_CATCH_UP_SECONDS = 1.0
_FIELDS = (Input, Select, Checkbox)
_ENTER_MOVES = (Input, Checkbox, Select)
"""Fields where Enter moves on. A closed list too: ↓ or space opens it; Enter opening it
made a fast typist's next keys land in a menu still opening (and get lost there)."""


def enter_bindings(saves: str) -> list[BindingType]:
    """Enter's two meanings in a form, shown in the footer as they apply: "Next field", and
    `saves` (what the dialog's ctrl+s does) in its last box. They are priority bindings:
    looked at as the key arrives, before the keys typed after it reach the box, so focus has
    moved before the next key is handled and each key lands in the field it was meant for."""
    return [
        Binding("enter", "next_field", "Next field", id="next-field", priority=True),
        Binding("enter", "save_from_last", saves, id="save-from-last", priority=True),
        Binding("enter", "pick", "Choose", id="pick", priority=True, show=False),
    ]


async def caught_up(widget: Widget) -> None:
    """Wait until `widget` has handled the keys already sent to it (typed before Enter).

    Keys go to the focused widget's own queue, so a binding can run before the box holds the
    last letters typed before Enter; a callback queued behind them runs once they are in."""
    done = asyncio.Event()
    if widget.call_later(done.set):
        # Bounded: the app takes no key while this waits, and a box removed meanwhile would
        # never run the callback. A box handles its keys in milliseconds.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), _CATCH_UP_SECONDS)


def form_hint(saves: str = "saves", *, lists: bool = True) -> str:
    """The line every form shows under its fields, saying how Enter, ctrl+s and Esc work (and
    how a list opens, in a form with `lists`)."""
    opens = " · ↓ opens a list" if lists else ""
    return f"Enter: next field, {saves} from the last{opens} · ctrl+s {saves} · Esc cancels"


NEW_LINE_HINT = "Enter: new line"
"""What a multi-line box's hint says Enter does there."""

EXTRA = "-extra"
"""The class of a box after the last one Enter walks to (Tab reaches it; Enter there saves)."""

NEW_LINE = Binding("enter", "new_line", "New line", id="new-line")
"""Shown in the footer while a multi-line box has focus: Enter starts a new line there (the
box takes the key itself; this binding only says so)."""


class FormDialog(ModalScreen[_T | None]):
    """A modal form: dismisses with what was typed (each dialog's `action_save`), or None.

    Every form answers Enter the same way (the README's key reference says so): in a one-line
    box or a tick box, Enter moves to the next field, and from the last box to type in it saves;
    choosing from a list moves on too; ctrl+s saves from anywhere; Esc cancels.
    """

    CSS_PATH = styles_path("dialogs.tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+s", "save", "Save", id="save"),
        *enter_bindings("Save"),
    ]

    def __init__(self, save: SaveHook[_T] | None = None) -> None:
        super().__init__()
        self._save_hook = save
        self.as_new: SaveHook[_T] | None = None
        """Saves what was typed as a new item, offered when the one edited was deleted."""
        self._picking: Select[object] | None = None
        """The list whose option Enter picked, until it closes."""

    async def submit(self, value: _T) -> None:
        """Save `value` through the dialog's hook (if any) and close with it."""
        await save_then_dismiss(self, self._save_hook, value)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)

    def leave_field(self, field: Widget) -> bool:
        """Whether Enter may move on from `field`: a dialog refuses a box it cannot read (and
        says why there), so a mistake is seen where it was made. Every field may, by default."""
        return True

    # Enter --------------------------------------------------------------------------------

    def _fields(self) -> list[Widget]:
        return [w for w in self.focus_chain if isinstance(w, _FIELDS)]

    def _enter_field(self) -> Widget | None:
        """The field Enter acts on here: a one-line box, a tick box or a closed list (a list's
        open options, a button and a multi-line box keep Enter)."""
        focused = self.focused
        if isinstance(focused, _ENTER_MOVES) and focused.screen is self:
            return focused
        return None

    def _finished(self) -> bool:
        """Saved (or saving), or no longer on top: a second Enter typed meanwhile does nothing
        here (it must neither save twice nor wait on a box that is going away)."""
        return bool(getattr(self, _SAVING, False)) or self.app.screen is not self

    def _is_last(self, field: Widget) -> bool:
        fields = self._fields()
        after = fields[fields.index(field) + 1 :] if field in fields else []
        # A box marked EXTRA (optional, rarely filled) is reached with Tab: Enter before it
        # saves, so the usual fields keep their quick path.
        return not any(isinstance(w, Input) and not w.has_class(EXTRA) for w in after)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter shows (in the footer) and does "next field" or "save", by where focus is."""
        if action == "pick":
            return self._open_list() is not None
        if action in ("next_field", "save_from_last"):
            field = self._enter_field()
            if field is None:
                return False  # the focused widget's own Enter
            return self._is_last(field) == (action == "save_from_last")
        return super().check_action(action, parameters)

    async def action_next_field(self) -> None:
        """Enter in a field that is not the last: move to the next one."""
        field = await self._left_field()
        if field is not None:
            self.focus_after(field)

    async def action_save_from_last(self) -> None:
        """Enter in the last box to type in: save, as ctrl+s does."""
        if await self._left_field() is not None:
            # Saved in the dialog's own queue, not here: the app takes the next keys meanwhile,
            # and an Enter pressed twice reaches this dialog (saving: it does nothing) rather
            # than the stage under it once the save is done.
            self.call_later(self.run_action, "save")  # each dialog's own `action_save`

    async def _left_field(self) -> Widget | None:
        """The field Enter leaves, once it holds every key typed before Enter and the dialog
        accepts what it holds; None when Enter stays (a refused box, a dialog saving)."""
        field = self._enter_field()
        if field is None:
            raise SkipAction  # the focused widget's own Enter
        if self._finished():
            return None
        await caught_up(field)
        return field if self.leave_field(field) else None

    def focus_after(self, field: Widget) -> None:
        """Focus the field after `field` (a box, a list or a tick box; never a button)."""
        fields = self._fields()
        if field in fields and fields.index(field) + 1 < len(fields):
            self.set_focus(fields[fields.index(field) + 1])

    def _open_list(self) -> Select[object] | None:
        """The list of this form whose options are open (focus is in them), if any."""
        focused = self.focused
        if focused is None or isinstance(focused, Select):
            return None
        for node in focused.ancestors:
            if isinstance(node, Select):
                return node if node.screen is self else None
        return None

    def action_pick(self) -> None:
        """Enter in an open list: the list takes it (it picks the option); once the list
        closes with it, the next field has focus (`_list_closed`)."""
        self._picking = self._open_list()
        raise SkipAction

    @on(events.Mount)
    def _watch_lists(self) -> None:
        """Watch each list close: closed by Enter on an option, it moves on."""
        for select in self.query(Select):
            self.watch(select, "expanded", self._list_closed, init=False)

    def _list_closed(self, expanded: bool) -> None:
        picking, self._picking = self._picking, None
        if not expanded and picking is not None:
            self.picked(picking)
            # The list gives focus back to itself through the app's queue as it closes: the
            # move on is queued behind that, or the list would take the focus back.
            self.app.call_later(self.focus_after, picking)

    def picked(self, select: Select[object]) -> None:
        """An option of `select` was chosen by Enter; a dialog that cares says so here."""
