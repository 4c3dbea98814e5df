"""Trends across incidents, per month: how many and how severe, how fast they were detected,
mitigated and resolved, downtime against the SLA budget, the contributing-factor categories
that keep coming back, whether actions get done, and who noticed first.

Pure functions over compact per-session facts (`IncidentFacts`, read by
`tx.trends.facts(since)` in a few queries, never the minutes), computed in one pass. An
incident belongs to the month it started in, in its session's own time zone; one with no
start time to the month it was detected, else the month its session was made.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from debrief_tui.core.actions.follow_ups import CLOSED
from debrief_tui.core.reference.data import (
    factor_category_keys,
    review_targets,
    severity_keys,
    sla_targets,
)
from debrief_tui.core.reference.vocab import DETECTION_METHODS
from debrief_tui.core.sessions.timeliness import meeting_held_at, review_timeliness
from debrief_tui.core.timeline.metrics import compute_metrics, milestone_facts

NOT_RECORDED = "not recorded"
"""The detection source of an incident whose detection method was never set."""

DETECTION_SOURCES: tuple[str, ...] = (*DETECTION_METHODS, NOT_RECORDED)
"""How incidents were first noticed, as the trends group them: our monitoring, a person
inside, a customer, or unknown. Only `monitoring` is the team's observability working; the
vocabulary has no other kind of alert, so nothing is merged."""

ACTION_STANDINGS: tuple[str, ...] = ("done", "open", "overdue", "won't do")
"""Where the actions of a month's incidents stand, as the trends count them."""


@dataclass(frozen=True)
class ActionTally:
    """How many of a session's actions have this status and due date (a stand-in date on
    the same side of today in every zone, for one far from it; None when closed)."""

    status: str
    due_date: date | None
    count: int


@dataclass(frozen=True)
class IncidentFacts:
    """What the trends need of one session, and nothing more."""

    session_id: int
    severity: str
    zone: str
    created_at: datetime
    started_at: datetime | None = None
    detected_at: datetime | None = None
    mitigated_at: datetime | None = None
    resolved_at: datetime | None = None
    detection_method: str | None = None
    review_at: datetime | None = None
    """When the review meeting is or was (for the meeting-timeliness count)."""
    first_run: datetime | None = None
    """When the meeting clock first started (the meeting was held then, if not before)."""
    categories: tuple[str, ...] = ()
    """The distinct categories of its contributing factors."""
    actions: tuple[ActionTally, ...] = ()

    # `compute_metrics` reads these milestones too; the trends never set them.
    acknowledged_at: datetime | None = None
    first_logged_at: datetime | None = None
    first_communication_at: datetime | None = None


@dataclass(frozen=True)
class Spread:
    """Median and worst of a month's durations, in minutes (None: no incident had one)."""

    median: float | None
    worst: int | None
    count: int


@dataclass
class MonthTrend:
    """One month's numbers."""

    month: str
    """`YYYY-MM`."""
    incidents: dict[str, int] = field(default_factory=dict)
    """By severity."""
    detect: list[int] = field(default_factory=list)
    mitigate: list[int] = field(default_factory=list)
    resolve: list[int] = field(default_factory=list)
    downtime: dict[str, int] = field(default_factory=dict)
    """Minutes of downtime (start to mitigation, or to resolution), by severity."""
    categories: dict[str, int] = field(default_factory=dict)
    """Incidents with at least one factor in the category."""
    detection: dict[str, int] = field(default_factory=dict)
    """Incidents by `DETECTION_SOURCES`."""
    actions: dict[str, int] = field(default_factory=dict)
    """The month's incidents' actions by `ACTION_STANDINGS`."""
    reviews: dict[str, int] = field(default_factory=dict)
    """The month's incidents by where their review meeting stands (`Review`'s values)."""

    @property
    def total(self) -> int:
        """Incidents in the month."""
        return sum(self.incidents.values())

    def spread(self, name: str) -> Spread:
        """Median and worst of `detect`, `mitigate` or `resolve`."""
        values: list[int] = getattr(self, name)
        if not values:
            return Spread(None, None, 0)
        return Spread(statistics.median(values), max(values), len(values))

    @property
    def completion_percent(self) -> float | None:
        """Actions done out of those not dropped, in percent (None: no such action)."""
        done = self.actions.get("done", 0)
        counted = done + self.actions.get("open", 0) + self.actions.get("overdue", 0)
        return None if counted == 0 else 100 * done / counted


@dataclass(frozen=True)
class Trends:
    """The months from the first incident to the last (empty months included), in order."""

    months: tuple[MonthTrend, ...]
    severities: tuple[str, ...]
    """The severities seen, in `data/severities.toml` order, unknown ones after."""
    categories: tuple[str, ...]
    """The factor categories seen, in `data/factor_categories.toml` order, others after."""
    recurring: tuple[str, ...]
    """Categories seen in more than one month: the causes that keep coming back."""
    budgets: dict[str, int]
    """Each severity's monthly downtime budget in minutes, from `data/sla.toml`."""
    since: date | None
    as_of: datetime
    """When the overdue actions were counted (UTC)."""

    @property
    def incidents(self) -> int:
        """Incidents in the period."""
        return sum(m.total for m in self.months)

    def total(self, part: str, key: str) -> int:
        """The sum over the months of `incidents`, `downtime`, `categories`, `detection`,
        `actions` or `reviews` for `key`."""
        return sum(getattr(m, part).get(key, 0) for m in self.months)


@cache
def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC  # a zone this machine does not know: UTC rather than no month at all


def local_date(moment: datetime, zone: str) -> date:
    """The calendar date of `moment` (UTC) in `zone`."""
    return moment.astimezone(_zone(zone)).date()


def incident_date(facts: IncidentFacts) -> date:
    """The day an incident counts on: when it started, else when it was detected, else when
    its session was made, in its own zone."""
    moment = facts.started_at or facts.detected_at or facts.created_at
    return local_date(moment, facts.zone)


def _month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    keys = []
    while (key := f"{year:04d}-{month:02d}") <= last:
        keys.append(key)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def _ordered(seen: Iterable[str], known: Sequence[str]) -> tuple[str, ...]:
    found = set(seen)
    return (*(k for k in known if k in found), *sorted(found - set(known)))


def _standing(tally: ActionTally, today: date) -> str:
    if tally.status == "done":
        return "done"
    if tally.status in CLOSED:
        return "won't do"
    if tally.due_date is not None and tally.due_date < today:
        return "overdue"
    return "open"


def compute_trends(
    incidents: Iterable[IncidentFacts], now: datetime, since: date | None = None
) -> Trends:
    """The trends of `incidents` that count on `since` or later, with actions judged overdue
    at `now` (UTC) in each session's zone, in one pass over the facts."""
    months: dict[str, MonthTrend] = {}
    todays: dict[str, date] = {}
    goals = review_targets()
    for facts in incidents:
        day = incident_date(facts)
        if since is not None and day < since:
            continue
        key = _month_key(day)
        month = months.get(key) or months.setdefault(key, MonthTrend(key))
        sev = facts.severity
        month.incidents[sev] = month.incidents.get(sev, 0) + 1
        metrics = compute_metrics(milestone_facts(facts), (), sev, facts.detection_method)
        for name, value in (
            ("detect", metrics.minutes_to_detect),
            ("mitigate", metrics.minutes_to_mitigate),
            ("resolve", metrics.minutes_to_resolve),
        ):
            if value is not None:
                getattr(month, name).append(value)
        if metrics.downtime_minutes is not None:
            month.downtime[sev] = month.downtime.get(sev, 0) + metrics.downtime_minutes
        for category in facts.categories:
            month.categories[category] = month.categories.get(category, 0) + 1
        method = facts.detection_method or NOT_RECORDED
        month.detection[method] = month.detection.get(method, 0) + 1
        held = meeting_held_at(facts.review_at, facts.first_run, now)
        review = review_timeliness(sev, facts.resolved_at, held, now, facts.zone, goals).state
        month.reviews[review] = month.reviews.get(review, 0) + 1
        if facts.actions:
            today = todays.get(facts.zone)
            if today is None:
                today = todays[facts.zone] = local_date(now, facts.zone)
            for tally in facts.actions:
                standing = _standing(tally, today)
                month.actions[standing] = month.actions.get(standing, 0) + tally.count
    keys = _months_between(min(months), max(months)) if months else []
    ordered = tuple(months.get(k) or MonthTrend(k) for k in keys)
    seen_in: dict[str, int] = {}
    for month in ordered:
        for category in month.categories:
            seen_in[category] = seen_in.get(category, 0) + 1
    categories = _ordered(seen_in, factor_category_keys())
    severities = _ordered((s for m in ordered for s in m.incidents), severity_keys())
    budgets = {}
    for sev, targets in sla_targets().items():
        if targets.downtime_budget_minutes is not None:
            budgets[sev] = targets.downtime_budget_minutes
    return Trends(
        months=ordered,
        severities=severities,
        categories=categories,
        recurring=tuple(c for c in categories if seen_in[c] > 1),
        budgets=budgets,
        since=since,
        as_of=now,
    )
