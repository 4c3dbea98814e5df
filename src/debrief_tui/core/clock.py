"""The clock the app and the database read; tests pass a fixed one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]

FIRST_YEAR, LAST_YEAR = 1970, 9998
"""The years a time or a date may fall in: every clock, zone and calendar export handles them
(a year 1 or 9999 moved by a zone or a day falls off the calendar)."""


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def today_in(zone: str, now: datetime | None = None) -> date:
    """Today's date in a session's time zone (at `now`, UTC, when given). With the standard
    library's zones, which validate every session's zone: the follow-up commands ask it of
    every incident and need not load pendulum for it."""
    return (now or utc_now()).astimezone(ZoneInfo(zone)).date()
