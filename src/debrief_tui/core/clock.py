"""The clock the app and the database read; tests pass a fixed one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]

FIRST_YEAR, LAST_YEAR = 1970, 9998
"""The years a time or a date may fall in: every clock, zone and calendar export handles them
(a year 1 or 9999 moved by a zone or a day falls off the calendar)."""


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)
