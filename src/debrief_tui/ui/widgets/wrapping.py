"""Wrapping user text to a width in terminal cells rather than in characters."""

from __future__ import annotations

import re
import textwrap

from rich.cells import cell_len, get_character_cell_size
from rich.text import Text

_SPACES = re.compile("[\t\n\x0b\x0c\r ]+")
"""The white space textwrap breaks lines at (ASCII only)."""


def wrap_cells(text: str, width: int, *, break_on_hyphens: bool = True) -> list[str]:
    """`text` in lines of at most `width` cells: textwrap's lines (long words broken) when
    every character takes one cell.

    textwrap counts characters, but a wide character (CJK, most emoji) takes two cells, so a
    line of them ran to twice the width and what ran past the edge was cut off the screen.
    Text with one is filled word by word in cells instead (breaking at the white space
    textwrap breaks at, a word wider than a line broken across lines, as textwrap does).
    """
    if text.isascii() or all(get_character_cell_size(c) < 2 for c in text):
        return textwrap.wrap(text, width, break_on_hyphens=break_on_hyphens)
    lines: list[str] = []
    line = ""
    for word in filter(None, _SPACES.split(text)):
        gap = 1 if line else 0
        if cell_len(line) + gap + cell_len(word) <= width:
            line += " " * gap + word
            continue
        if cell_len(word) <= width:
            lines.append(line)
            line = word
            continue
        if line:  # a word wider than a line starts in the room left on this one
            head, word = _cut(word, width - cell_len(line) - 1)
            lines.append(f"{line} {head}" if head else line)
        while cell_len(word) > width:
            head, word = _cut(word, width)
            if not head:  # a line narrower than one character: it takes one all the same
                head, word = word[0], word[1:]
            lines.append(head)
        line = word
    if line:
        lines.append(line)
    return lines


def _cut(word: str, cells: int) -> tuple[str, str]:
    """The longest start of `word` that takes at most `cells` cells, and the rest."""
    used = 0
    for index, char in enumerate(word):
        used += get_character_cell_size(char)
        if used > cells:
            return word[:index], word[index:]
    return word, ""


def wrap_text(text: Text, width: int) -> Text:
    """`text` in lines of at most `width` cells (its line breaks kept), styles and all.

    The lines come from `wrap_cells`; each is found again in the text from where the last
    one ended, so the spans of a styled cell (a chat message's dimmed author) carry over.
    One line that fits is returned as it is: the common case costs one measurement.
    """
    plain = text.plain
    if "\n" not in plain and cell_len(plain) <= width:
        return text
    pieces: list[Text] = []
    start = 0
    for paragraph in plain.split("\n"):
        position = 0
        for line in wrap_cells(paragraph, max(1, width)) or [""]:
            at = paragraph.find(line, position)
            if at < 0:  # textwrap changed the line's spacing (a tab): keep its words unstyled
                pieces.append(Text(line))
                continue
            pieces.append(text[start + at : start + at + len(line)])
            position = at + len(line)
        start += len(paragraph) + 1
    return Text("\n").join(pieces)
