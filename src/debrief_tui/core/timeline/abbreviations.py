"""Zone abbreviations read as the clock of the place that uses them.

People write the abbreviation they are used to, not the one in force: "PST" in July in Los
Angeles, "GMT" in a British summer, "CET" in a Danish June. Taken literally such a time is an
hour off, silently. So an abbreviation is read as the wall clock of its place: the zone the
text or the session is in when that zone uses the abbreviation at some time of year (which
also tells "CST" in Shanghai from "CST" in Chicago), else the place the abbreviation belongs
to. When the place's clock said the other one then, the time is still read as that clock, with
a note. An abbreviation no place here uses (MST, all year in Arizona) is its fixed offset.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo

from debrief_tui.core.timeline.stamps import wall_to_utc
from debrief_tui.core.timeline.timeparse import ZONE_ABBREVIATIONS, zone

# The place each abbreviation is the clock of, where that place changes its clocks. MST is
# left out (Arizona keeps it all year), and GMT and UTC (used world-wide for UTC itself).
_HOMES = {
    "PST": ("America/Los_Angeles", "Los Angeles"),
    "PDT": ("America/Los_Angeles", "Los Angeles"),
    "MDT": ("America/Denver", "Denver"),
    "CST": ("America/Chicago", "Chicago"),
    "CDT": ("America/Chicago", "Chicago"),
    "EST": ("America/New_York", "New York"),
    "EDT": ("America/New_York", "New York"),
    "AKST": ("America/Anchorage", "Anchorage"),
    "AKDT": ("America/Anchorage", "Anchorage"),
    "CET": ("Europe/Berlin", "Central Europe"),
    "CEST": ("Europe/Berlin", "Central Europe"),
    "EET": ("Europe/Helsinki", "Eastern Europe"),
    "EEST": ("Europe/Helsinki", "Eastern Europe"),
    "BST": ("Europe/London", "the UK"),
    "AEST": ("Australia/Sydney", "Sydney"),
    "AEDT": ("Australia/Sydney", "Sydney"),
    "NZST": ("Pacific/Auckland", "New Zealand"),
    "NZDT": ("Pacific/Auckland", "New Zealand"),
}


@cache
def names_of(tz: tzinfo, year: int | None) -> frozenset[str]:
    """What `tz` calls itself in `year` (`IST`; `+04` for a zone without a name)."""
    year = year or datetime.now(UTC).year
    return frozenset(datetime(year, month, 15, 12, tzinfo=tz).tzname() or "" for month in (1, 7))


def place_of(name: str, year: int, around: Sequence[tzinfo]) -> tuple[tzinfo, str] | None:
    """The place whose clock `name` is, with how to name it: the first zone of `around`
    (the text's, the session's) that uses `name` in `year`, else `name`'s home; None for an
    abbreviation of no place (read as its fixed offset)."""
    for tz in around:
        if isinstance(tz, ZoneInfo) and name in names_of(tz, year):
            return tz, str(tz.key)
    home = _HOMES.get(name)
    return (zone(home[0]), home[1]) if home else None


def read_named(
    name: str, day: date, wall: tuple[int, int, int], place: tzinfo, label: str
) -> tuple[datetime, str | None]:
    """The moment of `wall` on `day` on `place`'s clock, written `name`, and a note when that
    clock was not called `name` then. Of a wall time that happens twice (the hour clocks go
    back), the one `name` names is taken."""
    hour, minute, second = wall
    first = wall_to_utc(day, hour, minute, second, place)
    if first.astimezone(place).tzname() == name:
        return first, None
    second_time = wall_to_utc(day, hour, minute, second, place, fold=1)
    used = second_time.astimezone(place)
    if used.tzname() == name:
        return second_time, None
    offset = (first.astimezone(place).utcoffset() or timedelta()).total_seconds() / 3600
    clock = first.astimezone(place).tzname() or ""
    note = (
        f"{name} written while {label} keeps {clock}: read as the {label} clock "
        f"({clock}, {_offset(offset)}), not as {name} ({_offset(ZONE_ABBREVIATIONS.get(name, 0))})"
        if name in ZONE_ABBREVIATIONS
        else f"{name} written while {label} keeps {clock}: read as the {label} clock"
    )
    return first, note


def _offset(hours: float) -> str:
    sign = "+" if hours >= 0 else "-"
    whole, part = divmod(abs(hours) * 60, 60)
    return f"UTC{sign}{int(whole)}" + (f":{int(part):02d}" if part else "")
