"""Turning a pasted or exported timeline (text, Markdown, CSV, JSON) into timeline events.

`read_timeline` reads everything and returns the events it understood and every line it could
not, each with its number and why: the caller decides between all-or-nothing and skipping.
Nothing here writes to the database, and nothing raises on bad input.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime, timedelta, tzinfo
from pathlib import PurePath
from typing import Any, NamedTuple

from debrief_tui.core.reference.data import event_kind_keys, event_kinds
from debrief_tui.core.text import one_line
from debrief_tui.core.timeline.events import MAX_EVENT_CHARS
from debrief_tui.core.timeline.stamps import (
    Stamp,
    complete_year,
    read_date_line,
    read_stamp,
    to_utc,
    zone_named,
)
from debrief_tui.core.timeline.timeparse import TimeParseError, zone

FORMATS = ("txt", "md", "csv", "json")
MAX_IMPORT_BYTES = 20 * 1024 * 1024

_ENDINGS = {".txt": "txt", ".text": "txt", ".log": "txt", ".md": "md", ".markdown": "md"}
_ENDINGS |= {".csv": "csv", ".json": "json"}


class ImportedEvent(NamedTuple):
    """One event read from the input, with where it came from."""

    line: int
    at: datetime
    text: str
    kind: str
    approximate: bool
    kind_guessed: bool
    key_event: bool = False


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


class ImportResult(NamedTuple):
    """What was read: the events in input order, and the bad lines."""

    events: list[ImportedEvent]
    bad: list[BadLine]
    unit: str = "line"


def format_for(path: str | None, given: str | None) -> str:
    """The format named by `--format`, else by the file's ending, else plain text."""
    if given:
        return given
    if not path or path == "-":
        return "txt"
    return _ENDINGS.get(PurePath(path).suffix.lower(), "txt")


def guess_kind(text: str) -> str | None:
    """The kind suggested by words in `text` (from `data/event_kinds.toml`), or None."""
    lowered = text.lower()
    for kind in event_kinds():
        for word in kind.words:
            if re.search(rf"(?<![\w-]){re.escape(word.lower())}(?![\w-])", lowered):
                return kind.key
    return None


def read_timeline(
    text: str, fmt: str, zone_name: str, start_day: date | None = None
) -> ImportResult:
    """Read `text` in format `fmt`; times without a zone are in `zone_name`, times without a
    date take the date of the line before (or `start_day`)."""
    if fmt == "csv":
        return _read_csv(text, zone_name, start_day)
    if fmt == "json":
        return _read_json(text, zone_name, start_day)
    return _LineReader(zone_name, start_day).read(text.splitlines())


# Text and Markdown -------------------------------------------------------------------------

_BULLET = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?")
_EMPHASIS = re.compile(r"^(\*\*|__|`)(.+?)\1")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_ZONE_NOTE = re.compile(
    r"^\W*(?:all\s+)?times?\s+(?:are\s+|shown\s+|given\s+)?(?:in\s+)?(?P<zone>[\w/+:-]+)\W*$",
    re.IGNORECASE,
)
_TIME_HEADER = re.compile(r"^(?:time|at|when|timestamp|date/time|date)\b", re.IGNORECASE)


class _LineReader:
    """Reads lines in order, carrying the date and zone from one line to the next."""

    def __init__(self, zone_name: str, start_day: date | None, carry_zone: bool = True) -> None:
        self.zone: tzinfo = zone(zone_name)
        self.carry_zone = carry_zone
        self.day = start_day
        self.last_wall: tuple[int, int, int] | None = None
        self.events: list[ImportedEvent] = []
        self.bad: list[BadLine] = []
        self.table_header: list[str] | None = None
        self.pending_kind = ""  # a kind given by a table/CSV column for the next event

    def read(self, lines: list[str]) -> ImportResult:
        for number, raw in enumerate(lines, start=1):
            try:
                self._line(number, raw)
            except TimeParseError as exc:
                self.bad.append(BadLine(number, raw, str(exc)))
        return ImportResult(self.events, self.bad)

    def _line(self, number: int, raw: str) -> None:
        line = raw.strip()
        if not line or line.startswith(("#", "<!--", "```")) or _TABLE_RULE.match(line):
            day = read_date_line(line.lstrip("#").strip().strip("*_"))
            if day is not None:
                self._new_day(day)
            return
        if line.startswith("|"):
            line = self._table_row(line)
            if not line:
                return
        line = _BULLET.sub("", line)
        line = _EMPHASIS.sub(r"\2", line)
        stamp = read_stamp(line)
        if stamp is None:
            self._no_time(number, raw, line)
            return
        self.add(number, raw, stamp)

    def _table_row(self, line: str) -> str:
        """A Markdown table row as `stamp | text` ('' for a header row); a row without a
        time comes back as its text, to continue the event before it."""
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip("|"))]
        first = cells[0] if cells else ""
        if read_stamp(first) is None and read_date_line(first) is None:
            if _TIME_HEADER.match(first):
                self.table_header = [c.lower() for c in cells]
                note = re.search(r"\((?P<zone>[^)]+)\)", first)
                named = zone_named(note["zone"]) if note else None
                if named is not None:
                    self.zone = named[0]
                return ""
            return " ".join(c for c in cells if c)
        header = self.table_header or []
        kind_at = next((i for i, h in enumerate(header) if h in ("kind", "type")), None)
        parts = [c for i, c in enumerate(cells) if i != kind_at]
        # A date and a time in two cells read as one stamp.
        if len(parts) > 2 and read_date_line(parts[0]) and read_stamp(parts[1]) is not None:
            parts = [f"{parts[0]} {parts[1]}", *parts[2:]]
        if kind_at is not None and kind_at < len(cells):
            self.pending_kind = cells[kind_at].lower()
        return f"{parts[0]} | {' — '.join(p for p in parts[1:] if p)}"

    def _new_day(self, day: date) -> None:
        self.day = complete_year(day, self.day)
        self.last_wall = None  # times below a date heading start that day afresh

    def _no_time(self, number: int, raw: str, line: str) -> None:
        day = read_date_line(line.rstrip(":").strip("*_"))
        if day is not None:
            self._new_day(day)
            return
        note = _ZONE_NOTE.match(line)
        named = zone_named(note["zone"]) if note else None
        if named is not None:
            self.zone = named[0]
            return
        if not self.events:
            raise TimeParseError("no time found at the start of the line")
        last = self.events[-1]
        joined = f"{last.text} {line}"
        if len(joined) > MAX_EVENT_CHARS:
            raise TimeParseError(f"the event would be longer than {MAX_EVENT_CHARS} characters")
        self.events[-1] = last._replace(text=joined)

    def add(self, number: int, raw: str, stamp: Stamp) -> None:
        """Add the event `stamp` stands for, dated from the lines before when it has no date."""
        if not stamp.text:
            raise TimeParseError("there is no text after the time")
        if len(stamp.text) > MAX_EVENT_CHARS:
            raise TimeParseError(f"the text is longer than {MAX_EVENT_CHARS} characters")
        tz = stamp.zone or self.zone
        if stamp.zone is not None and self.carry_zone:
            self.zone = stamp.zone  # a zone written once holds for the lines after it
        wall = (stamp.hour, stamp.minute, stamp.second)
        if stamp.day is not None:
            day = complete_year(stamp.day, self.day)
        elif self.day is None:
            raise TimeParseError("the time has no date, and no line before it gives one")
        elif self.last_wall is not None and wall < self.last_wall:
            day = self.day + timedelta(days=1)  # the clock went past midnight
        else:
            day = self.day
        self.day, self.last_wall = day, wall
        kind, self.pending_kind = self.pending_kind, ""
        self.events.append(_event(number, to_utc(day, stamp, tz), stamp, kind))


def _event(number: int, at: datetime, stamp: Stamp, kind: str) -> ImportedEvent:
    text = stamp.text
    if kind and kind not in event_kind_keys():
        raise TimeParseError(f"unknown kind {kind!r} (one of {', '.join(event_kind_keys())})")
    guessed = guess_kind(text)
    return ImportedEvent(
        number,
        at,
        text,
        kind or guessed or "observation",
        stamp.approximate,
        kind_guessed=not kind,
    )


# CSV ---------------------------------------------------------------------------------------

_CSV_TIME = ("time", "at", "timestamp", "when", "datetime", "date/time", "time (utc)")
_CSV_TEXT = ("text", "event", "description", "summary", "details", "what")
_CSV_KIND = ("kind", "type", "category")


def _read_csv(text: str, zone_name: str, start_day: date | None) -> ImportResult:
    # strict: a quote never closed is an error (not the rest of the file taken as one cell).
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return ImportResult([], [BadLine(1, "", f"not CSV: {exc}")], "row")
    if header is None:
        return ImportResult([], [], "line")
    names = [h.strip().lower() for h in header]
    time_at = _column(names, _CSV_TIME)
    date_at = _column(names, ("date", "day"))
    text_at = _column(names, _CSV_TEXT)
    kind_at = _column(names, _CSV_KIND)
    if (time_at is None and date_at is None) or text_at is None:
        reason = (
            "the header needs a time column (time, at, timestamp) and a text column "
            f"(text, event, description); found {', '.join(repr(n) for n in names)}"
        )
        return ImportResult([], [BadLine(1, ",".join(header), reason)])
    lines = _LineReader(zone_name, start_day)
    started = reader.line_num + 1  # where the row being read began (a cell may span lines)
    try:
        for row in reader:
            number, started = started, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            cells = {i: cell.strip() for i, cell in enumerate(row)}
            when = " ".join(
                cells.get(i, "") for i in (date_at, time_at) if i is not None and cells.get(i)
            )
            body = cells.get(text_at, "")
            kind = cells.get(kind_at, "").lower() if kind_at is not None else ""
            lines.pending_kind = kind
            try:
                lines.add(number, ",".join(row), _cell_time(when, body))
            except TimeParseError as exc:
                lines.bad.append(BadLine(number, ",".join(row), str(exc)))
    except csv.Error as exc:
        if "end of data" in str(exc):
            reason = "a quote opened on this line is never closed"
        else:
            reason = f"not valid CSV: {exc}"
        lines.bad.append(BadLine(started, "", reason))
    return ImportResult(lines.events, lines.bad)


def _cell_time(when: str, body: str) -> Stamp:
    """The stamp in a CSV cell or JSON value, which must hold a time and nothing else."""
    stamp = read_stamp(when.strip()) if when.strip() else None
    if stamp is None or stamp.text:
        raise TimeParseError(f"cannot read the time {when!r}" if when.strip() else "no time given")
    return stamp._replace(text=one_line(body))


def _column(names: list[str], wanted: tuple[str, ...]) -> int | None:
    for i, name in enumerate(names):
        if name in wanted or re.sub(r"\s*\(.*\)$", "", name) in wanted:
            return i
    return None


# JSON --------------------------------------------------------------------------------------


def _read_json(text: str, zone_name: str, start_day: date | None) -> ImportResult:
    deepest = 32  # levels of lists and objects an item may hold; an export's hold 1

    def refuse_constant(name: str) -> Any:
        raise ValueError(f"{name} is not a JSON number")

    def whole(digits: str) -> int:  # Python reads at most 4,300 digits, with a long message
        if len(digits) > 40:
            raise ValueError(f"a number with {len(digits.lstrip('-'))} digits")
        return int(digits)

    def problem(item: Any) -> str | None:
        """What in `item` no file, terminal or database takes: nesting deeper than `deepest`,
        text or a key with a lone surrogate (a `\\ud800` escape); with where it is."""
        stack: list[tuple[Any, str, int]] = [(item, "", 0)]
        while stack:
            value, path, depth = stack.pop()
            if isinstance(value, str) and not unicode_text(value):
                return f"{path or 'item'}: not valid Unicode text"
            if isinstance(value, dict | list):
                if depth >= deepest:
                    return f"{path or 'item'}: nested more than {deepest} levels deep"
                if isinstance(value, list):
                    children = [(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value)]
                else:
                    if not all(unicode_text(key) for key in value):
                        return f"{path or 'item'}: has a key that is not valid Unicode text"
                    children = [(v, key_path(path, k), depth + 1) for k, v in value.items()]
                stack.extend(reversed(children))
        return None

    def unicode_text(text: str) -> bool:
        return text.isascii() or not re.search("[\ud800-\udfff]", text)

    def key_path(path: str, key: str) -> str:
        if not (key.isascii() and key.isidentifier()):  # shown escaped, never raw
            return f"{path}[{key[:40]!r}{'…' if len(key) > 40 else ''}]"
        return f"{path}.{key}" if path else key

    try:
        data: Any = json.loads(text, parse_constant=refuse_constant, parse_int=whole)
    except json.JSONDecodeError as exc:
        return ImportResult([], [BadLine(exc.lineno, "", f"not valid JSON: {exc.msg}")])
    except RecursionError:  # the decoder recurses once per level
        return ImportResult([], [BadLine(1, "", f"nested more than {deepest} levels deep")])
    except ValueError as exc:
        return ImportResult([], [BadLine(1, "", f"not JSON debrief reads: {exc}")])
    if isinstance(data, dict) and isinstance(data.get("timeline"), list):
        data = data["timeline"]  # debrief's own export, or a document with a timeline
    if not isinstance(data, list):
        reason = "expected a list of events (objects with at and text) or a timeline list"
        return ImportResult([], [BadLine(1, "", reason)])
    # Each item's time stands alone: a zone on one item does not carry to the next.
    lines = _LineReader(zone_name, start_day, carry_zone=False)
    for number, item in enumerate(data, start=1):
        trouble = problem(item)
        if trouble is not None:
            lines.bad.append(BadLine(number, "", trouble))
            continue
        shown = json.dumps(item, ensure_ascii=False)[:200]
        try:
            if not isinstance(item, dict):
                raise TimeParseError("not an object with at and text")
            at, body = item.get("at"), item.get("text")
            if not isinstance(at, str) or not at.strip():
                raise TimeParseError('"at" is missing or not a string')
            if not isinstance(body, str) or not body.strip():
                raise TimeParseError('"text" is missing or not a string')
            kind = item.get("kind") or ""
            if not isinstance(kind, str):
                raise TimeParseError('"kind" is not a string')
            stamp = _cell_time(at, body)
            if item.get("approximate") is True:
                stamp = stamp._replace(approximate=True)
            lines.pending_kind = kind.strip().lower()
            lines.add(number, shown, stamp)
            if item.get("key") is True or item.get("key_event") is True:
                lines.events[-1] = lines.events[-1]._replace(key_event=True)
        except TimeParseError as exc:
            lines.bad.append(BadLine(number, shown, str(exc)))
    return ImportResult(lines.events, lines.bad, "item")


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
    day = complete_year(stamp.day, default_day) if stamp.day is not None else default_day
    if day is None:
        raise TimeParseError("give the date as well: no other event or start time gives one")
    return to_utc(day, stamp, stamp.zone or zone(zone_name)), stamp.approximate
