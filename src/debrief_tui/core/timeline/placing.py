"""The day a time typed without a date falls on: the one that puts it inside the incident, next
to the event it is added beside.

An incident that ran past midnight is the usual case: with 23:50 selected, "00:05" means the
next day, and with 00:10 selected, "23:55" means the day before. Taking the selected event's own
day (as a date-less paste does for its first line) put such a time a day out of place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from debrief_tui.core.timeline.importing import parse_event_time
from debrief_tui.core.timeline.stamps import read_stamp
from debrief_tui.core.timeline.timeparse import zone

_MOST_DAYS = 31
"""Days of a long incident tried as a time's date; beyond them, the nearest to the anchor."""


@dataclass(frozen=True)
class IncidentWindow:
    """What a date-less time is placed against: the incident's first and last known moments
    (its start and resolution, or its first and last events) and the event it goes beside."""

    start: datetime | None = None
    end: datetime | None = None
    anchor: datetime | None = None

    @classmethod
    def around(
        cls, moments: Iterable[datetime | None], anchor: datetime | None = None
    ) -> IncidentWindow:
        """The window spanning every known moment (milestones, events); `anchor` the selected
        event, else the first moment."""
        known = [m for m in moments if m is not None]
        if anchor is not None:
            known.append(anchor)
        if not known:
            return cls()
        return cls(min(known), max(known), anchor or min(known))

    @classmethod
    def of_incident(
        cls, milestones: Iterable[datetime | None], events: Iterable[datetime]
    ) -> IncidentWindow:
        """The incident an import is checked against: its milestones once any is set (a stray
        event already imported must not stretch it), else its events so far."""
        set_ones = [moment for moment in milestones if moment is not None]
        return cls.around(set_ones or list(events))

    def holds(self, moment: datetime) -> bool:
        """Whether `moment` falls inside the window (an open end holds everything after)."""
        after_start = self.start is None or moment >= self.start
        before_end = self.end is None or self.end == self.start or moment <= self.end
        return after_start and before_end


def placed_event_time(text: str, zone_name: str, window: IncidentWindow) -> tuple[datetime, bool]:
    """An event time typed in the event dialog, and whether it is approximate.

    A time with a date is read as it is; one without takes the day (around the anchor, or
    any day of the incident) that puts it inside the window, the one nearest the anchor; with
    none inside, the day nearest the anchor. Raises TimeParseError with a one-line reason.
    """
    anchor = window.anchor
    tz = zone(zone_name)
    anchor_day = anchor.astimezone(tz).date() if anchor is not None else None
    stamp = read_stamp(text.strip()) if text.strip() else None
    if stamp is None or stamp.day is not None or anchor is None or anchor_day is None:
        return parse_event_time(text, zone_name, anchor_day)
    placed = [parse_event_time(text, zone_name, day) for day in _days(window, anchor_day, tz)]
    inside = [candidate for candidate in placed if window.holds(candidate[0])]
    return min(inside or placed, key=lambda candidate: (abs(candidate[0] - anchor), candidate[0]))


def _days(window: IncidentWindow, anchor_day: date, tz: tzinfo) -> list[date]:
    """The anchor's day and the days either side, and each day of the incident (in `tz`)."""
    days = {anchor_day + timedelta(days=step) for step in (-1, 0, 1)}
    if window.start is not None and window.end is not None:
        first, last = window.start.astimezone(tz).date(), window.end.astimezone(tz).date()
        span = min((last - first).days, _MOST_DAYS)
        days.update(first + timedelta(days=step) for step in range(span + 1))
    return sorted(days)
