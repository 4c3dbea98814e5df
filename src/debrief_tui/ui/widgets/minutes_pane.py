"""The minutes pane on every stage: the list, the box to type in, and the wording hint."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from debrief_tui.core.errors import Refusal
from debrief_tui.core.text import printable
from debrief_tui.core.wording import check_wording
from debrief_tui.ui.first_frame import after_first_frame
from debrief_tui.ui.widgets.minute_input import MinuteInput
from debrief_tui.ui.widgets.minutes_list import MinutesList

if TYPE_CHECKING:
    from debrief_tui.ui.minute_book import MinuteBook

_HELP = "Enter saves the line · Name: text says who spoke · ↑ picks a line to edit"


class MinutesPane(Vertical):
    """Minutes of the session, typed and shown; one per stage screen, sharing one book."""

    class Saved(Message):
        """Minutes were committed from this pane."""

        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    def __init__(self, book: MinuteBook, stage_key: str, zone_name: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.book = book
        self.stage_key = stage_key
        self.zone_name = zone_name

    def compose(self) -> ComposeResult:
        """The box only: the list and the hint follow right after the first frame."""
        yield MinuteInput(
            self._save,
            lambda: self.book.attendees,
            paste_refused=self._refused,
            id="minute-input",
            hint="Type a minute…  (ctrl+n from anywhere)",
            compact=True,
        )

    def on_mount(self) -> None:
        """Add the list and the hint once the stage has been drawn.

        The box is there from the start, focused, so nothing typed is lost; the list is empty
        until the meeting has been read anyway, and leaving it (and the hint) out of the first frame
        shows the session sooner.
        """
        after_first_frame(self, self._add_list_and_hint)

    async def _add_list_and_hint(self) -> None:
        if not self.is_attached:
            return  # the app is closing or the stage was left before its first frame
        box = self.input
        await self.mount(
            MinutesList(self.book, self.stage_key, self.zone_name, id="minutes-list"), before=box
        )
        await self.mount(Static(id="minute-hint"), after=box)
        self._show_hint(box.value)

    @property
    def input(self) -> MinuteInput:
        """The box."""
        return self.query_one(MinuteInput)

    @property
    def list(self) -> MinutesList | None:
        """The list, once it has been added (just after the first frame)."""
        found = self.query(MinutesList)
        return found.first() if found else None

    async def _save(self, lines: Sequence[str]) -> bool:
        try:
            rows = await self.book.add(self.stage_key, lines)
        except Refusal as exc:
            # Busy past the timeout, read-only, gone: say so; the box keeps the line.
            self.app.notify(
                f"{printable(str(exc))}. The line is kept in the box.",
                severity="error",
                markup=False,
            )
            return False
        self.post_message(self.Saved(len(rows)))
        return True

    def restyle(self) -> None:
        """Draw the hint and the box's highlights again in the theme shown now."""
        box = self.input
        self._show_hint(box.value)
        box.refresh()

    def _refused(self, message: str) -> None:
        self.app.notify(message, severity="warning", markup=False, timeout=8)

    @on(Input.Changed, "#minute-input")
    def _check_wording(self, event: Input.Changed) -> None:
        self._show_hint(event.value)

    def _show_hint(self, value: str) -> None:
        found = self.query("#minute-hint")
        if not found:
            return  # not added yet: it will be shown for the box's value when it is
        hint = found.first(Static)
        hits = check_wording(value, self.book.attendees)
        if not hits:
            hint.update(Text(_HELP))  # #minute-hint is $text-muted: dimmed too, 3.5:1
            hint.remove_class("-warning")
            return
        first = hits[0]
        more = f"  (+{len(hits) - 1} more)" if len(hits) > 1 else ""
        hint.update(
            Text.assemble(
                ("⚠ ", "bold"),
                (value[first.start : first.end], "bold underline"),
                f": {first.suggestion}{more}",
            )
        )
        hint.add_class("-warning")

    @on(MinuteInput.Blank)
    def _blank(self) -> None:
        # Said where the wording hints go, until the box changes and the usual hint is back.
        found = self.query("#minute-hint")
        if found:
            hint = found.first(Static)
            hint.update(Text("✗ nothing to save: the line is blank"))
            hint.add_class("-warning")

    @on(MinuteInput.PickLine)
    def _pick_line(self) -> None:
        minutes = self.list
        if minutes is not None and self.book.minutes:
            self.screen.set_focus(minutes)
            minutes.action_last()

    @on(MinutesList.LeaveRequested)
    def _back_to_typing(self) -> None:
        self.screen.set_focus(self.input)
