"""Making user text safe to show: nothing typed is ever interpreted as markup or a control code."""

from __future__ import annotations

import re

# Bidirectional overrides and isolates (U+202A-E, U+2066-9) count as controls: shown raw they
# reverse the text after them, on screen as in a document.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _written_out(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with control characters (escape codes included) written out visibly, e.g. `\\x1b`.

    Newlines and tabs are kept. Markup such as `[bold]` is left as typed: callers put the result
    into a Rich `Text`, which never parses markup.
    """
    return _CONTROL.sub(_written_out, text)


def escape_controls(text: str) -> str:
    """`text` with every control character written out, newlines and tabs included.

    For one-line boxes, where a newline cannot be shown as one.
    """
    return _ANY_CONTROL.sub(_written_out, text)


def one_line(text: str) -> str:
    """`printable(text)` folded onto one line, for tables and titles."""
    return " ".join(printable(text).split())


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`count` with its noun in the right number: "1 thing", "4 things", "2 answers"."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def shorten(text: str, width: int) -> str:
    """`text` on one line, cut to `width` characters with an ellipsis when longer."""
    text = one_line(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def note_text(note: str | None) -> str | None:
    """A note as stored: white space folded; a blank note is no note (None)."""
    return " ".join((note or "").split()) or None
