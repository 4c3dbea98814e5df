"""Lines that say how to read the times after them, in the words postmortems use.

"All times are in UTC", "Note: the times below are in the UTC timezone.", "All times are
Eastern, on the 3rd of March.", "Times below are Pacific", "(all times PDT)", "All times in CET
(GMT+1)", "*(All times US/Pacific, 24-hour clock.)*", "Unless otherwise noted all events
happened on 2019-10-21, and all times are in UTC.", and headings such as "Timeline (UTC) All
Times Approximate" or "Timeline (Japan time)". Such a line is not an event: it sets the zone,
the day or the approximate mark for what follows, and never blocks an import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from debrief_tui.core.timeline.drafts import WrittenZone
from debrief_tui.core.timeline.stamps import REGION_ZONES, dates_in, zone_named
from debrief_tui.core.timeline.timeparse import ZONE_ABBREVIATIONS, zone

# Zones named in words, longest first where one contains another.
_ZONE_WORDS = {
    "central european": "Europe/Berlin",
    "eastern european": "Europe/Helsinki",
    "pacific": "America/Los_Angeles",
    "eastern": "America/New_York",
    "central": "America/Chicago",
    "mountain": "America/Denver",
    "japan": "Asia/Tokyo",
    "tokyo": "Asia/Tokyo",
    "british": "Europe/London",
    "uk": "Europe/London",
    "london": "Europe/London",
    "india": "Asia/Kolkata",
    "indian": "Asia/Kolkata",
    "singapore": "Asia/Singapore",
    "sydney": "Australia/Sydney",
    "berlin": "Europe/Berlin",
    "paris": "Europe/Paris",
}
_MAX_WORDS = 30
"""A note is short: a longer paragraph that mentions a zone is prose."""


@dataclass(frozen=True)
class ZoneLine:
    """What a note line sets for the lines after it."""

    zone: WrittenZone | None
    day: date | None
    approximate: bool


@cache
def _trigger() -> re.Pattern[str]:
    return re.compile(r"\b(?:times?|timestamps?|time\s*zone|timezone|clock)\b", re.I)


@cache
def _zones() -> re.Pattern[str]:
    abbreviations = "|".join(
        sorted((z for z in (*ZONE_ABBREVIATIONS, *REGION_ZONES) if z != "Z"), key=len, reverse=True)
    )
    words = "|".join(sorted(_ZONE_WORDS, key=len, reverse=True))
    return re.compile(
        rf"""
        (?P<iana>(?<![\w/])[A-Za-z][\w+-]+/[A-Z][\w+-]+(?:/[A-Z][\w+-]+)?(?![\w/]))
      | (?P<offset>\b(?:UTC|GMT)\s*[+-]\s*\d{{1,2}}(?::?\d{{2}})?)
      | (?P<abbr>(?<![\w/])(?:UTC|GMT|(?-i:{abbreviations}))(?![\w/]))
      | (?P<word>\b(?:{words})\b)
        """,
        re.VERBOSE | re.IGNORECASE,
    )


@cache
def _approximate() -> re.Pattern[str]:
    return re.compile(r"\bapprox\w*|\bestimated\b", re.I)


@cache
def _opening() -> re.Pattern[str]:
    return re.compile(
        r"^(?:note:?\s*)?(?:unless\b[^,]*,?\s*)?(?:all\s+)?(?:the\s+)?"
        r"(?:times?|timestamps?|time\s*zone)\b",
        re.I,
    )


def read_zone_line(
    text: str, line: int, heading: bool = False, strict: bool = False
) -> ZoneLine | None:
    """What `text` (a line, paragraph or heading without a time) sets, or None when it is not
    such a note. A heading counts with a zone in brackets (`Timeline (UTC)`) too. `strict`
    (below an event, whose text it would otherwise continue): only a line that opens as a note
    does ("All times ...", "Times below ...", "Note: the times ...")."""
    if len(text.split()) > _MAX_WORDS or (strict and not _opening().match(text)):
        return None
    said = _trigger().search(text) is not None
    bracketed = heading and re.search(r"\([^)]*\)", text) is not None
    if not (said or bracketed):
        return None
    if re.search(r"https?://", text):
        return None  # a link's words ("...?tz=UTC") are not a note
    written = zone_in(text, line)
    approximate = said and _approximate().search(text) is not None
    day = _day_in(text) if said else None
    if written is None and day is None and not approximate:
        return None
    return ZoneLine(written, day, approximate)


def zone_in(text: str, line: int, source: str = "") -> WrittenZone | None:
    """The first zone named in `text` (on `line`; `source` says where, for the note)."""
    where = source or f"line {line}"
    for match in _zones().finditer(text):
        found = match[0].strip()
        if match["word"]:
            name = _ZONE_WORDS[found.lower()]
            shown = f"{found} time ({name})"
            return WrittenZone(zone(name), shown, note=_said(shown, where))
        named = zone_named(found)
        if named is None:
            if match["iana"]:  # "UC/Pacific": a slip for US/Pacific; the word after it says
                inner = re.search(r"/(\w+)", found)
                word = inner[1].lower() if inner else ""
                if word in _ZONE_WORDS:
                    name = _ZONE_WORDS[word]
                    shown = f"{name} ({found!r} as written)"
                    return WrittenZone(zone(name), shown, note=_said(shown, where))
            continue
        tz, name = named
        upper = name.upper()
        abbreviation = upper if upper in ZONE_ABBREVIATIONS and upper != "UTC" else None
        return WrittenZone(tz, found, abbreviation, note=_said(found, where))
    return None


def _said(shown: str, where: str) -> str:
    return f"no zone on the line: read in {shown}, as {where} says"


def _day_in(text: str) -> date | None:
    """The one date `text` names ("happened on 2019-10-21", "on the 3rd of March"); None for
    none, or for two (a range is not the day of the events)."""
    found = dates_in(text)
    return found[0] if len(found) == 1 else None
