"""Escaping user text for each export format, so what someone typed is shown as typed and can
never become markup, a formula, a shell command or a broken calendar line."""

from __future__ import annotations

import re
import shlex

from debrief_tui.core.text import one_line, printable

# Characters with a meaning somewhere in CommonMark (and GitHub tables): escaped everywhere,
# which CommonMark allows for any ASCII punctuation.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#!&{}])")
# At the start of a line these begin a block (list, heading, quote, setext underline).
_MD_LINE_START = re.compile(r"^(\s*)([+\-=>]|\d+[.)])")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """`text` with control characters and bidirectional overrides written out (`\\x1b`,
    `\\u202e`): an override would otherwise reverse the text that follows it."""
    return _BIDI.sub(lambda m: f"\\u{ord(m[0]):04x}", printable(text))


def plain(text: str) -> str:
    """One line of readable text: controls written out, line breaks as spaces."""
    return visible(one_line(text))


# Anything that needs more than joining the words: most text has none of it.
_MD_NEEDS_CARE = re.compile(
    r"[\\`*_\[\]<>|~#!&{}\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|^\s*([+\-=>]|\d+[.)])"
)


def md(text: str) -> str:
    """User text as literal inline Markdown (a paragraph, a list item or a table cell)."""
    if _MD_NEEDS_CARE.search(text) is None:
        return " ".join(text.split())
    escaped = _MD_SPECIAL.sub(r"\\\1", plain(text))
    return _MD_LINE_START.sub(lambda m: m[1] + "\\" + m[2], escaped, count=1)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """A spreadsheet cell that is never read as a formula (a leading ' neutralises it)."""
    text = visible(text.replace("\r\n", "\n"))  # newlines stay: csv quotes them
    return "'" + text if text.startswith(_FORMULA_START) else text


def shell(text: str) -> str:
    """One shell word, quoted so that nothing in it is expanded or run."""
    return shlex.quote(visible(text))


def ics_text(text: str) -> str:
    """A TEXT value for iCalendar (RFC 5545 §3.3.11)."""
    text = visible(text.replace("\r\n", "\n"))
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\n", "\\n")


def ics_fold(line: str) -> str:
    """An iCalendar content line folded at 75 octets, each fold starting with a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(encoded):
        end = min(start + limit, len(encoded))
        while end < len(encoded) and (encoded[end] & 0xC0) == 0x80:
            end -= 1  # never split a UTF-8 sequence
        parts.append(encoded[start:end].decode("utf-8"))
        start, limit = end, 74  # the leading space of a fold counts
    return "\r\n ".join(parts)
