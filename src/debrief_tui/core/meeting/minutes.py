"""Minutes as typed: who said it (`Name: text`), and pasted blocks split into lines."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from debrief_tui.core.errors import InputError

MAX_MINUTE_CHARS = 4000
"""A longer line is split into several minutes rather than refused."""

MAX_PASTE_LINES = 2000
"""A paste with more lines than this is refused with a message: it is not minutes."""

_NAME_WORD = r"[^\W\d_][\w.'\u2019-]*"
_SPEAKER = re.compile(
    rf"^\s*(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})\s*:\s+(?P<text>\S.*)$", re.S
)


class Said(NamedTuple):
    """A minute split into its speaker (if any) and its text."""

    author: str | None
    text: str


def attribute(line: str, attendees: Iterable[str]) -> Said:
    """Split `Name: text` into speaker and text.

    A name matching an attendee (full name or first name, any case) is replaced by the
    attendee's full name; an unknown name is kept as typed, as long as it looks like a name
    (up to four words, each starting with a capital). Anything else is all text.
    """
    match = _SPEAKER.match(line)
    if match is None:
        return Said(None, line.strip())
    name, text = match["name"].strip(), match["text"].strip()
    wanted = name.casefold()
    for person in attendees:
        full = person.strip()
        if wanted in (full.casefold(), full.split()[0].casefold() if full.split() else ""):
            return Said(full, text)
    if all(word[0].isupper() for word in name.split()):
        return Said(name, text)
    return Said(None, line.strip())


class PasteTooLarge(ValueError):
    """A paste with more lines than minutes can be; the message says what to do."""


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_paste(text: str) -> list[str]:
    """One minute per non-empty line of a pasted block; very long lines are cut into pieces.

    Raises PasteTooLarge when the block has more than MAX_PASTE_LINES lines.
    """
    # Only real line breaks: str.splitlines also splits at form feeds, \x1c-\x1e, NEL and
    # U+2028, which a pasted line may hold and which must stay in it (written out).
    lines = [line.strip() for line in _LINE_BREAK.split(text)]
    lines = [line for line in lines if line]
    if len(lines) > MAX_PASTE_LINES:
        raise PasteTooLarge(
            f"that paste has {len(lines):,} lines; minutes take at most {MAX_PASTE_LINES:,} "
            "at once (import a timeline or attach the file instead)"
        )
    pieces: list[str] = []
    for line in lines:
        while len(line) > MAX_MINUTE_CHARS:
            cut = line.rfind(" ", 0, MAX_MINUTE_CHARS)
            cut = cut if cut > MAX_MINUTE_CHARS // 2 else MAX_MINUTE_CHARS
            pieces.append(line[:cut].rstrip())
            line = line[cut:].lstrip()
        if line:
            pieces.append(line)
    return pieces


class MinuteLine(NamedTuple):
    """A saved minute as exports read it (a plain row: there can be tens of thousands)."""

    at: datetime
    stage: str
    author: str | None
    text: str


def minute_text(text: str) -> str:
    """A corrected minute's text; InputError when it is empty."""
    if not text.strip():
        raise InputError("a minute needs some text")
    return text
