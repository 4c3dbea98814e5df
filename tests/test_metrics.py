"""Metrics from milestones: whole minutes rounded down, never negative, held against targets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from debrief_tui.core.reference.data import sla_targets
from debrief_tui.core.timeline.metrics import compute_metrics, out_of_order

T0 = datetime(2025, 3, 21, 9, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_each_metric_from_its_pair_of_milestones() -> None:
    facts = {
        "started_at": at(0),
        "detected_at": at(7.9),  # rounded down: 7
        "acknowledged_at": at(20),
        "mitigated_at": at(95.5),
        "resolved_at": at(301),
    }
    m = compute_metrics(facts, [at(0), at(10), at(200), at(301)], "SEV2")
    assert m.minutes_to_detect == 7
    assert m.minutes_to_acknowledge == 12  # 20 - 7.9 = 12.1
    assert m.minutes_to_mitigate == 95
    assert m.minutes_to_resolve == 301
    assert m.downtime_minutes == 95  # impact ends at mitigation
    assert m.longest_gap_minutes == 190
    assert m.problems == ()


def test_missing_ends_give_none_and_downtime_falls_back_to_resolution() -> None:
    m = compute_metrics({"started_at": at(0), "resolved_at": at(60)}, [], "SEV2")
    assert (m.minutes_to_detect, m.minutes_to_acknowledge, m.minutes_to_mitigate) == (None,) * 3
    assert (m.minutes_to_resolve, m.downtime_minutes, m.longest_gap_minutes) == (60, 60, None)
    empty = compute_metrics({}, [at(0)], "SEV2")
    assert (empty.minutes_to_resolve, empty.longest_gap_minutes) == (None, None)


def test_out_of_order_milestones_are_flagged_never_negative() -> None:
    facts = {"started_at": at(60), "detected_at": at(10), "resolved_at": at(30)}
    m = compute_metrics(facts, [], "SEV1")
    assert m.minutes_to_detect is None
    assert m.minutes_to_resolve is None
    assert m.downtime_minutes is None
    assert "detected is before started (50 min earlier)" in m.problems
    assert "resolved is before started (30 min earlier)" in m.problems
    assert out_of_order({"mitigated_at": at(10), "resolved_at": at(5)}) == [
        "resolved is before mitigated (5 min earlier)"
    ]


def test_sla_targets_by_severity_and_breaches() -> None:
    targets = sla_targets()["SEV1"]
    facts = {
        "started_at": at(0),
        "detected_at": at(4),
        "acknowledged_at": at(30),  # 26 > 15
        "mitigated_at": at(50),
        "resolved_at": at(300),  # > 240
    }
    m = compute_metrics(facts, [], "SEV1")
    by_name = {c.name: c for c in m.sla}
    assert by_name["time to acknowledge"].breached is True
    assert by_name["time to acknowledge"].target_minutes == targets.acknowledge_minutes
    assert by_name["time to mitigate"].breached is False
    assert by_name["time to resolve"].breached is True
    downtime = next(c for c in m.sla if c.name.startswith("downtime"))
    assert (downtime.target_minutes, downtime.actual_minutes, downtime.breached) == (43, 50, True)
    assert "time to resolve: 300 min (target 240)" in m.breaches
    assert m.observability_gap is None


def test_unknown_metric_is_neither_met_nor_breached() -> None:
    m = compute_metrics({"started_at": at(0)}, [], "SEV3")
    assert all(c.breached is None for c in m.sla)
    assert m.breaches == ()


def test_observability_gap_for_customer_detection_or_slow_detection() -> None:
    slow = compute_metrics({"started_at": at(0), "detected_at": at(30)}, [], "SEV1")
    assert slow.observability_gap == "detection took 30 min, over the 5 min target"
    customer = compute_metrics({"started_at": at(0)}, [], "SEV4", "customer")
    assert customer.observability_gap == "detected by a customer, not by our monitoring"


def test_a_severity_without_targets_has_no_sla_rows() -> None:
    m = compute_metrics({"started_at": at(0), "resolved_at": at(5)}, [], "SEV9")
    assert (m.sla, m.minutes_to_resolve) == ((), 5)
