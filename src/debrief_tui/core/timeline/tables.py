"""Timeline tables, in Markdown and CSV: which column holds what, in any order.

A header names the columns: the time (`Time`, `When`, `Timestamp`, `Date and Time in CET`), a
separate date (`Date`), the kind, and the text (every other column, joined). A zone written in
the time's or the date's header (`Time (UTC)`, `Date and Time in CET`) holds for every row,
wherever that column stands (a table with `Date` before `Time (UTC)` was once read in the
session's zone, hours off without a word).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from debrief_tui.core.text import one_line
from debrief_tui.core.timeline.abbreviations import names_of
from debrief_tui.core.timeline.drafts import DraftBook, WrittenZone
from debrief_tui.core.timeline.results import BadLine, ImportResult
from debrief_tui.core.timeline.stamps import Stamp, read_date_lead, read_stamp
from debrief_tui.core.timeline.timeparse import TimeParseError
from debrief_tui.core.timeline.zone_lines import zone_in

_TIME_NAMES = (
    r"date\s*(?:and|&|/|-)?\s*time|datetime|time\s*stamp|time|at|when|started|start|posted"
)
_TEXT_NAMES = ("text", "event", "events", "description", "summary", "details", "what")
_KIND_NAMES = ("kind", "type", "category")


@cache
def _role_words() -> re.Pattern[str]:
    # The name without what it says of the zone: "Time (UTC)", "time in CET", "Time, PST".
    return re.compile(r"\s*(?:\(.*?\)|\bin\s+\S+.*|,.*)$", re.I)


def _bare(name: str) -> str:
    return _role_words().sub("", name.strip().strip("*_").lower()).strip()


@dataclass(frozen=True)
class Columns:
    """Where the time, date, kind and text of each row are."""

    time: int | None
    day: int | None
    kind: int | None
    zone: WrittenZone | None

    @classmethod
    def of(cls, header: list[str], line: int) -> Columns | None:
        """The columns a header names; None when it names no time and no date."""
        names = [_bare(h) for h in header]
        time = next((i for i, n in enumerate(names) if re.fullmatch(_TIME_NAMES, n)), None)
        day = next((i for i, n in enumerate(names) if n in ("date", "day")), None)
        kind = next((i for i, n in enumerate(names) if n in _KIND_NAMES), None)
        if time is None and day is None:
            return None
        written = None
        for at in (time, day):
            if at is not None and written is None:
                written = zone_in(header[at], line, f"the header {header[at].strip()!r}")
        return cls(time, day, kind, written)

    def when(self, cells: list[str]) -> str:
        """The date and time of a row, as one stamp."""
        parts = [self._cell(cells, self.day), self._cell(cells, self.time)]
        return " ".join(p for p in parts if p)

    def body(self, cells: list[str]) -> str:
        """The text of a row: every cell that is not the time, the date or the kind."""
        taken = {self.time, self.day, self.kind}
        return " — ".join(c for i, c in enumerate(cells) if i not in taken and c)

    def kind_of(self, cells: list[str]) -> str:
        """The kind a row gives, lower case ('' for none)."""
        return self._cell(cells, self.kind).lower()

    @staticmethod
    def _cell(cells: list[str], at: int | None) -> str:
        return cells[at].strip() if at is not None and at < len(cells) else ""


def text_column(names: list[str]) -> int | None:
    """The column a CSV header names for the text."""
    bare = [_bare(n) for n in names]
    return next((i for i, n in enumerate(bare) if n in _TEXT_NAMES), None)


def cell_stamp(book: DraftBook, when: str, zone: WrittenZone | None) -> Stamp:
    """The stamp in a time cell, which must hold a time and nothing else (a zone's own
    abbreviation after it is allowed: `10:12 IST` under `All times in Asia/Kolkata`)."""
    stamp = read_stamp(when.strip()) if when.strip() else None
    if (
        stamp is not None
        and stamp.text
        and stamp.zone is None
        and own_abbreviation(stamp.text, zone or book.zone, stamp.day or book.last_day)
    ):
        stamp = stamp._replace(text="", zone_name=stamp.text.strip())
    if stamp is None or stamp.text:
        raise TimeParseError(f"cannot read the time {when!r}" if when.strip() else "no time given")
    return stamp


def own_abbreviation(word: str, written: WrittenZone, day: date | None) -> bool:
    """Whether `word` is what `written`'s zone calls itself around `day` (`IST`, `+04`)."""
    word = word.strip()
    if not word or len(word) > 6 or not (word[0].isupper() or word[0] in "+-"):
        return False
    year = day.year if day else None
    # A zone carried from an abbreviation (HST in America/Adak) names its places' other
    # abbreviations too (HDT).
    return any(word in names_of(tz, year) for tz in (written.tz, *written.around))


def dated_without_time(when: str) -> bool:
    """Whether a time cell holds a date and no time (`2019-12-03 --:--`)."""
    lead = read_date_lead(when)
    return lead is not None and not re.search(r"\d:\d", lead[1])


def read_csv(text: str, book: DraftBook) -> ImportResult | None:
    """Read CSV rows into `book`; a result when the header cannot be used (and the rows are
    not read), else None."""
    # strict: a quote never closed is an error (not the rest of the file taken as one cell).
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return ImportResult([], [BadLine(1, "", f"not CSV: {exc}")], "row")
    if header is None:
        return ImportResult([], [], "line")
    columns = Columns.of(header, 1)
    text_at = text_column(header)
    if columns is None or text_at is None:
        names = ", ".join(repr(n.strip().lower()) for n in header)
        reason = (
            "the header needs a time column (time, at, timestamp) and a text column "
            f"(text, event, description); found {names}"
        )
        return ImportResult([], [BadLine(1, ",".join(header), reason)])
    started = reader.line_num + 1  # where the row being read began (a cell may span lines)
    try:
        for row in reader:
            number, started = started, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            cells = [cell.strip() for cell in row]
            body = one_line(cells[text_at]) if text_at < len(cells) else ""
            try:
                stamp = cell_stamp(book, columns.when(cells), columns.zone)
                book.add(
                    number,
                    ",".join(row),
                    stamp._replace(text=body),
                    columns.zone,
                    kind=columns.kind_of(cells),
                )
            except TimeParseError as exc:
                book.bad.append(BadLine(number, ",".join(row), str(exc)))
    except csv.Error as exc:
        if "end of data" in str(exc):
            reason = "a quote opened on this line is never closed"
        else:
            reason = f"not valid CSV: {exc}"
        book.bad.append(BadLine(started, "", reason))
    return None
