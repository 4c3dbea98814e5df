"""The box the note-taker types minutes into.

Enter is handled here, in the box's own queue of keys, not by a binding: a binding runs only
after the key has travelled up to the app, and by then the keys typed after Enter are already
in the box and would be merged into the saved line. Handled here, the line is committed and
the box cleared before the next key is looked at, so every key after Enter belongs to the next
minute, at any typing speed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import ClassVar

from rich.highlighter import Highlighter
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message

from debrief_tui.core.meeting import MAX_MINUTE_CHARS, PasteTooLarge, split_paste
from debrief_tui.core.wording import check_wording
from debrief_tui.ui.tones import tone
from debrief_tui.ui.widgets.safe_input import SafeInput

SaveLines = Callable[[Sequence[str]], Awaitable[bool]]
"""Commits lines as minutes; gives False when nothing was saved (the box is then kept)."""


class WordingHighlighter(Highlighter):
    """Marks blameless-wording hits in the box as they are typed."""

    def __init__(self, attendees: Callable[[], Sequence[str]], style: Callable[[], Style]) -> None:
        self._attendees = attendees
        self._style = style

    def highlight(self, text: Text) -> None:
        """Underline each phrase the wording check finds."""
        if not text.plain.strip():
            return  # nothing typed: no need to load the phrase list yet
        hits = check_wording(text.plain, self._attendees())
        if hits:
            style = self._style()
            for hit in hits:
                text.stylize(style, hit.start, hit.end)


class MinuteInput(SafeInput):
    """One-line box; Enter commits the line, a multi-line paste commits one minute per line."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "pick_line", "Pick a line", id="pick-line", show=False),
        # The stage's own list or tree; what is typed stays in the box for later.
        Binding("escape", "screen.leave_minutes", "Back to stage", id="leave-minutes"),
    ]

    class PickLine(Message):
        """The user wants to select a saved minute (to edit, delete or park it)."""

    class Blank(Message):
        """Enter was pressed on a box holding nothing but white space: nothing was saved."""

    def action_pick_line(self) -> None:
        """Ask the pane to move to the list, newest minute selected."""
        self.post_message(self.PickLine())

    def __init__(
        self,
        save: SaveLines,
        attendees: Callable[[], Sequence[str]],
        *,
        paste_refused: Callable[[str], None],
        **kwargs: object,
    ) -> None:
        # No select-on-focus: coming back to a half-typed minute must not let the next key
        # replace it.
        super().__init__(
            highlighter=WordingHighlighter(
                attendees, lambda: tone(self, "bold underline $text-warning")
            ),
            select_on_focus=False,
            **kwargs,  # type: ignore[arg-type]
        )
        self._save = save
        self._paste_refused = paste_refused

    async def _on_key(self, event: events.Key) -> None:
        # Textual also runs Input's own handler after this one unless the default is
        # prevented, so only Enter is taken here; every other key is left to Input.
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            # Waiting here holds the keys typed after Enter in this box's queue, in order,
            # until the line is committed (right after start-up, also while the database
            # opens); the event loop carries on meanwhile.
            await self.commit()

    async def commit(self) -> bool:
        """Save what is in the box as a minute and clear it; keeps it if the save fails."""
        line = self.value
        if not line.strip():
            self.post_message(self.Blank())
            return False
        if await self._save([line]):
            if self.value == line:
                self.value = ""
            return True
        return False

    # Textual awaits a handler that is a coroutine; Input's own handler is not one, hence the
    # ignore. Waiting here keeps the keys typed after a paste behind its minutes.
    async def _on_paste(self, event: events.Paste) -> None:  # type: ignore[override]
        text = event.text
        # Terminals and tmux send a pasted block's line breaks as CR as often as LF.
        one_line = not any(mark in text.strip("\r\n") for mark in "\r\n")
        if one_line and len(self.value) + len(text) <= MAX_MINUTE_CHARS:
            return  # one short line: Input's own handler inserts it
        event.stop()
        event.prevent_default()
        # A block: what was typed so far and each pasted line become minutes of their own.
        try:
            lines = split_paste(f"{self.value}{text}")
        except PasteTooLarge as exc:
            self._paste_refused(str(exc))
            return
        if lines and await self._save(lines):
            self.value = ""
