"""Due dates as a room says them: `2026-12-04`, `fri`, `next friday`, `+2w`, `in 10 days`,
`end of month`. Each resolves to a calendar date; "today" is the caller's, taken in the
session's time zone, so a date never shifts with the machine's zone."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pendulum

from debrief_tui.core.clock import FIRST_YEAR, LAST_YEAR
from debrief_tui.core.errors import InputError

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_UNITS = {"d": "days", "day": "days", "w": "weeks", "wk": "weeks", "week": "weeks"}
_UNITS |= {"m": "months", "mo": "months", "month": "months", "y": "years", "year": "years"}

HELP = "try 2026-12-04, 4 dec, fri, next friday, +2w, in 10 days or end of month"

_RELATIVE = re.compile(r"^(?:\+|in\s+)(\d{1,3})\s*([a-z]+?)s?$")
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?(?:\s+(\d{4}))?$")
_MONTH_DAY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?(?:\s+(\d{4}))?$")


def parse_due(text: str, today: date) -> date:
    """The date `text` names, counted from `today`; InputError saying what is accepted."""
    said = " ".join(text.strip().lower().split())
    if not said:
        raise InputError(f"say when it is due: {HELP}", "due")
    found = _read(said, today)
    if found is None:
        raise InputError(f"cannot read {text.strip()!r} as a due date: {HELP}", "due")
    if not FIRST_YEAR <= found.year <= LAST_YEAR:
        raise InputError(
            f"{text.strip()!r} is outside the years debrief keeps ({FIRST_YEAR} to {LAST_YEAR})",
            "due",
        )
    return found


def _read(said: str, today: date) -> date | None:
    if said in ("today", "tod"):
        return today
    if said in ("tomorrow", "tmrw", "tmr"):
        return today + timedelta(days=1)
    for reader in (_iso, _relative, _weekday, _period_end, _day_and_month):
        found = reader(said, today)
        if found is not None:
            return found
    return None


def _iso(said: str, today: date) -> date | None:
    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", said)
    if match is None:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _relative(said: str, today: date) -> date | None:
    match = _RELATIVE.fullmatch(said)
    if match is None:
        return None
    unit = _UNITS.get(match[2])
    if unit is None:
        return None
    # pendulum keeps month ends sensible: 31 January + 1 month is 28 (or 29) February.
    moved = pendulum.Date(today.year, today.month, today.day).add(**{unit: int(match[1])})
    return date(moved.year, moved.month, moved.day)


_WEEKDAY_WORDS = {
    word: index
    for index, words in enumerate(
        (
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "weds", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        )
    )
    for word in words
}


def _weekday(said: str, today: date) -> date | None:
    """`fri` is the coming Friday (a week on when said on a Friday); `next fri` is the
    Friday of next week (Monday-based weeks), as people usually mean it."""
    words = said.removeprefix("this ").split()
    following = words[0] == "next" and len(words) == 2
    if following:
        words = words[1:]
    if len(words) != 1:
        return None
    index = _WEEKDAY_WORDS.get(words[0])
    if index is None:
        return None
    if following:
        next_monday = today + timedelta(days=7 - today.weekday())
        return next_monday + timedelta(days=index)
    ahead = (index - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead)


def _period_end(said: str, today: date) -> date | None:
    start = pendulum.Date(today.year, today.month, today.day)
    if said in ("end of month", "eom", "end of the month"):
        end = start.end_of("month")
    elif said in ("end of next month", "end of the next month"):
        end = start.add(months=1).end_of("month")
    elif said in ("end of week", "eow", "end of the week"):
        # The working week: its Friday, or next week's once Friday has come.
        ahead = (4 - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    elif said in ("end of quarter", "eoq", "end of the quarter"):
        end = start.last_of("quarter")
    elif said in ("end of year", "eoy", "end of the year"):
        end = start.end_of("year")
    else:
        return None
    return date(end.year, end.month, end.day)


def _day_and_month(said: str, today: date) -> date | None:
    """`4 dec`, `dec 4`, `December 4th, 2026`; without a year, the next such day."""
    match = _DAY_MONTH.fullmatch(said)
    if match is not None:
        day, month_word, year = match.groups()
    else:
        match = _MONTH_DAY.fullmatch(said)
        if match is None:
            return None
        month_word, day, year = match.groups()
    month = next((i for i, m in enumerate(_MONTHS, 1) if month_word.startswith(m)), None)
    if month is None:
        return None
    try:
        if year is not None:
            return date(int(year), month, int(day))
        found = date(today.year, month, int(day))
        return found if found >= today else date(today.year + 1, month, int(day))
    except ValueError:
        return None
