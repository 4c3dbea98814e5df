"""Events as they are read, before their dates and zones are settled: every reader (lines,
tables, CSV, JSON, status logs) writes drafts into one `DraftBook`, and `dating.finish` turns the
book into the import's result.

A draft keeps the wall time as written, the zone it is read in (and where that zone came from)
and the run it belongs to: the lines under one date, whose days are settled together once the
whole run is known (a list newest first is only recognisable at its end).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, tzinfo

from debrief_tui.core.timeline.events import MAX_EVENT_CHARS
from debrief_tui.core.timeline.results import BadLine, Note, span
from debrief_tui.core.timeline.stamps import Stamp, TwoWays, complete_year, has_year
from debrief_tui.core.timeline.timeparse import ZONE_ABBREVIATIONS, TimeParseError, zone


@dataclass(frozen=True)
class WrittenZone:
    """The zone times are read in, as the text gave it."""

    tz: tzinfo
    shown: str
    """As written: `CET`, `US/Pacific`, `UTC+1`, or the session's zone name."""
    abbreviation: str | None = None
    """`PST`, `CET`, ...: read as its place's clock on each event's day (`abbreviations`)."""
    note: str = ""
    """What was assumed in reading a time in this zone (empty: the line itself says)."""
    around: tuple[tzinfo, ...] = ()
    """For an abbreviation: the zones in force where it was written, which it may name."""


@dataclass(eq=False)
class Anchor:
    """Where the day of the undated times below comes from, and the run they form."""

    day: date | None
    source: str
    """`session` (the start day), `heading` (a date line), `note` (a note's date, holding for
    every undated line after it), `line` (a dated event), or `none`."""
    line: int | None = None

    @property
    def fixed(self) -> bool:
        """Whether dated events leave the day alone ("all events happened on ...")."""
        return self.source == "note"


@dataclass(eq=False)
class Draft:
    """One event being read."""

    line: int
    raw: str
    hour: int
    minute: int
    second: int
    day: date | None
    """The day written on the line itself, completed; None: the anchor's run decides."""
    zone: WrittenZone
    text: str
    approximate: bool
    anchor: Anchor | None
    kind: str = ""
    status: str = ""
    key_event: bool = False
    author: str | None = None
    """Who wrote it, when the input says (a JSON item's `author`)."""
    until: str = ""
    restated: str = ""
    named: str = ""
    """The zone's own name for itself after the time (`10:12 IST` in Asia/Kolkata)."""
    titled: bool = False
    """A heading's time: the first paragraph below it continues the title after a colon."""
    full: bool = False
    """Cut at the longest text an event takes: further lines are left out."""


def zone_for(stamp: Stamp) -> WrittenZone | None:
    """The zone written in `stamp`, if any."""
    if stamp.zone is None or stamp.zone_name is None:
        return None
    name = stamp.zone_name
    # UTC is no place's clock (GMT is the UK's in winter, and read as such in a UK session).
    named = name in ZONE_ABBREVIATIONS and name not in ("UTC", "Z")
    return WrittenZone(stamp.zone, name, name if named else None)


@dataclass
class Notes:
    """Notes gathered while reading: the same text on several lines is one note."""

    by_text: dict[str, list[int]] = field(default_factory=dict)

    def add(self, text: str, *lines: int) -> None:
        """Note `text` on `lines`."""
        self.by_text.setdefault(text, []).extend(lines)

    def done(self, events: tuple[int, ...], unit: str = "line") -> tuple[Note, ...]:
        """The notes in the order of their first line, with their lines shown as ranges."""
        notes = [
            Note(tuple(sorted(set(lines))), text, span(tuple(sorted(set(lines))), events, unit))
            for text, lines in self.by_text.items()
            if lines
        ]
        return tuple(sorted(notes, key=lambda n: (n.lines[0], n.text)))


class DraftBook:
    """Drafts, bad lines and notes, with the zone and day in force as the input is read."""

    def __init__(self, zone_name: str, start_day: date | None, day_first: bool | None = None):
        self.session_zone = zone_name
        self.start_day = start_day
        said = f"no zone given: read in the session's zone, {zone_name}"
        self.session = WrittenZone(zone(zone_name), zone_name, note=said)
        self.zone = self.session
        self.anchor = Anchor(start_day, "session" if start_day else "none")
        self.last_day = start_day
        self.year_known = False
        """Whether a year was written in the input (else years come from the start day)."""
        self.day_first = day_first
        self.drafts: list[Draft] = []
        self.bad: list[BadLine] = []
        self.notes = Notes()
        self.all_approximate = False
        self.carry_zone = True
        """Whether a zone written on a line holds for the lines after it (not in JSON)."""

    def new_day(self, day: date, line: int, source: str = "heading") -> None:
        """Undated times below `line` fall on `day` (a date line, a heading, a note)."""
        self.anchor = Anchor(day, source, line)
        self.last_day = day

    def written_day(self, day: date, line: int, original: str = "") -> date:
        """`day` as written on `line`, its year and its order (day or month first) settled from
        the lines before, with a note of what was assumed."""
        if isinstance(day, TwoWays):
            day = self._one_way(day, line, original)
        if has_year(day):
            self.year_known = True
        else:
            reference = self.last_day or self.start_day
            day = complete_year(day, reference)
            source = "the lines before" if self.year_known else "the session's start day"
            self.notes.add(f"no year given: {day.year}, from {source}", line)
        return day

    def _one_way(self, day: TwoWays, line: int, original: str) -> date:
        if self.day_first is not None:
            chosen = day.day_first if self.day_first else date(day.year, day.month, day.day)
            why = "as the other dates here are written"
        else:
            reference = self.last_day or self.start_day
            month_first = date(day.year, day.month, day.day)
            if reference is not None and abs(day.day_first - reference) < abs(
                month_first - reference
            ):
                chosen = day.day_first
            else:
                chosen = month_first
            why = "the nearer to the session's start" if reference else "month first"
        shown = f"{original!r} read" if original else "a date read"
        self.notes.add(f"{shown} as {chosen:%d %B %Y} ({why})", line)
        return chosen

    def add(
        self, number: int, raw: str, stamp: Stamp, zone: WrittenZone | None = None, **extra: object
    ) -> Draft:
        """A draft for the event `stamp` stands for; TimeParseError when its day cannot be
        known. `extra` sets the draft's other fields (kind, status, key_event, text)."""
        written = zone_for(stamp)
        if written is not None and written.abbreviation is not None:
            # The zones in force may name the abbreviation (CST in Asia/Shanghai); a zone
            # carried from an abbreviation before keeps the places that one was read against.
            governing = zone or self.zone
            places = governing.around if governing.abbreviation else (governing.tz,)
            written = replace(written, around=(*places, self.session.tz))
        if written is not None and self.carry_zone and not _same(written, self.zone):
            said = f"no zone on the line: read in {written.shown}, as on line {number}"
            self.zone = replace(written, note=said)
        chosen = written or zone or self.zone
        if chosen.abbreviation is not None and not chosen.around:
            chosen = replace(chosen, around=(self.session.tz,))  # from a note or a header
        day = None
        if stamp.day is not None:
            shown = _date_part(raw) if isinstance(stamp.day, TwoWays) else ""
            day = self.written_day(stamp.day, number, shown)
        if day is not None:
            self.last_day = day
            anchor = None if self.anchor.fixed else Anchor(day, "line", number)
            if anchor is not None:
                self.anchor = anchor
        else:
            if self.anchor.day is None:
                raise TimeParseError("the time has no date, and no line before it gives one")
            anchor = self.anchor
        draft = Draft(
            number,
            raw,
            stamp.hour,
            stamp.minute,
            stamp.second,
            day,
            chosen,
            stamp.text,
            stamp.approximate or self.all_approximate,
            anchor,
            until=stamp.until,
            restated=stamp.restated,
            named=stamp.zone_name if written is None and stamp.zone_name else "",
        )
        for name, value in extra.items():
            setattr(draft, name, value)
        self.drafts.append(draft)
        return draft

    def extend(self, draft: Draft, text: str, number: int) -> None:
        """Add `text` (a line without a time) to `draft`'s text; beyond the longest text an
        event takes it is cut, with a note."""
        if draft.full or not text:
            if draft.full:
                said = f"left out: the event on line {draft.line} is at its longest"
                self.notes.add(said, number)
            return
        joint = ": " if draft.titled and draft.text else " "
        draft.titled = False
        joined = f"{draft.text}{joint}{text}" if draft.text else text
        if len(joined) > MAX_EVENT_CHARS:
            joined = joined[: MAX_EVENT_CHARS - 1].rstrip() + "…"
            draft.full = True
            self.notes.add(
                f"the event on line {draft.line} is cut at {MAX_EVENT_CHARS:,} characters", number
            )
        draft.text = joined


def _same(written: WrittenZone, carried: WrittenZone) -> bool:
    """Whether `written` is the zone already carried from a line before (kept, with its note
    naming the line it was first written on)."""
    return (written.shown, written.tz, written.around) == (
        carried.shown,
        carried.tz,
        carried.around,
    ) and bool(carried.note)


def _date_part(raw: str) -> str:
    """The first date-looking word of `raw`, to name it in a note (`01-10-2024`)."""
    for word in raw.replace("|", " ").split():
        if sum(c.isdigit() for c in word) >= 6 and any(c in "-/." for c in word):
            return word.strip("*[](),:")
    return ""
