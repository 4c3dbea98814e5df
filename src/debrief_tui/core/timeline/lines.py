"""Reading pasted text and Markdown line by line: events, and everything around them.

A line that starts with a time is an event; a paragraph without one continues the event above
it. What is not an event is read for what it says and never blocks the import: notes that set
the zone or the day, date lines and headings, a heading per event with its text below, tables,
code blocks (a log excerpt, left out with a note; a fenced list of times before any event is
the timeline itself), images, link definitions and rules. Prose with no event to continue is
left out with a note when it reads as a heading or a sentence; a fragment that reads as an
entry without its time (`checked the logs`) is a bad line, as an unreadable time is.
"""

from __future__ import annotations

import re
from functools import cache

from debrief_tui.core.timeline.drafts import Draft, DraftBook
from debrief_tui.core.timeline.results import BadLine
from debrief_tui.core.timeline.stamps import (
    Stamp,
    read_date_lead,
    read_date_line,
    read_stamp,
)
from debrief_tui.core.timeline.tables import (
    Columns,
    cell_stamp,
    dated_without_time,
    own_abbreviation,
)
from debrief_tui.core.timeline.timeparse import TimeParseError
from debrief_tui.core.timeline.zone_lines import ZoneLine, read_zone_line


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    # Compiled on first use, like the stamp: start-up never reads a paste.
    return {
        "bullet": re.compile(
            "^\\s*(?:[-*+\u2022\u25cf\u25cb\u25e6\u25aa\u2023\u2043]|\\d{1,3}[.)])\\s+"
            r"(?:\[[ xX]\]\s+)?"
        ),
        "emphasis": re.compile(r"^(\*\*|__|`)(.+?)\1"),
        "opener": re.compile(r"^(?:\*\*|__)(?=\S)"),
        "table_rule": re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$"),
        "rule": re.compile(r"^(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$"),
        "image": re.compile(r"^!\[[^\]]*\]\([^)]*\)\s*$"),
        "link_definition": re.compile(r"^\[[^\]]+\]:\s*<?(?:https?://|mailto:|/|\.|#)\S*"),
        "link_only": re.compile(r"^\[[^\]]*\]\([^)]*\)[.,;]?$|^<?https?://\S+>?$"),
        "bold_only": re.compile(r"^(\*\*|__)[^*_]+\1:?$"),
        "label": re.compile(r"^(?P<label>[A-Z][\w'/-]*(?: [\w'/-]+){0,2}):\s+"),
        "not_label": re.compile(
            r"^(?:duration|downtime|total|length|elapsed|lasted|time to|mttr|ttr|mttd|tta)\b", re.I
        ),
        "unreadable_clock": re.compile(r"\b[\dX?]{1,2}:[\dX?]{2}\b", re.I),
        "cell_split": re.compile(r"(?<!\\)\|"),
        "unescape": re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])"),
        "fence": re.compile(r"^(`{3,}|~{3,})"),
    }


class LineReader:
    """Reads lines in order into a `DraftBook`, carrying the day, zone and open event."""

    def __init__(self, book: DraftBook) -> None:
        self.book = book
        self.open: Draft | None = None
        self.paragraph: list[tuple[int, str, str, bool]] = []  # number, raw, text, listed
        self.columns: Columns | None = None
        self.in_table = False
        self.headed: int | None = None  # the line of the table's header, when it has one
        self.fence: str | None = None
        self.fence_timeline = False
        self.code: list[int] = []
        self.orphaned: int | None = None  # a heading whose time cannot be read, on this line
        self.p = _patterns()

    def read(self, lines: list[str]) -> None:
        """Read every line; an unreadable one becomes a bad line and reading goes on."""
        self.lines = lines
        for number, raw in enumerate(lines, start=1):
            try:
                self._line(number, raw)
            except TimeParseError as exc:
                self._flush()
                self.book.bad.append(_bad(number, raw, str(exc)))
        self._flush()
        if self.fence is not None:
            self._end_code()

    # One line ----------------------------------------------------------------------------

    def _line(self, number: int, raw: str) -> None:
        line = raw.strip()
        if self.fence is not None and not self._in_fence(number, line):
            return
        if not line:
            self._flush()
            self.in_table = False
            return
        # Most lines are events: each test below looks at the first character before it
        # runs a pattern (a 5,000-line paste is read in a tenth of a second).
        first = line[0]
        fence = self.p["fence"].match(line) if first in "`~" else None
        if fence:
            self._open_fence(number, fence[1])
            return
        piped = "|" in line
        if line.startswith("<!--") or (piped and self.p["table_rule"].match(line)):
            return
        if first == "|" or (self.in_table and piped):
            self._table_row(number, raw, line)
            return
        self.in_table = False
        if first in "-*_=" and self.p["rule"].match(line):
            self._flush()
            self._close()
            return
        if first == "#":
            self._heading(number, raw, line.lstrip("#").strip().rstrip("#").strip())
            return
        if first in "![" and (self.p["image"].match(line) or self.p["link_definition"].match(line)):
            return
        line = line.lstrip(">").strip() if first == ">" else line
        bullet = self.p["bullet"].match(line)
        listed = bullet is not None
        bare = line[bullet.end() :] if bullet else line
        stamp = self._stamp(bare)
        if stamp is not None:
            self._flush()
            self._event(number, raw, stamp)
            return
        day = read_date_line(_plain(bare).rstrip(":"))
        if day is not None:
            self._flush()
            self._close()
            self.book.new_day(self.book.written_day(day, number, _plain(bare)), number)
            return
        if self.p["bold_only"].match(bare):
            self._flush()
            self._heading(number, raw, _plain(bare).rstrip(":"), bold=True)
            return
        self.paragraph.append((number, raw, bare, listed))

    def _stamp(self, line: str) -> Stamp | None:
        """The stamp at the start of `line`, inside bold or after a label (`Start: ...`)."""
        plain = line
        if line[:1] in "*_`":
            plain = self.p["emphasis"].sub(r"\2", line)
            if plain is line and self.p["opener"].match(line):
                plain = line[2:]  # bold opened here and closed on a later line
        stamp = read_stamp(plain)
        if stamp is None:
            label = self.p["label"].match(plain)
            if label is None or self.p["not_label"].match(plain):
                return None
            stamp = read_stamp(plain[label.end() :])
            if stamp is None:
                return None
            stamp = stamp._replace(text=f"{label['label']}: {stamp.text}".rstrip(": "))
        return stamp

    def _event(self, number: int, raw: str, stamp: Stamp, heading: bool = False) -> None:
        self._close()
        text = stamp.text
        if stamp.zone is None and text:
            first, _, rest = text.partition(" ")
            if own_abbreviation(first, self.book.zone, stamp.day or self.book.last_day):
                # "10:12 IST text" in Asia/Kolkata: the zone's own name, which says the hour
                # when the clocks go back
                stamp = stamp._replace(zone_name=first)
                text = rest.strip()
        text = _strip_closer(text)
        draft = self.book.add(number, raw, stamp._replace(text=text))
        draft.titled = heading
        self.open = draft
        self.orphaned = None

    def _close(self) -> None:
        self.open = None

    # Paragraphs without a time -----------------------------------------------------------

    def _flush(self) -> None:
        """What the lines without a time since the last event or break are."""
        if not self.paragraph:
            return
        lines, self.paragraph = self.paragraph, []
        numbers = [n for n, _, _, _ in lines]
        text = " ".join(_strip_closer(_plain_start(t)) for _, _, t, _ in lines)
        said = read_zone_line(_plain(text), numbers[0], strict=self.open is not None)
        if said is not None:
            self._apply(said, numbers[0])
            return
        lead = read_date_lead(_plain(lines[0][2]))
        if lead is not None:
            day, rest = lead
            self._close()
            self.book.new_day(self.book.written_day(day, numbers[0]), numbers[0])
            if rest:
                self.book.notes.add(
                    "a date without a time of day: not imported (give it a time to import it)",
                    *numbers,
                )
            return
        if self.orphaned is not None:
            self.book.notes.add(
                f"left out: under the heading on line {self.orphaned}, which has no time that "
                "can be read",
                *numbers,
            )
            return
        if self.open is not None:
            for number, _, line, _ in lines:
                self.book.extend(self.open, _strip_closer(_plain_start(line)), number)
            return
        self._alone(lines, text)

    def _alone(self, lines: list[tuple[int, str, str, bool]], text: str) -> None:
        """Lines without a time and no event to continue: left out when they read as a
        heading, a lead-in or a sentence; a bad line when they read as an entry."""
        numbers = [n for n, _, _, _ in lines]
        first = _plain(text)
        if all(self.p["link_only"].match(_plain(t)) for _, _, t, _ in lines):
            return  # links listed for reference
        if first.endswith(":") and len(first.split()) <= 12:
            return  # a lead-in: "Timeline:", "links to grafana during incident window:"
        short = len(lines) == 1 and len(first.split()) <= 8 and first[-1:] not in ".!?,;"
        if short and first[:1].isupper() and not lines[0][3]:
            return  # a heading in plain text: "Timeline of Events", "Actions taken"
        entry = lines[0][3]
        if not entry and (first[:1].isupper() or first[:1] in "\"'\u201c\u2018(["):
            self.book.notes.add("not an event (no time at its start): left out", *numbers)
            return
        if self.book.drafts:
            # Below the events (past a heading): a list or text the timeline does not hold,
            # such as action items. Before any event it would be an entry without its time.
            self.book.notes.add("not an event (no time at its start): left out", *numbers)
            return
        for number, raw, _, _ in lines:
            self.book.bad.append(_bad(number, raw, "no time found at the start of the line"))

    def _apply(self, said: ZoneLine, number: int) -> None:
        book = self.book
        if said.zone is not None:
            book.zone = said.zone
        if said.day is not None:
            day = book.written_day(said.day, number)
            book.new_day(day, number, "note")
            self._close()
        if said.approximate:
            book.all_approximate = True
            book.notes.add(f"every time is approximate, as line {number} says", number)

    # Headings ------------------------------------------------------------------------------

    def _heading(self, number: int, raw: str, title: str, bold: bool = False) -> None:
        self._flush()
        title = _plain(title)
        try:
            stamp = read_stamp(title) if title and not bold else None
        except TimeParseError as exc:  # a heading never blocks the import: it is noted
            self._close()
            self.orphaned = number
            self.book.notes.add(f"a heading that is not an event: {exc}", number)
            return
        if stamp is not None:
            self._event(number, raw, stamp, heading=True)  # "### 4:27", text below
            return
        self._close()
        said = read_zone_line(title, number, heading=True)
        if said is not None:
            self._apply(said, number)
            return
        lead = read_date_lead(title)
        if lead is not None:
            self.book.new_day(self.book.written_day(lead[0], number), number)
            self.orphaned = None
            return
        if self.p["unreadable_clock"].search(title):
            self.orphaned = number  # "### 2X:XX (not sure exact time)"
            self.book.notes.add(
                f"a heading with no time that can be read ({title!r}): it is not an event", number
            )
            return
        self.orphaned = None

    # Tables --------------------------------------------------------------------------------

    def _table_row(self, number: int, raw: str, line: str) -> None:
        self._flush()
        cells = [
            self.p["unescape"].sub(r"\1", c.strip())
            for c in self.p["cell_split"].split(line.strip().strip("|"))
        ]
        following = self.lines[number] if number < len(self.lines) else ""
        if self.p["table_rule"].match(following.strip()) and "|" in following:
            self._close()
            self.in_table = True
            self.columns = Columns.of(cells, number)
            self.headed = number
            return
        if not self.in_table:
            self.in_table, self.columns, self.headed = True, None, None
        if self.columns is None and self.headed is not None:
            # A table whose header names no time (impact, owners): not a timeline.
            self.book.notes.add(
                f"a table with no time column (its header on line {self.headed}): left out",
                number,
            )
            return
        columns = self.columns or _guessed(cells)
        when = columns.when(cells)
        body = columns.body(cells)
        if self.columns is None and read_stamp(when) is None and not dated_without_time(when):
            when, body = "", " ".join(c for c in cells if c)  # a row of text, not a time
        if not when:
            if self.open is not None and body:
                self.book.extend(self.open, body, number)
            elif body:
                self.paragraph.append((number, raw, body, True))
                self._flush()
            return
        if dated_without_time(when) and read_stamp(when) is None:
            self._close()
            self.book.notes.add(
                "a date without a time of day: not imported (give it a time to import it)", number
            )
            return
        stamp = cell_stamp(self.book, when, columns.zone)
        key = body.startswith("**") and body.endswith("**") and len(body) > 4
        self._close()
        draft = self.book.add(
            number,
            raw,
            stamp._replace(text=body[2:-2] if key else body),
            columns.zone,
            kind=columns.kind_of(cells),
            key_event=key,
        )
        self.open = draft

    # Code blocks ---------------------------------------------------------------------------

    def _open_fence(self, number: int, marker: str) -> None:
        self._flush()
        self.fence = marker
        self.code = [number]
        # A fenced list of times before any event is the timeline itself (kept in a code block
        # for its layout); after events, a code block is a log excerpt or a command.
        self.fence_timeline = not self.book.drafts and self._all_stamped(number)

    def _all_stamped(self, number: int) -> bool:
        inside = []
        for line in self.lines[number:]:
            if line.strip().startswith(self.fence or "```"):
                break
            if line.strip():
                inside.append(line.strip())
        try:
            return bool(inside) and all(
                self._stamp(self.p["bullet"].sub("", line)) for line in inside
            )
        except TimeParseError:
            return False

    def _in_fence(self, number: int, line: str) -> bool:
        """Whether a line inside a code block is read as any other line."""
        if self.fence is not None and line.startswith(self.fence):
            self.code.append(number)
            self._end_code()
            return False
        if self.fence_timeline:
            return True
        self.code.append(number)
        return False

    def _end_code(self) -> None:
        if not self.fence_timeline and len(self.code) > 1:
            self.book.notes.add("a code block: left out", *self.code)
        self.fence, self.fence_timeline, self.code = None, False, []


def _guessed(cells: list[str]) -> Columns:
    """Columns for a table without a header: the time first, with the date before it when
    the first cell is only a date."""
    if len(cells) > 2 and read_date_line(cells[0]) is not None and read_stamp(cells[1]):
        return Columns(1, 0, None, None)
    return Columns(0, None, None, None)


def _plain(text: str) -> str:
    """`text` without the emphasis and brackets that wrap a whole note or heading:
    `*(All times US/Pacific, 24-hour clock.)*`."""
    text = text.strip().strip("*_").strip()
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1].strip().strip("*_").strip()
    return text


def _plain_start(text: str) -> str:
    """A continuation line without a bold opener left unclosed."""
    return text[2:] if text.startswith(("**", "__")) and text.count(text[:2]) == 1 else text


def _strip_closer(text: str) -> str:
    """`... got paged**`: the end of bold opened on an earlier line."""
    if text.endswith(("**", "__")) and text.count(text[-2:]) == 1:
        return text[:-2].rstrip()
    return text


def _bad(number: int, raw: str, reason: str) -> BadLine:
    return BadLine(number, raw, reason)
