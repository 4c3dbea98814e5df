"""What an import returns: the events read, the lines that could not be read, and notes of
what was assumed to read the rest (a zone, a date, a year, an order), each on its lines."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from debrief_tui.core.text import one_line


class ImportedEvent(NamedTuple):
    """One event read from the input, with where it came from."""

    line: int
    at: datetime
    text: str
    kind: str
    approximate: bool
    kind_guessed: bool
    key_event: bool = False
    status: str = ""
    """The status word of a status page's update (`resolved`, `monitoring`), lower case."""
    author: str | None = None
    """Who wrote it, when the input says (a JSON item's `author`, as debrief exports it)."""


class BadLine(NamedTuple):
    """A line (or CSV row, or JSON item) that could not be read, and why."""

    line: int
    text: str
    reason: str

    def describe(self, unit: str = "line") -> str:
        """`line 7: no time found: "foo"` — one line for the terminal."""
        shown = one_line(self.text)
        if len(shown) > 60:
            shown = shown[:59] + "…"
        return f"{unit} {self.line}: {self.reason}" + (f": {shown!r}" if shown else "")


class Note(NamedTuple):
    """Something the importer assumed, or left out, and the lines it applies to."""

    lines: tuple[int, ...]
    text: str
    where: str = ""
    """The lines as shown (`lines 5-12, 15`): runs of neighbouring events are one range."""

    def describe(self) -> str:
        """`lines 5-12: times without a zone read in UTC, as line 3 says` — one line."""
        return f"{self.where or span(self.lines, ())}: {self.text}"


class ImportResult(NamedTuple):
    """What was read: the events in time order, the bad lines, and the notes."""

    events: list[ImportedEvent]
    bad: list[BadLine]
    unit: str = "line"
    notes: tuple[Note, ...] = ()


def span(lines: tuple[int, ...], events: tuple[int, ...], unit: str = "line") -> str:
    """`line 4`, `lines 5-12, 15`: `lines` as ranges; two lines are one range when no event
    line in `events` lies between them that is not theirs (blank and prose lines don't split)."""
    if len(lines) == 1:
        return f"{unit} {lines[0]}"
    ordered = sorted(set(lines))
    mine = set(ordered)
    others = sorted(set(events) - mine)
    runs: list[list[int]] = [[ordered[0], ordered[0]]]
    at = 0
    for line in ordered[1:]:
        while at < len(others) and others[at] < runs[-1][1]:
            at += 1
        if at < len(others) and others[at] < line:
            runs.append([line, line])
        else:
            runs[-1][1] = line
    shown = [str(a) if a == b else f"{a}-{b}" for a, b in runs]
    if len(shown) > 6:
        shown = [*shown[:5], f"… {len(shown) - 5} more"]
    return f"{unit}s {', '.join(shown)}"
