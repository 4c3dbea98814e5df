"""An Input that never sends a control character to the terminal."""

from __future__ import annotations

import re
from typing import Any

from textual import events
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input

from debrief_tui.core.text import escape_controls
from debrief_tui.ui.compat import size_without_layout

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class SafeInput(Input):
    """A text box whose value never holds raw control characters.

    Textual draws an Input's value as it is, so an escape sequence stored in a title would
    reach the terminal. Here every control character (newlines included, since the box is one
    line) is shown written out, as `\\x1b`; what is saved from the box is what the user sees.
    """

    # A repaint, not a layout, per key typed (measured: most of the time a 5 Whys answer took
    # to appear); see compat.size_without_layout.
    virtual_size: Reactive[Size] = size_without_layout()

    def accept_suggestion(self) -> bool:
        """Take the completion the box shows (an owner's name), as Tab does; False when it
        shows none. (Textual accepts one only with → at the end of the text.)"""
        suggestion = self._suggestion  # Textual's own: what it draws after the cursor
        if not suggestion or suggestion == self.value or self.cursor_position < len(self.value):
            return False
        self.value = suggestion
        self.cursor_position = len(suggestion)
        return True

    def __init__(self, value: str | None = None, *, hint: str = "", **kwargs: Any) -> None:
        # `hint` is the grey text shown while the box is empty: Input's second argument.
        super().__init__(value, hint, **kwargs)
        # A steady cursor: a blinking one redraws the screen twice a second for as long as the
        # meeting sits idle (half the CPU an idle seat used).
        self.cursor_blink = False

    def validate_value(self, value: str) -> str:
        """Write out control characters before the value is stored or drawn."""
        return escape_controls(value)

    def replace(self, text: str, start: int, end: int) -> None:
        """Put `text` in place of start..end, written out, with the cursor after it.

        Input moves the cursor by the length of the text given; written out first, the text
        is as long as it is shown, so the cursor lands after it rather than inside an escape
        such as `\\x1b` (where the next key typed would split it).
        """
        super().replace(escape_controls(text), start, end)

    def _on_paste(self, event: events.Paste) -> None:
        # Input keeps only a paste's first line, cut with str.splitlines, which also cuts at
        # \x0b, \x0c, \x1c-\x1e, \x85, U+2028 and U+2029: the rest of a one-line paste that
        # held one of them was dropped unseen. Here only real line breaks part lines, and
        # the lines of a block are joined with a space: nothing pasted is lost.
        event.stop()
        event.prevent_default()
        text = " ".join(line for line in _LINE_BREAK.split(event.text) if line)
        if not text:
            return
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *selection)
