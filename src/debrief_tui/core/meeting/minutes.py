"""Minutes as typed: who said it (`Name: text`), what kind of minute it is (`Decision: text`,
`Action: text`, `Question: text`), and pasted blocks split into lines.

A minute's kind is read from its text, which keeps the label as typed: stored minutes need no
new column, an edit can change the kind, and every export reads it the same way.
"""

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


DECISION, ACTION, QUESTION = "decision", "action", "question"
MINUTE_KINDS = (DECISION, ACTION, QUESTION)
"""The kinds of minute a label at the start of a line makes (any case)."""

_KIND = re.compile(r"^\s*(?P<kind>decision|action|question)\s*:\s*(?P<text>\S.*)$", re.I | re.S)


class Kinded(NamedTuple):
    """A minute's text split into its kind (None for a plain minute) and what follows."""

    kind: str | None
    text: str


def minute_kind(text: str) -> Kinded:
    """`Decision: roll back first` is a decision "roll back first"; a plain line has no kind."""
    match = _KIND.match(text)
    if match is None:
        return Kinded(None, text)
    return Kinded(match["kind"].casefold(), match["text"].strip())


class Said(NamedTuple):
    """A minute split into its speaker (if any) and its text."""

    author: str | None
    text: str


def attribute(line: str, attendees: Iterable[str]) -> Said:
    """Split `Name: text` into speaker and text.

    A name matching an attendee (full name or first name, any case) is replaced by the
    attendee's full name; an unknown name is kept as typed, as long as it looks like a name
    (up to four words, each starting with a capital). Anything else is all text.
    `Decision:`, `Action:` and `Question:` are kinds of minute, not speakers: such a line is
    all text, label included (`minute_kind` reads it back); `Name: Decision: ...` is a
    decision said by Name.
    """
    match = _SPEAKER.match(line)
    if match is None:
        return Said(None, line.strip())
    name, text = match["name"].strip(), match["text"].strip()
    if name.casefold() in MINUTE_KINDS:
        return Said(None, line.strip())
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
