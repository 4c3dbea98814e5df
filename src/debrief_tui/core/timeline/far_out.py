"""Events that land far outside the incident: more than a day before its first known moment
(its start, a milestone, an event already in the timeline) or after its last (its
resolution). Such a time is most often a wrong date or zone in what was pasted, so the paste
preview flags it before anything is saved."""

from __future__ import annotations

from datetime import datetime, timedelta

from debrief_tui.core.timeline.placing import IncidentWindow
from debrief_tui.core.timeline.timeparse import format_when

SLACK = timedelta(days=1)
"""How far outside the incident a time may be before it is flagged."""


def far_outside(at: datetime, window: IncidentWindow, zone_name: str) -> str | None:
    """Why `at` is far outside `window` (in words, with the window's end in `zone_name`), or
    None when it is within a day of it or the window is unknown."""
    if window.start is not None and at < window.start - SLACK:
        starts = format_when(window.start, zone_name)
        return f"{_apart(window.start - at)} before the incident, which starts {starts}"
    if window.end is not None and at > window.end + SLACK:
        ends = format_when(window.end, zone_name)
        return f"{_apart(at - window.end)} after the incident, which ends {ends}"
    return None


def _apart(gap: timedelta) -> str:
    days = gap.total_seconds() / 86400
    if days < 2:
        return f"{gap.total_seconds() / 3600:.0f} hours"
    return f"{days:.0f} days"
