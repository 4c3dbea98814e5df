"""An Input that never sends a control character to the terminal."""

from __future__ import annotations

from typing import Any

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input

from debrief_tui.core.text import escape_controls
from debrief_tui.ui.compat import size_without_layout


class SafeInput(Input):
    """A text box whose value never holds raw control characters.

    Textual draws an Input's value as it is, so an escape sequence stored in a title would
    reach the terminal. Here every control character (newlines included, since the box is one
    line) is shown written out, as `\\x1b`; what is saved from the box is what the user sees.
    """

    # A repaint, not a layout, per key typed (measured: most of the time a 5 Whys answer took
    # to appear); see compat.size_without_layout.
    virtual_size: Reactive[Size] = size_without_layout()

    def __init__(self, value: str | None = None, *, hint: str = "", **kwargs: Any) -> None:
        # `hint` is the grey text shown while the box is empty: Input's second argument.
        super().__init__(value, hint, **kwargs)
        # A steady cursor: a blinking one redraws the screen twice a second for as long as the
        # meeting sits idle (half the CPU an idle seat used).
        self.cursor_blink = False

    def validate_value(self, value: str) -> str:
        """Write out control characters before the value is stored or drawn."""
        return escape_controls(value)
