"""Reading the time stamp at the start of a pasted timeline line, in the shapes postmortems use.

`read_stamp` takes one line (already stripped of Markdown bullets) and finds the date, time, zone
and approximate marks at its start; what follows is the event's text. It never raises anything
but `TimeParseError`: the importer turns that into a numbered bad line.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import cache
from typing import NamedTuple

from debrief_tui.core.timeline.timeparse import (
    ZONE_ABBREVIATIONS,
    TimeParseError,
    in_range,
    validate_timezone,
    zone,
)

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

# US zone names without standard/daylight: these follow the clock, so they map to IANA zones.
REGION_ZONES = {
    "PT": "America/Los_Angeles",
    "MT": "America/Denver",
    "CT": "America/Chicago",
    "ET": "America/New_York",
}

_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_WEEKDAY = (
    r"(?:(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?"
    r"|sat(?:urday)?|sun(?:day)?)\.?,?\s+)?"
)
_ABBREVIATIONS = "|".join(
    sorted((z for z in (*ZONE_ABBREVIATIONS, *REGION_ZONES) if z != "Z"), key=len, reverse=True)
)
_AT = r"(?:\s*,?\s*(?:at\s+|@\s*)?)"
_DATE = rf"""
    (?P<iso>(?P<iy>\d{{4}})[-/.](?P<imo>\d{{1,2}})[-/.](?P<id>\d{{1,2}}))
  | (?P<mdy>(?P<a_mon>{_MONTH})\s+(?P<a_day>{_DAY})\b(?:,?\s+(?P<a_year>\d{{4}})\b)?)
  | (?P<dmy>(?P<b_day>{_DAY})\s+(?P<b_mon>{_MONTH})\b(?:,?\s+(?P<b_year>\d{{4}})\b)?)
  | (?P<ymd>(?P<c_year>\d{{4}}),?\s+(?P<c_mon>{_MONTH})\s+(?P<c_day>{_DAY})\b)
"""
_APPROX_BEFORE = r"(?:~|±|\+/-|≈|c\.|ca\.|circa|about|around|approx(?:\.|imately)?)\s*"
_APPROX_AFTER = r"(?:-?ish\b|\s*\((?:approx(?:\.|imately)?|est\.?|estimated|roughly)\))"
_STAMP = rf"""
    ^(?P<pre>{_APPROX_BEFORE})?
    {_WEEKDAY}
    (?:(?:{_DATE})(?:T|{_AT}))?
    (?P<pre2>{_APPROX_BEFORE})?
    (?P<h>\d{{1,2}})(?::(?P<mi>\d{{2}})(?::(?P<s>\d{{2}})(?:[.,]\d+)?)?)?
    (?:\s*(?P<ampm>[ap])\.?\s?m\.?(?![a-z]))?
    (?P<post>{_APPROX_AFTER})?
    (?P<zone>
        (?-i:Z)\b
      | (?(iso)[+-]\d{{2}}:?\d{{2}}\b|(?!x)x)
      | \s+[+-]\d{{2}}:?\d{{2}}\b
      | \s*\(?(?:UTC|GMT)\s*[+-]\s*\d{{1,2}}(?::?\d{{2}})?\)?
      | \s*\(?(?:UTC|GMT|(?-i:{_ABBREVIATIONS}))\)?(?![\w/])
      | \s*\(?(?-i:[A-Z][A-Za-z_]+/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?)\)?
    )?
    (?P<post2>{_APPROX_AFTER})?
    (?P<sep>\s*(?:[-\u2013\u2014|:>]+|\t)\s*|\s+|$)
"""
_DATE_LINE = rf"^{_WEEKDAY}(?:{_DATE})\s*:?$"


class Stamp(NamedTuple):
    """What the start of a line says about when: a date (if given), a wall time, a zone."""

    day: date | None
    hour: int
    minute: int
    second: int
    zone: tzinfo | None
    zone_name: str | None
    approximate: bool
    text: str


@cache
def _stamp() -> re.Pattern[str]:
    return re.compile(_STAMP, re.VERBOSE | re.IGNORECASE)


@cache
def _date_line() -> re.Pattern[str]:
    return re.compile(_DATE_LINE, re.VERBOSE | re.IGNORECASE)


def read_date_line(line: str) -> date | None:
    """The date when `line` is nothing but a date (a heading over the times below it)."""
    match = _date_line().match(line.strip())
    return _date(match, line.strip()) if match else None


def read_stamp(line: str) -> Stamp | None:
    """The stamp at the start of `line` and the text after it; None when it starts with none.

    Raises TimeParseError when the start looks like a time but is not a real one (`25:10`,
    `Feb 30`, `13:00 PM`).
    """
    match = _stamp().match(line)
    if match is None or (match["mi"] is None and match["ampm"] is None):
        return None  # a bare number ("3 servers...") is not a time
    hour, minute = int(match["h"]), int(match["mi"] or 0)
    second = int(match["s"] or 0)
    ampm = (match["ampm"] or "").lower()
    original = line[: match.end()].strip()
    if ampm:
        if not 1 <= hour <= 12:
            raise TimeParseError(f"{original!r}: {hour} is not an hour on a 12-hour clock")
        hour = hour % 12 + (12 if ampm == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise TimeParseError(f"{original!r} is not a time of day")
    text = line[match.end() :].strip()
    try:
        tz, zone_name = _zone(match["zone"])
    except TimeParseError:
        if "/" not in match["zone"]:
            raise
        # "09:37 Server/Client mismatch": a capitalised pair, not an IANA zone; it is text.
        tz, zone_name = None, None
        text = line[match.start("zone") :].strip()
    approximate = any(match[g] for g in ("pre", "pre2", "post", "post2"))
    return Stamp(_date(match, original), hour, minute, second, tz, zone_name, approximate, text)


def _date(match: re.Match[str], original: str) -> date | None:
    if match["iso"]:
        year, month, day = int(match["iy"]), int(match["imo"]), int(match["id"])
    else:
        for prefix in ("a", "b", "c"):
            if match[f"{prefix}_mon"]:
                month = MONTHS[match[f"{prefix}_mon"].lower().rstrip(".")]
                day = int(re.sub(r"\D", "", match[f"{prefix}_day"]))
                year_text = match[f"{prefix}_year"]
                if year_text is None:
                    return _YearLess(month, day)  # the year comes from the lines before
                year = int(year_text)
                break
        else:
            return None
    try:
        return date(year, month, day)
    except ValueError:
        raise TimeParseError(f"{original!r} is not a real date") from None


class _YearLess(date):
    """A month and day written without a year (`Mar 21 09:37`): completed by the importer."""

    def __new__(cls, month: int, day: int) -> _YearLess:
        try:
            return super().__new__(cls, 2000, month, day)  # 2000 is a leap year: Feb 29 fits
        except ValueError:
            raise TimeParseError(f"{month}/{day} is not a real date") from None


def complete_year(day: date, previous: date | None) -> date:
    """`day` with its year taken from `previous` when it was written without one."""
    if not isinstance(day, _YearLess):
        return day
    if previous is None:
        raise TimeParseError("the date has no year, and no line before it gives one")
    try:
        return date(previous.year, day.month, day.day)
    except ValueError:
        raise TimeParseError(
            f"{day.month}/{day.day} is not a real date in {previous.year}"
        ) from None


def _zone(text: str | None) -> tuple[tzinfo | None, str | None]:
    if not text:
        return None, None
    name = text.strip().strip("()").replace(" ", "")
    upper = name.upper()
    if upper in REGION_ZONES:
        return zone(REGION_ZONES[upper]), REGION_ZONES[upper]
    if upper in ZONE_ABBREVIATIONS:
        return timezone(timedelta(hours=ZONE_ABBREVIATIONS[upper])), upper
    offset = re.fullmatch(r"(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?", upper)
    if offset:
        hours, minutes = int(offset[2]), int(offset[3] or 0)
        if hours > 14 or minutes > 59:
            raise TimeParseError(f"offset {name!r} is out of range")
        delta = timedelta(hours=hours, minutes=minutes)
        return timezone(-delta if offset[1] == "-" else delta), name
    iana = validate_timezone(name)
    return zone(iana), iana


def zone_named(text: str) -> tuple[tzinfo, str] | None:
    """A zone written on its own (`PST`, `UTC+1`, `Europe/Berlin`), or None if it is not one."""
    try:
        tz, name = _zone(text)
    except TimeParseError:
        return None
    return (tz, name) if tz is not None and name is not None else None


def to_utc(day: date, stamp: Stamp, tz: tzinfo) -> datetime:
    """The UTC moment of `stamp`'s wall time on `day` in `tz`.

    A wall time skipped by a daylight-saving jump is read with the offset before the jump; one
    that happens twice is taken at its first occurrence (fold=0), as `parse_when` does.
    """
    naive = datetime(  # noqa: DTZ001 - the zone is applied below
        day.year, day.month, day.day, stamp.hour, stamp.minute, stamp.second
    )
    try:
        moment = naive.replace(tzinfo=tz).astimezone(UTC)
    except OverflowError:  # a year 1 or 9999 moved past the calendar's end by its zone
        moment = None
    return in_range(moment, naive.isoformat(sep=" "))
