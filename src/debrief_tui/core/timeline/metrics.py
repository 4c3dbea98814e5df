"""Incident metrics from the milestones, held against the SLA targets for the severity.

Durations are whole minutes, rounded down, and None when an end is missing. A pair of
milestones in the wrong order gives no duration and a problem that says which pair: a negative
duration is never reported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from itertools import pairwise
from typing import NamedTuple

from debrief_tui.core.reference.data import sla_targets

MILESTONES: tuple[tuple[str, str], ...] = (
    ("started_at", "started"),
    ("detected_at", "detected"),
    ("first_logged_at", "first logged"),
    ("acknowledged_at", "acknowledged"),
    ("first_communication_at", "first communication"),
    ("mitigated_at", "mitigated"),
    ("resolved_at", "resolved"),
)
"""Milestone facts of a session, in the order they should happen, with their labels."""

MILESTONE_LABELS = dict(MILESTONES)


def milestone_facts(session: object) -> dict[str, datetime | None]:
    """The milestone facts of a session (any object with those attributes), by name."""
    return {name: getattr(session, name) for name, _ in MILESTONES}


# (earlier, later): each pair must run in this order.
_ORDER: tuple[tuple[str, str], ...] = (
    ("started_at", "detected_at"),
    ("started_at", "first_logged_at"),
    ("started_at", "acknowledged_at"),
    ("started_at", "first_communication_at"),
    ("started_at", "mitigated_at"),
    ("started_at", "resolved_at"),
    ("detected_at", "acknowledged_at"),
    ("mitigated_at", "resolved_at"),
)


class SlaCheck(NamedTuple):
    """One metric against its target; `breached` is None when the metric is unknown."""

    name: str
    target_minutes: int
    actual_minutes: int | None
    breached: bool | None


class Metrics(NamedTuple):
    """Everything the metrics panel and the export show."""

    minutes_to_detect: int | None
    minutes_to_acknowledge: int | None
    minutes_to_mitigate: int | None
    minutes_to_resolve: int | None
    downtime_minutes: int | None
    longest_gap_minutes: int | None
    sla: tuple[SlaCheck, ...]
    problems: tuple[str, ...]
    observability_gap: str | None

    @property
    def breaches(self) -> tuple[str, ...]:
        """One line per breached target, e.g. `time to resolve: 312 min (target 240)`."""
        return tuple(
            f"{c.name}: {c.actual_minutes} min (target {c.target_minutes})"
            for c in self.sla
            if c.breached
        )


def out_of_order(facts: Mapping[str, datetime | None]) -> list[str]:
    """A line for each pair of milestones set in the wrong order."""
    problems = []
    for earlier, later in _ORDER:
        first, second = facts.get(earlier), facts.get(later)
        if first is not None and second is not None and second < first:
            problems.append(
                f"{MILESTONE_LABELS[later]} is before {MILESTONE_LABELS[earlier]}"
                f" ({_minutes(second, first)} min earlier)"
            )
    return problems


def _minutes(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds() // 60)


def _span(facts: Mapping[str, datetime | None], start: str, end: str) -> int | None:
    first, second = facts.get(start), facts.get(end)
    if first is None or second is None or second < first:
        return None
    return _minutes(first, second)


def impact_end(facts: Mapping[str, datetime | None]) -> datetime | None:
    """When users stopped being affected: mitigation, or resolution when never mitigated."""
    return facts.get("mitigated_at") or facts.get("resolved_at")


def compute_metrics(
    facts: Mapping[str, datetime | None],
    event_times: Sequence[datetime],
    severity: str,
    detection_method: str | None = None,
) -> Metrics:
    """Metrics from the milestone facts and the timeline's times, for a session of `severity`."""
    downtime_end = "mitigated_at" if facts.get("mitigated_at") else "resolved_at"
    times = sorted(event_times)
    gaps = [_minutes(a, b) for a, b in pairwise(times)]
    metrics = Metrics(
        minutes_to_detect=_span(facts, "started_at", "detected_at"),
        minutes_to_acknowledge=_span(facts, "detected_at", "acknowledged_at"),
        minutes_to_mitigate=_span(facts, "started_at", "mitigated_at"),
        minutes_to_resolve=_span(facts, "started_at", "resolved_at"),
        downtime_minutes=_span(facts, "started_at", downtime_end),
        longest_gap_minutes=max(gaps) if gaps else None,
        sla=(),
        problems=tuple(out_of_order(facts)),
        observability_gap=None,
    )
    return _against_targets(metrics, severity, detection_method)


def _against_targets(metrics: Metrics, severity: str, detection_method: str | None) -> Metrics:
    targets = sla_targets().get(severity)
    gap = None
    if detection_method == "customer":
        gap = "detected by a customer, not by our monitoring"
    if targets is None:
        return metrics._replace(observability_gap=gap)
    rows = (
        ("time to detect", targets.detect_minutes, metrics.minutes_to_detect),
        ("time to acknowledge", targets.acknowledge_minutes, metrics.minutes_to_acknowledge),
        ("time to mitigate", targets.mitigate_minutes, metrics.minutes_to_mitigate),
        ("time to resolve", targets.resolve_minutes, metrics.minutes_to_resolve),
        (
            f"downtime ({targets.availability_percent:g}% monthly availability)",
            targets.downtime_budget_minutes,
            metrics.downtime_minutes,
        ),
    )
    checks = tuple(
        SlaCheck(name, target, actual, None if actual is None else actual > target)
        for name, target, actual in rows
        if target is not None
    )
    detect = targets.detect_minutes
    late = metrics.minutes_to_detect
    if gap is None and detect is not None and late is not None and late > detect:
        gap = f"detection took {late} min, over the {detect} min target"
    return metrics._replace(sla=checks, observability_gap=gap)
