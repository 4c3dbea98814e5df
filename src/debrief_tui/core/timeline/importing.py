"""Turning a pasted or exported timeline (text, Markdown, CSV, JSON) into timeline events.

`read_timeline` reads everything and returns the events it understood, every line it could not
(each with its number and why: the caller decides between all-or-nothing and skipping), and
notes of what it assumed (a zone, a day, a year, an order), each on the lines it applies to.
Nothing here writes to the database, and nothing raises on bad input.

The shapes live in their own modules: `lines` (text and Markdown), `tables` (Markdown tables
and CSV), `status_log` (status-page updates), `json_reader`; `drafts` and `dating` settle the
days and zones for all of them.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import PurePath

from debrief_tui.core.timeline.kinds import guess_kind
from debrief_tui.core.timeline.results import BadLine, ImportedEvent, ImportResult, Note
from debrief_tui.core.timeline.stamps import TwoWays, complete_year, read_stamp, to_utc
from debrief_tui.core.timeline.timeparse import TimeParseError, zone

__all__ = [
    "FORMATS",
    "MAX_IMPORT_BYTES",
    "BadLine",
    "ImportResult",
    "ImportedEvent",
    "Note",
    "format_for",
    "guess_kind",
    "parse_event_time",
    "read_timeline",
]

FORMATS = ("txt", "md", "csv", "json")
MAX_IMPORT_BYTES = 20 * 1024 * 1024

_ENDINGS = {".txt": "txt", ".text": "txt", ".log": "txt", ".md": "md", ".markdown": "md"}
_ENDINGS |= {".csv": "csv", ".json": "json"}


def format_for(path: str | None, given: str | None) -> str:
    """The format named by `--format`, else by the file's ending, else plain text."""
    if given:
        return given
    if not path or path == "-":
        return "txt"
    return _ENDINGS.get(PurePath(path).suffix.lower(), "txt")


def read_timeline(
    text: str, fmt: str, zone_name: str, start_day: date | None = None
) -> ImportResult:
    """Read `text` in format `fmt`; times without a zone are in `zone_name` (unless the text
    says otherwise), times without a date take the date of the lines before (or `start_day`)."""
    from debrief_tui.core.timeline.dating import finish
    from debrief_tui.core.timeline.drafts import DraftBook

    if fmt == "csv":
        from debrief_tui.core.timeline.tables import read_csv

        book = DraftBook(zone_name, start_day, _day_order(text))
        refused = read_csv(text, book)
        return refused if refused is not None else finish(book, "row")
    if fmt == "json":
        from debrief_tui.core.timeline.json_reader import read_json

        book = DraftBook(zone_name, start_day)
        refused = read_json(text, book)
        return refused if refused is not None else finish(book, "item")
    from debrief_tui.core.timeline.lines import LineReader
    from debrief_tui.core.timeline.status_log import is_status_log, read_status_log

    lines = text.splitlines()
    book = DraftBook(zone_name, start_day, _day_order(text))
    if is_status_log(lines):
        read_status_log(lines, book)
    else:
        LineReader(book).read(lines)
    return finish(book)


def _day_order(text: str) -> bool | None:
    from debrief_tui.core.timeline.stamps import day_order

    return day_order(text) if any(c in text for c in "-/.") else None


def parse_event_time(text: str, zone_name: str, default_day: date | None) -> tuple[datetime, bool]:
    """An event time typed in the timeline (any shape the importer reads) and whether it is
    marked approximate; a time without a date takes `default_day`.

    Raises TimeParseError with a one-line reason.
    """
    stamp = read_stamp(text.strip()) if text.strip() else None
    if stamp is None or stamp.text:
        raise TimeParseError(
            f"cannot read {text.strip()!r} as a time (e.g. 09:37, 2025-03-21 09:37 UTC, 9:37pm)"
            if text.strip()
            else "a time is needed"
        )
    day = stamp.day
    if isinstance(day, TwoWays):  # 01-10-2024: the reading nearer the incident
        month_first = date(day.year, day.month, day.day)
        near = default_day or month_first
        day = min((month_first, day.day_first), key=lambda d: abs(d - near))
    day = complete_year(day, default_day) if day is not None else default_day
    if day is None:
        raise TimeParseError("give the date as well: no other event or start time gives one")
    return to_utc(day, stamp, stamp.zone or zone(zone_name)), stamp.approximate
