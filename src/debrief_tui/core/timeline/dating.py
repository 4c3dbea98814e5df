"""Settling the drafts of an import: the day of each time, its zone, and the order.

Undated times take the day of the run they are in (the lines under one date). A run is read
oldest first, a time earlier than the one before it being the next day (past midnight), or
newest first, a time later than the one before being the day before: whichever makes the run
span the least time. So `22:32, 02:30` crosses midnight, and `14:05, 13:40, 12:10` is a list
newest first, never three days. Every assumption is a note on the lines it applies to.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from debrief_tui.core.clock import FIRST_YEAR, LAST_YEAR
from debrief_tui.core.reference.data import event_kind_keys
from debrief_tui.core.text import counted
from debrief_tui.core.timeline.abbreviations import place_of, read_named
from debrief_tui.core.timeline.drafts import Draft, DraftBook
from debrief_tui.core.timeline.events import MAX_EVENT_CHARS
from debrief_tui.core.timeline.kinds import guess_kind
from debrief_tui.core.timeline.results import BadLine, ImportedEvent, ImportResult
from debrief_tui.core.timeline.stamps import read_clock, wall_to_utc
from debrief_tui.core.timeline.timeparse import TimeParseError

_DAY_MINUTES = 24 * 60


def finish(book: DraftBook, unit: str = "line") -> ImportResult:
    """The events of `book` in time order, its bad lines, and every note."""
    days = _days(book)
    events: list[ImportedEvent] = []
    for draft in book.drafts:
        try:
            day = days.get(id(draft))
            if day is None:  # a day past the calendar's end (9999-12-31, then 00:10)
                raise TimeParseError(
                    f"its day is outside the years debrief keeps ({FIRST_YEAR} to {LAST_YEAR})"
                )
            events.append(_event(book, draft, day))
        except TimeParseError as exc:
            book.bad.append(BadLine(draft.line, draft.raw, str(exc)))
    events = _in_order(book, events)
    book.bad.sort(key=lambda bad: bad.line)
    notes = book.notes.done(tuple(e.line for e in events), unit)
    return ImportResult(events, book.bad, unit, notes)


def _days(book: DraftBook) -> dict[int, date]:
    """The day of every draft, run by run."""
    days: dict[int, date] = {}
    run: list[Draft] = []
    for draft in [*book.drafts, None]:
        if draft is not None and run and draft.anchor is run[0].anchor and draft.day is None:
            run.append(draft)
            continue
        if run:
            # A run past the calendar's end leaves its drafts without a day: bad lines.
            with suppress(OverflowError):
                days.update(_run_days(book, run))
        run = [] if draft is None else [draft]
        if draft is not None and draft.anchor is None:
            assert draft.day is not None  # a dated event under a note's day stands alone
            days[id(draft)] = draft.day
            run = []
    return days


def _minutes(draft: Draft) -> int:
    return draft.hour * 60 + draft.minute


def _frame(run: list[Draft], day: date) -> list[int]:
    """Each draft's time as minutes of `day` in UTC (a time in another zone than the one
    before it compares by the moment, not by the figures: 11:48 UTC, then 09:10 PT, is later)."""
    offsets: dict[int, int] = {}
    out = []
    for draft in run:
        tz = draft.zone.tz
        if id(tz) not in offsets:
            noon = datetime.combine(day, time(12), tzinfo=tz)
            offsets[id(tz)] = int((noon.utcoffset() or timedelta()).total_seconds() // 60)
        out.append(_minutes(draft) - offsets[id(tz)])
    return out


def _run_days(book: DraftBook, run: list[Draft]) -> dict[int, date]:
    anchor = run[0].anchor
    assert anchor is not None
    assert anchor.day is not None
    frame = _frame(run, anchor.day)
    newest_first = _newest_first([minutes % _DAY_MINUTES for minutes in frame])
    lines = [d.line for d in run]
    # Days from the first line's: each time is the first moment at or after the one before
    # (oldest first) or at or before it (newest first); a step past midnight is a day.
    days = [0]
    for before, minutes in pairwise(frame):
        moment = days[-1] * _DAY_MINUTES + before
        if newest_first:
            days.append((moment - minutes) // _DAY_MINUTES)
        else:
            days.append(-((minutes - moment) // _DAY_MINUTES))
    # The session's start day is the incident's first day: the oldest line's. A date written
    # above the lines is the first line's, newest first or not.
    undated = run[0].day is None
    at = len(run) - 1 if newest_first and anchor.source == "session" and undated else 0
    base = anchor.day - timedelta(days=days[at])
    if anchor.source == "session" and undated:
        base = _on_start_day(book, run[at], anchor.day) - timedelta(days=days[at])
        shown = f"{anchor.day:%Y-%m-%d}"
        if base + timedelta(days=days[at]) != anchor.day:
            shown = f"{shown} in {book.session_zone}"
        book.notes.add(f"no date given: the session's start day, {shown}", *lines)
    elif anchor.source == "note" and undated:
        said = f"no date on the line: {anchor.day:%Y-%m-%d}, as line {anchor.line} says"
        book.notes.add(said, *lines)
    if newest_first:
        book.notes.add("times go backwards: read as a list newest first", *lines)
    out: dict[int, date] = {}
    for at, draft in enumerate(run):
        out[id(draft)] = base + timedelta(days=days[at])
        if at and days[at] != days[at - 1]:
            previous = run[at - 1]
            which = "day before" if newest_first else "next day"
            book.notes.add(
                f"the clock goes {'forward' if newest_first else 'back'} from "
                f"{_clock(previous)} to {_clock(draft)}: read as the {which}, "
                f"{out[id(draft)]:%Y-%m-%d}",
                draft.line,
            )
    return out


def _newest_first(walls: list[int]) -> bool:
    """Whether times `walls` (minutes of the day) read best as a list newest first: the
    reading spans less time, and crosses midnight no more often than oldest first does."""
    steps = list(pairwise(walls))
    forward = sum((b - a) % _DAY_MINUTES for a, b in steps)
    backward = sum((a - b) % _DAY_MINUTES for a, b in steps)
    ups = sum(1 for a, b in steps if b > a)
    downs = sum(1 for a, b in steps if b < a)
    return backward < forward and ups <= downs


def _on_start_day(book: DraftBook, draft: Draft, start_day: date) -> date:
    """The day, in the draft's own zone, on which its time falls on the session's start day
    in the session's zone (02:00 UTC is the evening before in Los Angeles)."""
    session = book.session.tz
    for shift in (0, -1, 1):
        day = start_day + timedelta(days=shift)
        try:
            at = wall_to_utc(day, draft.hour, draft.minute, draft.second, draft.zone.tz)
        except TimeParseError:
            continue
        if at.astimezone(session).date() == start_day:
            return day
    return start_day


def _clock(draft: Draft) -> str:
    return f"{draft.hour:02d}:{draft.minute:02d}"


def _event(book: DraftBook, draft: Draft, day: date) -> ImportedEvent:
    text = draft.text.strip()
    if draft.until:
        text = f"{text} (until {draft.until})" if text else ""
    if not text:
        raise TimeParseError("there is no text after the time")
    if len(text) > MAX_EVENT_CHARS:
        raise TimeParseError(f"the text is longer than {MAX_EVENT_CHARS} characters")
    kind = draft.kind
    if kind and kind not in event_kind_keys():
        raise TimeParseError(f"unknown kind {kind!r} (one of {', '.join(event_kind_keys())})")
    at = _moment(book, draft, day)
    guessed = "" if kind else guess_kind(text) or ""
    return ImportedEvent(
        draft.line,
        at,
        text,
        kind or guessed or "observation",
        draft.approximate,
        kind_guessed=not kind,
        key_event=draft.key_event,
        status=draft.status,
        author=draft.author,
    )


def _moment(book: DraftBook, draft: Draft, day: date) -> datetime:
    zone = draft.zone
    wall = (draft.hour, draft.minute, draft.second)
    if zone.note and not draft.named:  # "10:12 IST": the zone's own name is on the line
        book.notes.add(zone.note, draft.line)
    name = draft.named or zone.abbreviation or ""
    place = place_of(name, day.year, zone.around or (zone.tz,)) if name else None
    if place is None:
        at = wall_to_utc(day, *wall, zone.tz)
    else:
        at, slip = read_named(name, day, wall, *place)
        if slip is not None:
            book.notes.add(slip, draft.line)
    if draft.restated:
        _check_restated(book, draft, at)
    return at


def _check_restated(book: DraftBook, draft: Draft, at: datetime) -> None:
    """`12:48 (6:48 PDT)`: the time said again in another zone; a note when they disagree."""
    from debrief_tui.core.timeline.stamps import read_stamp

    clock, _, name = draft.restated.rpartition(" ")
    wall = read_clock(clock)
    again = read_stamp(f"{clock} {name} x")
    if wall is None or again is None or again.zone is None:
        return
    local = at.astimezone(again.zone)
    minutes = (wall[0] * 60 + wall[1]) - (local.hour * 60 + local.minute)
    minutes = (minutes + _DAY_MINUTES // 2) % _DAY_MINUTES - _DAY_MINUTES // 2
    if minutes:
        hours = abs(minutes) // 60
        apart = f"{abs(minutes)} minutes"
        if minutes % 60 == 0:
            apart = counted(hours, "hour")
        book.notes.add(
            f"{_clock(draft)} in {draft.zone.shown} and {draft.restated} are {apart} apart: "
            f"{_clock(draft)} in {draft.zone.shown} is taken",
            draft.line,
        )


def _in_order(book: DraftBook, events: list[ImportedEvent]) -> list[ImportedEvent]:
    """The events oldest first: a list written newest first is turned round."""
    steps = list(pairwise(events))
    backward = sum(1 for a, b in steps if b.at < a.at)
    forward = sum(1 for a, b in steps if b.at > a.at)
    if backward <= forward:
        return events
    book.notes.add("written newest first: put in time order", *(e.line for e in events))
    # Turned round first, so that events of one minute keep the order they happened in.
    turned = list(reversed(events))
    turned.sort(key=lambda e: e.at)
    return turned
