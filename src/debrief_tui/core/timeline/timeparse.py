"""Reading and writing the times people type, in the forms real postmortems use.

Everything parsed comes back as an aware UTC `datetime`; everything shown is converted to the
session's zone in one place (`format_when`, `format_input`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from debrief_tui.core.clock import FIRST_YEAR, LAST_YEAR


class TimeParseError(ValueError):
    """Text that is not a time we can read; the message says why, in one line."""


# Abbreviations seen in postmortems, with their fixed offsets from UTC in hours.
ZONE_ABBREVIATIONS: dict[str, float] = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "PST": -8,
    "PDT": -7,
    "MST": -7,
    "MDT": -6,
    "CST": -6,
    "CDT": -5,
    "EST": -5,
    "EDT": -4,
    "CET": 1,
    "CEST": 2,
    "BST": 1,
    "EET": 2,
    "EEST": 3,
    "MSK": 3,
    "JST": 9,
    "KST": 9,
    "HKT": 8,
    "SGT": 8,
    "AEST": 10,
    "AEDT": 11,
    "NZST": 12,
    "NZDT": 13,
    "AKST": -9,
    "AKDT": -8,
    "HST": -10,
}

_DATE_TIME_PATTERN = r"""^(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})
        (?:[T\s]+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<frac>\d{1,6})\d*)?)?)?
        \s*(?P<zone>\S.*)?$"""


@cache
def _date_time() -> re.Pattern[str]:
    # Compiled on first use: the first frame of the app never parses a time.
    return re.compile(_DATE_TIME_PATTERN, re.VERBOSE)


@cache
def _offset() -> re.Pattern[str]:
    return re.compile(r"^(?:UTC|GMT)?\s*(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?$", re.I)


def validate_timezone(name: str) -> str:
    """The IANA zone name `name` if it exists; TimeParseError otherwise."""
    name = name.strip()
    if name.upper() in ("UTC", "Z", "GMT"):
        return "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
        raise TimeParseError(
            f"unknown time zone {name!r} (use an IANA name such as Europe/Berlin or UTC)"
        ) from None
    return name


def machine_zone() -> str:
    """This machine's IANA zone name (from TZ, else /etc/localtime), or UTC when it has none
    that names a place: a new session's default, since most incidents are reviewed where
    they were handled."""
    import os
    from pathlib import Path

    named = os.environ.get("TZ", "").removeprefix(":").strip()
    if not named:
        try:
            target = str(Path("/etc/localtime").resolve())
        except OSError:
            target = ""
        named = target.partition("/zoneinfo/")[2]
    if named in ("Etc/UTC", "Etc/UCT", "Etc/GMT", "Etc/Zulu", "UCT", "Zulu", "Universal"):
        return "UTC"
    try:
        return validate_timezone(named) if named else "UTC"
    except TimeParseError:
        return "UTC"


def zone(name: str) -> tzinfo:
    """The tzinfo for a validated zone name."""
    return UTC if name == "UTC" else ZoneInfo(name)


def _zone_from_text(text: str) -> tzinfo:
    upper = text.strip().upper()
    if upper in ZONE_ABBREVIATIONS:
        return timezone(timedelta(hours=ZONE_ABBREVIATIONS[upper]))
    match = _offset().match(text.strip())
    if match:
        hours, minutes = int(match["h"]), int(match["m"] or 0)
        if hours > 14 or minutes > 59:
            raise TimeParseError(f"offset {text.strip()!r} is out of range")
        delta = timedelta(hours=hours, minutes=minutes)
        return timezone(-delta if match["sign"] == "-" else delta)
    return zone(validate_timezone(text))


def _local_to_utc(
    y: int, mo: int, d: int, h: int, mi: int, s: int, us: int, tz: tzinfo, original: str
) -> datetime:
    try:
        naive = datetime(y, mo, d, h, mi, s, us)  # noqa: DTZ001 - the zone is applied below
    except ValueError as exc:
        raise TimeParseError(f"{original!r} is not a real date and time ({exc})") from None
    # With fold=0 (PEP 495) a wall time skipped by a daylight-saving jump is read with the
    # offset before the jump, which lands it after the jump as clocks do; a wall time that
    # happens twice is taken at its first occurrence.
    return naive.replace(tzinfo=tz).astimezone(UTC)


def parse_when(text: str, default_zone: str = "UTC", now: datetime | None = None) -> datetime:
    """Parse a moment typed by a person; read in `default_zone` when it names no zone.

    Accepts ISO-8601 (`2025-03-21T09:37:00-07:00`, `...Z`) and `YYYY-MM-DD HH:MM[:SS] [ZONE]`,
    where ZONE is an IANA name, UTC/GMT, a common abbreviation (PST, CEST, ...) or an offset
    (`+01:00`, `UTC+1`); the date may also be `today` or `yesterday` (in `default_zone`, as of
    `now`, else the clock). Returns an aware UTC datetime; raises TimeParseError.
    """
    original = text
    text = text.strip()
    if not text:
        raise TimeParseError("no time given")
    relative = _RELATIVE_DAY.match(text)
    if relative:
        # "yesterday 14:05": the day is the session's, counted from now where it is.
        today = (now or datetime.now(UTC)).astimezone(zone(validate_timezone(default_zone)))
        day = today.date() - timedelta(days=1 if relative["day"].lower() == "yesterday" else 0)
        text = f"{day.isoformat()} {relative['rest']}"
    try:
        moment = _parse_when(text, original, default_zone)
    except OverflowError:  # a year 1 or 9999 moved across midnight by its zone
        moment = None
    return in_range(moment, original)


_RELATIVE_DAY = re.compile(r"(?P<day>today|yesterday)\s+(?P<rest>\S.*)$", re.IGNORECASE)


def in_range(moment: datetime | None, shown: str) -> datetime:
    """`moment` when it falls in the years debrief keeps; else TimeParseError naming `shown`
    (None: it could not even be computed, a year 1 or 9999 moved past the calendar's end)."""
    if moment is None or not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise TimeParseError(
            f"{shown.strip()!r} is outside the years debrief keeps ({FIRST_YEAR} to {LAST_YEAR})"
        )
    return moment


def _parse_when(text: str, original: str, default_zone: str) -> datetime:
    match = _date_time().match(text)
    if match is None:
        return _parse_iso_fallback(original, default_zone)
    if match["h"] is None:
        raise TimeParseError(f"{original.strip()!r} has a date but no time (add HH:MM)")
    tz = _zone_from_text(match["zone"]) if match["zone"] else zone(validate_timezone(default_zone))
    return _local_to_utc(
        int(match["y"]),
        int(match["mo"]),
        int(match["d"]),
        int(match["h"]),
        int(match["mi"]),
        int(match["s"] or 0),
        int((match["frac"] or "0").ljust(6, "0")),
        tz,
        original.strip(),
    )


def _parse_iso_fallback(text: str, default_zone: str) -> datetime:
    """Other ISO-8601 spellings (basic format, week dates), through pendulum."""
    import pendulum
    from pendulum.parsing.exceptions import ParserError

    try:
        parsed = pendulum.parse(text.strip(), strict=True, tz=validate_timezone(default_zone))
    except (ParserError, ValueError, TypeError, OverflowError):
        raise TimeParseError(
            f"cannot read {text.strip()!r} as a time (use ISO-8601 or YYYY-MM-DD HH:MM [ZONE])"
        ) from None
    if not isinstance(parsed, pendulum.DateTime):
        raise TimeParseError(f"{text.strip()!r} is not a date and time")
    return _plain_utc(parsed)


def _plain_utc(moment: datetime) -> datetime:
    """A stdlib UTC datetime for any aware datetime (pendulum's included)."""
    utc = moment.astimezone(UTC)
    return datetime(
        utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second, utc.microsecond, tzinfo=UTC
    )


def format_when(moment: datetime | None, zone_name: str) -> str:
    """`moment` in the session's zone with the zone's abbreviation, e.g. `2025-03-21 09:37 PDT`."""
    if moment is None:
        return ""
    local = moment.astimezone(zone(zone_name))
    fmt = "%Y-%m-%d %H:%M:%S %Z" if local.second else "%Y-%m-%d %H:%M %Z"
    return local.strftime(fmt)


def format_input(moment: datetime | None, zone_name: str) -> str:
    """`moment` as a user would type it in the session's zone: `YYYY-MM-DD HH:MM[:SS]`."""
    if moment is None:
        return ""
    local = moment.astimezone(zone(zone_name))
    return local.strftime("%Y-%m-%d %H:%M:%S" if local.second else "%Y-%m-%d %H:%M")


def zone_abbreviation(moment: datetime, zone_name: str) -> str:
    """The zone's abbreviation at `moment` (CET or CEST for Europe/Amsterdam, say)."""
    return moment.astimezone(zone(zone_name)).strftime("%Z")
