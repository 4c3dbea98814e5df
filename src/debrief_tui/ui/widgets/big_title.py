"""The presenter view's stage title in large letters, readable from the back of the room.

Drawn with a FIGlet font (pyfiglet) whose box-drawing letters are three rows high, the height
of the large timer beside it. pyfiglet is imported on the first f4, not at start-up.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyfiglet import Figlet

FONT = "future"
"""Three rows of box-drawing strokes: the same weight as Textual's `Digits`."""


def load_font() -> None:
    """Read the font (about a quarter of a second the first time): call it off the event
    loop, before `big_lines` is asked."""
    _figlet()


def font_loaded() -> bool:
    """Whether `big_lines` can draw without reading the font first."""
    return _figlet.cache_info().currsize > 0


@cache
def _figlet() -> Figlet:
    from pyfiglet import Figlet

    return Figlet(font=FONT, width=10_000)  # we fit it ourselves; never let it wrap


def big_lines(title: str, width: int) -> list[str] | None:
    """`title` drawn three rows high, or None when it does not fit in `width` cells or has
    a character the font lacks (a custom agenda's accented stage name is shown as text)."""
    if not title or not all(" " <= char <= "~" for char in title):
        return None
    # The font's letters are about three cells wide: skip the drawing when it cannot fit.
    if len(title) * 2 > width:
        return None
    lines = [line.rstrip() for line in _figlet().renderText(title).splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    if not lines or max(len(line) for line in lines) > width:
        return None
    return lines
