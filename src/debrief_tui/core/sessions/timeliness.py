"""Was the review meeting held soon enough after the incident was resolved?

The targets per severity come from `data/review_targets.toml` (PagerDuty's and Atlassian's
guides). Days are counted in the session's own time zone, from the calendar day the incident
was resolved to the day the meeting was held: resolved on a Friday evening in Tokyo and
reviewed on Monday there is one business day, whatever the UTC dates say.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache, lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from debrief_tui.core.reference.data import ReviewTarget, review_targets
from debrief_tui.core.text import counted


class Review(StrEnum):
    """Where a session's review meeting stands against its target."""

    ON_TIME = "on time"
    LATE = "late"
    """Held, but after its target."""
    PENDING = "not yet held"
    """Not held yet, and the target has not passed."""
    OVERDUE = "overdue"
    """Not held yet, and the target has passed."""
    UNKNOWN = "unknown"
    """No resolution time, or no target for the severity: nothing to judge."""


@dataclass(frozen=True)
class Timeliness:
    """A session's review meeting against its target, with what a reader needs to see why."""

    state: Review
    target: ReviewTarget | None = None
    held_on: date | None = None
    """The day (in the session's zone) the meeting was held."""
    due: date | None = None
    """The last day (in the session's zone) the target allows."""
    days: int | None = None
    """Days (or business days) from resolution to the meeting, or to today if not held."""
    remaining: int | None = None
    """For a meeting not yet held: days (or business days) left until its target."""
    reason: str = ""
    """For an unknown state: what is missing."""

    @property
    def flagged(self) -> bool:
        """Whether a list should draw attention to it: late, or overdue."""
        return self.state in (Review.LATE, Review.OVERDUE)

    @property
    def flag(self) -> str:
        """Seven cells at most, for a narrow column: `late`, `overdue`, `due 2d` (`due 0d` on
        the last day), or empty."""
        if self.state in (Review.LATE, Review.OVERDUE):
            return self.state.value
        if self.state is Review.PENDING and self.remaining is not None:
            return f"due {self.remaining}d"
        return ""

    def describe(self) -> str:
        """One line: `held 2 business days after resolution; target 3 for SEV1: on time`."""
        target = self.target
        if self.state is Review.UNKNOWN or target is None or self.days is None:
            return f"timing unknown: {self.reason or 'nothing to judge'}"
        unit = "business day" if target.business_days else "day"
        goal = f"target {target.days} for {target.severity}"
        if self.state in (Review.ON_TIME, Review.LATE):
            if self.days == 0:
                held = "held on the day of resolution"
            else:
                held = f"held {counted(self.days, unit)} after resolution"
            verdict = "on time" if self.state is Review.ON_TIME else "late"
            return f"{held}; {goal}: {verdict}"
        due = f"{self.due:%a %d %b}" if self.due else "?"
        if self.state is Review.OVERDUE:
            past = counted(self.days - target.days, unit)
            return f"not held, {past} past {goal} (due {due})"
        left = "today" if self.remaining == 0 else f"in {counted(self.remaining or 0, unit)}"
        return f"not held yet: due {left} ({due}); {goal}"


class ReviewFacts(Protocol):
    """The facts of a session the review's timing reads (a stored session has them)."""

    @property
    def severity(self) -> str: ...
    @property
    def resolved_at(self) -> datetime | None: ...
    @property
    def review_at(self) -> datetime | None: ...
    @property
    def timezone(self) -> str: ...


def session_timeliness(
    session: ReviewFacts,
    first_run: datetime | None,
    now: datetime,
    targets: Mapping[str, ReviewTarget] | None = None,
) -> Timeliness:
    """`review_timeliness` of a stored session whose meeting clock first started at
    `first_run` (None: never), against the shipped targets unless `targets` are given."""
    return review_timeliness(
        session.severity,
        session.resolved_at,
        meeting_held_at(session.review_at, first_run, now),
        now,
        session.timezone,
        review_targets() if targets is None else targets,
    )


def meeting_held_at(
    review_at: datetime | None, first_run: datetime | None, now: datetime
) -> datetime | None:
    """When the review meeting was held: the earlier of the meeting clock's first start and
    the session's `Review meeting` fact, a fact still in the future being only planned."""
    # Either in the future is a plan (or a clock set wrong), not a meeting held.
    moments = [m for m in (first_run, review_at) if m is not None and m <= now]
    return min(moments, default=None)


def review_timeliness(
    severity: str,
    resolved_at: datetime | None,
    held_at: datetime | None,
    now: datetime,
    zone: str,
    targets: Mapping[str, ReviewTarget],
) -> Timeliness:
    """Classify a session's review meeting: on time, late, not yet held (due in N days),
    overdue (not held, past the target) or unknown (not resolved, or no target).

    `held_at` is None while the meeting has not been held (see `meeting_held_at`); days are
    counted in the time zone named `zone` (UTC if it is not a zone).
    """
    target = targets.get(severity)
    if target is None:
        return Timeliness(Review.UNKNOWN, reason=f"no review target for {severity}")
    if resolved_at is None:
        return Timeliness(Review.UNKNOWN, target, reason="no resolution time yet")
    tz = _tz(zone)
    resolved = resolved_at.astimezone(tz).date()
    due = add_days(resolved, target)
    if held_at is not None:
        held = held_at.astimezone(tz).date()
        days = count_days(resolved, held, target)
        state = Review.ON_TIME if days <= target.days else Review.LATE
        return Timeliness(state, target, held_on=held, due=due, days=days)
    today = now.astimezone(tz).date()
    days = count_days(resolved, today, target)
    if days > target.days:
        return Timeliness(Review.OVERDUE, target, due=due, days=days)
    return Timeliness(Review.PENDING, target, due=due, days=days, remaining=target.days - days)


@lru_cache(maxsize=4096)
def count_days(start: date, end: date, target: ReviewTarget) -> int:
    """Days from `start` to `end` (0 for the same day, never negative), counting only working
    days after `start` when the target is in business days."""
    # Cached, and counted with weekday numbers rather than dates: a list of 10,000 sessions
    # asks for the same few hundred spans.
    if end <= start:
        return 0
    if not target.business_days:
        return (end - start).days
    whole_weeks, rest = divmod((end - start).days, 7)
    first = start.weekday()
    return whole_weeks * len(target.week) + sum(
        (first + step) % 7 in target.week for step in range(1, rest + 1)
    )


@lru_cache(maxsize=4096)
def add_days(start: date, target: ReviewTarget) -> date:
    """The last day the target allows after `start`: `days` later, counting only working
    days when it is in business days."""
    if not target.business_days or not target.week:
        return start + timedelta(days=target.days)
    weeks, left = divmod(target.days, len(target.week))
    day = start + timedelta(days=7 * weeks)
    if left == 0 and weeks:
        # The last working day of the last whole week, not the same weekday as `start`.
        while day.weekday() not in target.week:
            day -= timedelta(days=1)
        return day
    while left:
        day += timedelta(days=1)
        left -= day.weekday() in target.week
    return day


@cache
def _tz(name: str) -> ZoneInfo:
    # Cached: a list of 10,000 sessions names a handful of zones.
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
