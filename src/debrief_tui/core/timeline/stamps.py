"""Reading the time stamp at the start of a pasted timeline line, in the shapes postmortems use.

`read_stamp` takes one line (already stripped of Markdown bullets) and finds the date, time, zone
and approximate marks at its start; what follows is the event's text. The shapes are those of
published postmortems and status pages: `2025-03-21 09:37 UTC`, `Mar 21, 2025 - 9:37 PM PDT`,
`[2025-03-31 15:09 UTC]: text`, `At 08:12, text`, `Around 09:10 PT we …`, `11pm-ish`,
`14:20-2:00 text` (a range: its start), `12:48 (6:48 PDT): text` (the time said again in another
zone), `22:30 UTC (Oct 29) - text` (the day after the time). It never raises anything but
`TimeParseError`: the importer turns that into a numbered bad line.
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
# "October 29-30, 2025": a heading over two days starts on the first.
_DAYS = rf"{_DAY}(?:[-\u2013]\d{{1,2}}(?:st|nd|rd|th)?(?![\d:]))?"
_WEEKDAY = (
    r"(?:(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?"
    r"|sat(?:urday)?|sun(?:day)?)\.?,?\s+)?"
)
_ABBREVIATIONS = "|".join(
    sorted((z for z in (*ZONE_ABBREVIATIONS, *REGION_ZONES) if z != "Z"), key=len, reverse=True)
)
# Between a date and its time: a space, a comma, "at", "@", or a dash with spaces around it
# ("Feb 12, 2020 - 14:21", "24-10-2024 - 08:15").
_JOIN = r"(?:\s*,?\s*(?:at\s+|@\s*)?|\s+[-\u2013\u2014]\s+)"
_DATE = rf"""
    (?P<iso>(?P<iy>\d{{4}})[-/.](?P<imo>\d{{1,2}})[-/.](?P<id>\d{{1,2}}))
  | (?P<num>(?P<n1>\d{{1,2}})(?P<nsep>[-/.])(?P<n2>\d{{1,2}})(?P=nsep)(?P<ny>\d{{4}}))
  | (?P<mdy>(?P<a_mon>{_MONTH})\s+(?P<a_day>{_DAYS})\b(?:,?\s+(?P<a_year>\d{{4}})\b)?)
  | (?P<dmy>(?:the\s+)?(?P<b_day>{_DAYS})\s+(?:of\s+)?(?P<b_mon>{_MONTH})\b
        (?:,?\s+(?P<b_year>\d{{4}})\b)?)
  | (?P<ymd>(?P<c_year>\d{{4}}),?\s+(?P<c_mon>{_MONTH})\s+(?P<c_day>{_DAY})\b)
"""
_APPROX_BEFORE = r"(?:~|±|\+/-|≈|c\.|ca\.|circa|about|around|approx(?:\.|imately)?)\s*"
_APPROX_AFTER = r"(?:-?ish\b)"
# Words in a parenthesis after the time that say it is not exact: "(approx.)", "(maybe
# earlier?)", "(not sure exact time)", "(or so)".
_UNSURE = (
    r"approx(?:\.|imately)?|est\.?|estimated|roughly|about|or\s+so|ish|\?+"
    r"|(?:maybe|perhaps|probably|not\s+sure|unsure|around)\b[^()]{0,40}"
)
_CLOCK = r"\d{1,2}:\d{2}(?:\s*[ap]\.?\s?m\.?(?![a-z]))?"
_ZONE = rf"""
        (?-i:Z)\b
      | (?(iso)[+-]\d{{2}}:?\d{{2}}\b|(?!x)x)
      | \s+[+-]\d{{2}}:?\d{{2}}\b
      | \s+[+-]\d{{2}}\b(?![:\d])
      | \s*\(?(?:UTC|GMT)\s*[+-]\s*\d{{1,2}}(?::?\d{{2}})?\)?
      | \s*\(?(?:UTC|GMT|(?-i:{_ABBREVIATIONS}))\)?(?:(?![\w/])|(?=(?-i:[A-Z][a-z])))
      | \s*\(?(?-i:[A-Z][\w+-]+/[A-Z][\w+-]+(?:/[A-Z][\w+-]+)?)\)?
"""
_STAMP = rf"""
    ^(?P<open>(?-i:At|AT|By|BY|On|ON)\s+)?
    (?P<pre>{_APPROX_BEFORE})?
    {_WEEKDAY}
    (?:(?:{_DATE})(?P<joint>(?P<tee>T)|{_JOIN}))?
    (?P<pre2>{_APPROX_BEFORE})?
    (?P<h>\d{{1,2}})(?::(?P<mi>\d{{2}})(?::(?P<s>\d{{2}})(?:[.,]\d+)?)?)?
    (?:\s*(?P<ampm>[ap])\.?\s?m\.?(?![a-z]))?
    (?P<until>(?(s)(?!x)x|(?(tee)(?!x)x|(?:\s+[-\u2013\u2014]\s+|[-\u2013\u2014]|\s+to\s+){_CLOCK})))?
    (?P<post>{_APPROX_AFTER})?
    (?P<zone>{_ZONE})?
    (?P<post2>{_APPROX_AFTER})?
    (?P<paren>\s*\((?:
        (?P<alt>{_CLOCK}\s*(?P<alt_zone>(?-i:{_ABBREVIATIONS})|UTC|GMT))
      | (?P<pday>(?P<p_mon>{_MONTH})\s+(?P<p_day>{_DAY})|(?P<q_day>{_DAY})\s+(?P<q_mon>{_MONTH}))
      | (?P<unsure>{_UNSURE})
    )\))?
    (?P<sep>\s*(?:,|[-\u2013\u2014|:>]+|\t)\s*|\s+|$|(?<=[A-Z])(?=(?-i:[A-Z][a-z])))
"""
_DATE_LINE = rf"^{_WEEKDAY}(?:{_DATE})\s*:?$"
# A date that opens a line or heading and is followed by a title or text, not a time:
# "October 21, 2025 - Redis Overload", "01-31-2024 - The fix was added".
_DATE_LEAD = rf"^{_WEEKDAY}(?:{_DATE})(?:\s*[-\u2013\u2014:|]\s*|\s+|$)"


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
    until: str = ""
    """The end of a range (`14:20-2:00`), as written; the event is placed at its start."""
    restated: str = ""
    """The same time said again in another zone (`(6:48 PDT)`), as written."""


@cache
def _stamp() -> re.Pattern[str]:
    # Compiled on first use: the first frame of the app never reads a pasted line.
    return re.compile(_STAMP, re.VERBOSE | re.IGNORECASE)


@cache
def _date_line() -> re.Pattern[str]:
    return re.compile(_DATE_LINE, re.VERBOSE | re.IGNORECASE)


@cache
def _date_lead() -> re.Pattern[str]:
    return re.compile(_DATE_LEAD, re.VERBOSE | re.IGNORECASE)


@cache
def _dates() -> re.Pattern[str]:
    return re.compile(rf"(?<![\w/-])(?:{_DATE})(?![\w/-])", re.VERBOSE | re.IGNORECASE)


def dates_in(text: str) -> list[date]:
    """Every date written in `text`, as `read_stamp` gives them (a year may be missing)."""
    found = []
    for match in _dates().finditer(text):
        try:
            day = _date(match, match[0])
        except TimeParseError:
            continue
        if day is not None:
            found.append(day)
    return found


def read_date_line(line: str) -> date | None:
    """The date when `line` is nothing but a date (a heading over the times below it)."""
    match = _date_line().match(line.strip())
    return _date(match, line.strip()) if match else None


def read_date_lead(line: str) -> tuple[date, str] | None:
    """The date that opens `line` and the words after it, when no time follows the date
    (`October 21, 2025 - Redis Overload`); None otherwise."""
    match = _date_lead().match(line.strip())
    if match is None:
        return None
    day = _date(match, line.strip())
    return (day, line.strip()[match.end() :].strip()) if day is not None else None


def read_stamp(line: str) -> Stamp | None:
    """The stamp at the start of `line` and the text after it; None when it starts with none.

    A stamp in brackets (`[2025-03-31 15:09 UTC]: text`, `(14:02 UTC) text`) is read too.
    Raises TimeParseError when the start looks like a time but is not a real one (`25:10`,
    `Feb 30`, `13:00 PM`).
    """
    if line.startswith(("[", "(")):
        bracketed = _bracketed(line)
        if bracketed is not None:
            return bracketed
    return _read(line)


def _bracketed(line: str) -> Stamp | None:
    close = line.find("]" if line[0] == "[" else ")")
    if close < 4:
        return None
    try:
        inner = _read(line[1:close].strip())
    except TimeParseError:
        return None  # "[E 180220 15:32:35 launcher:93]": a log line's prefix, not a stamp
    if inner is None or inner.text:
        return None
    rest = re.sub(r"^[\s:\-\u2013\u2014|>]+", "", line[close + 1 :])
    return inner._replace(text=rest.strip())


def _read(line: str) -> Stamp | None:
    match = _stamp().match(line)
    if match is None or (match["mi"] is None and match["ampm"] is None):
        return None  # a bare number ("3 servers...") is not a time
    hour, minute = int(match["h"]), int(match["mi"] or 0)
    second = int(match["s"] or 0)
    original = line[: match.end()].strip()
    hour = _hour(hour, match["ampm"], original)
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
    # "By 11:30" says it happened no later than then: the time is a bound, not exact.
    marks = match.group("pre", "pre2", "post", "post2", "unsure")
    approximate = marks != (None, None, None, None, None) or (
        (match["open"] or "").strip().lower() == "by"
    )
    day = _date(match, original)
    if day is None and match["pday"]:
        day = _paren_day(match, original)
    until = re.sub(r"^(?:[-\u2013\u2014]|to\s)\s*", "", (match["until"] or "").strip())
    return Stamp(
        day,
        hour,
        minute,
        second,
        tz,
        zone_name,
        approximate,
        text,
        until=until,
        restated=match["alt"] or "",
    )


def _hour(hour: int, ampm: str | None, original: str) -> int:
    if not ampm:
        return hour
    if not 1 <= hour <= 12:
        raise TimeParseError(f"{original!r}: {hour} is not an hour on a 12-hour clock")
    return hour % 12 + (12 if ampm.lower() == "p" else 0)


def read_clock(text: str) -> tuple[int, int] | None:
    """Hour and minute of a bare clock time (`6:48`, `7:32 PM`), or None."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})\s*(?:([ap])\.?\s?m\.?)?", text.strip(), re.I)
    if match is None:
        return None
    try:
        hour = _hour(int(match[1]), match[3], text)
    except TimeParseError:
        return None
    minute = int(match[2])
    return (hour, minute) if hour <= 23 and minute <= 59 else None


def _paren_day(match: re.Match[str], original: str) -> date:
    month_name = match["p_mon"] or match["q_mon"]
    day = int(re.sub(r"\D", "", match["p_day"] or match["q_day"]))
    return _YearLess(MONTHS[month_name.lower().rstrip(".")], day)


def _date(match: re.Match[str], original: str) -> date | None:
    if match["iso"]:
        year, month, day = int(match["iy"]), int(match["imo"]), int(match["id"])
    elif match["num"]:
        return _numeric(int(match["n1"]), int(match["n2"]), int(match["ny"]), original)
    else:
        for prefix in ("a", "b", "c"):
            if match[f"{prefix}_mon"]:
                month = MONTHS[match[f"{prefix}_mon"].lower().rstrip(".")]
                day = int(re.match(r"\d+", match[f"{prefix}_day"])[0])  # type: ignore[index]
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


def _numeric(first: int, second: int, year: int, original: str) -> date:
    """`01-10-2024`: day first or month first, which only the other dates can tell."""
    try:
        month_first = date(year, first, second)
    except ValueError:
        month_first = None
    try:
        day_first = date(year, second, first)
    except ValueError:
        day_first = None
    if month_first is None and day_first is None:
        raise TimeParseError(f"{original!r} is not a real date")
    if month_first is None or day_first is None or month_first == day_first:
        return month_first or day_first  # type: ignore[return-value]
    return TwoWays(month_first, day_first)


class TwoWays(date):
    """A numeric date that reads both ways (`01-10-2024`): 10 January, month first (itself), or
    1 October, day first (`day_first`). The importer picks one from the other dates."""

    day_first: date

    def __new__(cls, month_first: date, day_first: date) -> TwoWays:
        made = super().__new__(cls, month_first.year, month_first.month, month_first.day)
        made.day_first = day_first
        return made


def day_order(text: str) -> bool | None:
    """Whether numeric dates in `text` are written day first (True), month first (False), or
    cannot tell (None): from the dates that read only one way (`16-10-2024`, `01/31/2024`)."""
    firsts = seconds = 0
    for first, second in re.findall(r"(?<![\d/.-])(\d{1,2})[-/.](\d{1,2})[-/.]\d{4}\b", text):
        if int(first) > 12 >= int(second):
            firsts += 1
        elif int(second) > 12 >= int(first):
            seconds += 1
    if firsts == seconds:
        return None
    return firsts > seconds


class _YearLess(date):
    """A month and day written without a year (`Mar 21 09:37`): completed by the importer."""

    def __new__(cls, month: int, day: int) -> _YearLess:
        try:
            return super().__new__(cls, 2000, month, day)  # 2000 is a leap year: Feb 29 fits
        except ValueError:
            raise TimeParseError(f"{month}/{day} is not a real date") from None


def has_year(day: date) -> bool:
    """Whether `day` was written with its year."""
    return not isinstance(day, _YearLess)


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
    return wall_to_utc(day, stamp.hour, stamp.minute, stamp.second, tz)


def wall_to_utc(
    day: date, hour: int, minute: int, second: int, tz: tzinfo, fold: int = 0
) -> datetime:
    """The UTC moment of a wall time on `day` in `tz` (see `to_utc`)."""
    naive = datetime(  # noqa: DTZ001 - the zone is applied below
        day.year, day.month, day.day, hour, minute, second, fold=fold
    )
    try:
        moment = naive.replace(tzinfo=tz).astimezone(UTC)
    except OverflowError:  # a year 1 or 9999 moved past the calendar's end by its zone
        moment = None
    return in_range(moment, naive.isoformat(sep=" "))
