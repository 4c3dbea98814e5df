"""Trends across incidents and `debrief report` (issue 18): the numbers against ones computed
by hand, on SQLite and PostgreSQL, and the HTML parsed: no script, nothing fetched, every
chart an <svg> over a table of its numbers."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debrief_tui.cli import _since_date
from debrief_tui.core.actions.items import ActionRow
from debrief_tui.core.export import (
    IncidentFacts,
    compute_trends,
    render_report,
    trend_charts,
)
from debrief_tui.core.export.chart_series import nice_ceiling
from debrief_tui.core.export.trends import ActionTally
from debrief_tui.core.persistence import open_database
from debrief_tui.core.persistence.unit import Database, Unit
from debrief_tui.startup import CliError
from tests.postgres import both_backends
from tests.test_cli import run

pytestmark = both_backends

NOW = datetime(2026, 4, 15, 12, tzinfo=UTC)
"""Noon UTC on 15 April: already the 16th in Auckland (UTC+12)."""


def at(day: str, hhmm: str = "00:00", minutes: int = 0) -> datetime:
    """A UTC time, `minutes` after `day hhmm`."""
    return datetime.fromisoformat(f"{day}T{hhmm}+00:00") + timedelta(minutes=minutes)


def build_incidents(tx: Unit) -> None:
    """Five incidents over four months (the hand-computed numbers are in the tests)."""

    def incident(
        title: str,
        severity: str,
        zone: str,
        start: datetime,
        detect: int,
        mitigate: int | None,
        resolve: int,
        method: str | None,
        categories: list[str],
        actions: list[tuple[str, date | None]],
    ) -> None:
        session = tx.sessions.create(
            title,
            severity,
            timezone=zone,
            started_at=start,
            detected_at=start + timedelta(minutes=detect),
            mitigated_at=None if mitigate is None else start + timedelta(minutes=mitigate),
            resolved_at=start + timedelta(minutes=resolve),
            detection_method=method,
        )
        assert session.id is not None
        for n, category in enumerate(categories):
            tx.factors.add(session.id, category, f"factor {n}")
        for n, (status, due) in enumerate(actions):
            tx.actions.add(
                session.id, ActionRow(f"Action {n} of {title}", "Mei", due, status=status)
            )

    incident(
        "Checkout down",
        "SEV1",
        "UTC",
        at("2026-01-10", "10:00"),
        5,
        45,
        120,
        "monitoring",
        ["technical", "detection and observability", "technical"],
        [("done", date(2026, 1, 20)), ("open", date(2026, 2, 1)), ("won't do", None)],
    )
    incident(
        "Search slow",
        "SEV2",
        "UTC",
        at("2026-01-20", "08:00"),
        30,
        90,
        180,
        "customer",
        ["technical"],
        [("done", None), ("done", date(2026, 3, 1))],
    )
    incident(
        "Login errors",
        "SEV1",
        "Europe/London",
        at("2026-03-05"),
        20,
        60,
        180,
        "internal",
        ["technical", "process"],
        [("open", date(2026, 5, 1)), ("in progress", None)],
    )
    # 12:30 UTC on 28 February is 01:30 on 1 March in Auckland: a March incident there.
    incident(
        "Auckland gateway",
        "SEV3",
        "Pacific/Auckland",
        at("2026-02-28", "12:30"),
        10,
        None,
        100,
        None,
        ["process"],
        # Due today in UTC, but it is already the 16th in Auckland: overdue there.
        [("open", date(2026, 4, 15))],
    )
    incident(
        "Old outage",
        "SEV2",
        "UTC",
        at("2025-12-01", "09:00"),
        1,
        2,
        3,
        "monitoring",
        [],
        [],
    )


@pytest.fixture
def incidents(db: Database) -> Database:
    """The database with the five incidents."""
    db.write(build_incidents)
    return db


def test_the_trends_match_the_numbers_computed_by_hand(incidents: Database) -> None:
    since = date(2026, 1, 1)
    trends = compute_trends(incidents.read(lambda tx: tx.trends.facts(since, NOW)), NOW, since)
    assert [m.month for m in trends.months] == ["2026-01", "2026-02", "2026-03"]
    jan, feb, mar = trends.months
    assert jan.incidents == {"SEV1": 1, "SEV2": 1}
    assert feb.total == 0  # the month between is kept, empty
    assert mar.incidents == {"SEV1": 1, "SEV3": 1}
    assert trends.severities == ("SEV1", "SEV2", "SEV3")
    # Time to detect: January 5 and 30 min, March 20 and 10.
    assert (jan.spread("detect").median, jan.spread("detect").worst) == (17.5, 30)
    assert (mar.spread("detect").median, mar.spread("detect").worst) == (15, 20)
    assert (jan.spread("mitigate").median, jan.spread("mitigate").worst) == (67.5, 90)
    assert mar.spread("mitigate").count == 1  # Auckland was never mitigated
    assert (mar.spread("resolve").median, mar.spread("resolve").worst) == (140, 180)
    assert feb.spread("resolve").median is None
    # Downtime: to mitigation, or to resolution when never mitigated.
    assert jan.downtime == {"SEV1": 45, "SEV2": 90}
    assert mar.downtime == {"SEV1": 60, "SEV3": 100}
    assert trends.budgets["SEV1"] == 43  # 99.9% of a 30-day month
    assert trends.budgets["SEV3"] == 216  # 99.5%
    assert jan.categories == {"technical": 2, "detection and observability": 1}
    assert mar.categories == {"technical": 1, "process": 2}
    assert trends.recurring == ("technical",)
    assert jan.detection == {"monitoring": 1, "customer": 1}
    assert mar.detection == {"internal": 1, "not recorded": 1}
    assert jan.actions == {"done": 3, "overdue": 1, "won't do": 1}
    assert mar.actions == {"open": 2, "overdue": 1}
    assert jan.completion_percent == 75.0
    assert mar.completion_percent == 0.0


def test_without_since_every_incident_counts(incidents: Database) -> None:
    trends = compute_trends(incidents.read(lambda tx: tx.trends.facts(None, NOW)), NOW)
    assert trends.months[0].month == "2025-12"
    assert trends.incidents == 5


def test_since_is_judged_in_each_sessions_zone(incidents: Database) -> None:
    # The Auckland incident began on 28 February UTC but on 1 March in Auckland.
    since = date(2026, 3, 1)
    trends = compute_trends(incidents.read(lambda tx: tx.trends.facts(since, NOW)), NOW, since)
    assert [m.month for m in trends.months] == ["2026-03"]
    assert trends.incidents == 2


def test_the_charts_carry_the_same_numbers(incidents: Database) -> None:
    since = date(2026, 1, 1)
    trends = compute_trends(incidents.read(lambda tx: tx.trends.facts(since, NOW)), NOW, since)
    charts = {c.key: c for c in trend_charts(trends)}
    assert list(charts) == [
        "incidents",
        "detect",
        "mitigate",
        "resolve",
        "downtime",
        "factors",
        "actions",
        "detection",
    ]
    used = {s.name: s.values for s in charts["downtime"].series}
    assert used["SEV1"] == (round(100 * 45 / 43, 1), 0.0, round(100 * 60 / 43, 1))
    assert used["SEV3"] == (0.0, 0.0, round(100 * 100 / 216, 1))
    assert charts["downtime"].reference == ("budget", 100.0)
    monitoring = {s.name: s.values for s in charts["detection"].table_only}
    assert monitoring["by monitoring %"] == (50.0, None, 0.0)
    factors = [s.name for s in charts["factors"].series]
    assert factors == ["technical (recurring)", "process", "detection and observability"]


class _Page(HTMLParser):
    """What the tests look for in a page: tags, their addresses, and the text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.addresses: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "action", "data") and value:
                self.addresses.append(value)
            assert not name.startswith("on"), f"{tag} has an event handler {name}"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(html: str) -> _Page:
    """The page parsed, checked to run and fetch nothing."""
    page = _Page()
    page.feed(html)
    page.close()
    assert "script" not in page.tags
    assert not [a for a in page.addresses if "://" in a or a.startswith("//")]
    assert "@import" not in html
    assert "url(" not in html
    return page


@pytest.fixture
def incidents_file(db_file: Path) -> Path:
    """The file the commands use (DEBRIEF_DB), with the five incidents."""
    database = open_database(str(db_file))
    database.write(build_incidents)
    database.dispose()
    return db_file


def test_debrief_report_writes_a_self_contained_page(
    capsys, incidents_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "trends.html"
    code, _, err = run(capsys, "report", "--out", str(out), "--since", "2026-01-01")
    assert code == 0, err
    assert "4 incidents" in err
    page = parsed(out.read_text(encoding="utf-8"))
    assert page.tags.count("svg") == 8
    assert page.tags.count("h2") == 9  # the summary and eight charts
    assert page.tags.count("table") == 9  # each chart's numbers, and the summary
    text = " ".join(page.text)
    assert "Incident trends since 2026-01-01" in text
    # The command counts overdue today: every open action here is due by May 2026.
    assert "3 of 7 actions done (42.9%), 3 overdue, 1 dropped" in text
    assert "1 of 3 incidents recorded (33.3%); 1 by a customer" in text
    # January (SEV1 and SEV2 both over) and March: months, not month-severity pairs.
    assert "2 months over a severity's SLA budget" in text
    code, _, err = run(capsys, "report", "--out", str(out))
    assert code != 0
    assert "exists" in err


def test_the_summary_of_every_incident(capsys, incidents_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    code, _, err = run(capsys, "report", "--out", str(out))
    assert code == 0, err
    page = parsed(out.read_text(encoding="utf-8"))
    text = " ".join(page.text)
    assert "2025-12 to 2026-03" in text
    assert "5 (SEV1 2, SEV2 2, SEV3 1)" in text
    # Median time to detect over all five: 1, 5, 10, 20, 30.
    assert "median 10 min, worst 30 min" in text


def test_no_incidents_since_a_date_is_a_report_saying_so(
    capsys, db_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "empty.html"
    code, _, err = run(capsys, "report", "--out", str(out), "--since", "2030-01-01")
    assert code == 0, err
    page = parsed(out.read_text(encoding="utf-8"))
    assert "No incidents since 2030-01-01." in " ".join(page.text)
    assert "svg" not in page.tags


@pytest.mark.parametrize("since", ["2026-13-01", "last week", "01/02/2026", ""])
def test_a_malformed_since_is_one_line(capsys, db_file: Path, tmp_path: Path, since: str) -> None:
    code, _, err = run(capsys, "report", "--out", str(tmp_path / "x.html"), "--since", since)
    assert code != 0
    assert err.count("\n") == 1
    assert "--since" in err
    assert "YYYY-MM-DD" in err
    assert not (tmp_path / "x.html").exists()


def test_text_from_data_files_is_escaped_in_page_and_charts() -> None:
    hostile = '<script>alert("x")</script><img src="http://evil.example/x.png">'
    facts = [
        IncidentFacts(
            session_id=n,
            severity=hostile if n else "SEV1",
            zone="Mars/Olympus",  # unknown here: UTC
            created_at=at(f"2026-0{n + 1}-02"),
            categories=(hostile,),
            actions=(ActionTally("open", None, 2),),
        )
        for n in range(2)
    ]
    html = render_report(compute_trends(facts, NOW))
    page = parsed(html)
    assert "img" not in page.tags
    assert hostile in " ".join(page.text)  # shown as typed, as text


def test_actions_are_tallied_by_where_they_stand_not_by_every_date(db: Database) -> None:
    def build(tx: Unit) -> None:
        for zone in ("Pacific/Honolulu", "Pacific/Auckland"):
            session = tx.sessions.create(
                zone, "SEV2", timezone=zone, started_at=at("2026-04-01", "12:00")
            )
            assert session.id is not None
            for due in (
                date(2026, 4, 15),  # today in UTC and Honolulu, yesterday in Auckland
                date(2026, 1, 1),
                date(2026, 2, 1),  # long overdue: one tally
                date(2026, 6, 1),
                date(2027, 1, 1),  # far ahead: one tally
            ):
                tx.actions.add(session.id, ActionRow(f"due {due}", "Mei", due))
            tx.actions.add(session.id, ActionRow("done", "Mei", date(2026, 3, 3), status="done"))
            tx.actions.add(session.id, ActionRow("done too", "Mei", None, status="done"))

    db.write(build)
    facts = db.read(lambda tx: tx.trends.facts(None, NOW))
    honolulu, _auckland = facts
    assert sorted(t.count for t in honolulu.actions) == [1, 2, 2, 2]
    trends = compute_trends(facts, NOW)
    (april,) = trends.months
    # Honolulu: 2 overdue, 3 open (today's too); Auckland: 3 overdue, 2 open.
    assert april.actions == {"overdue": 5, "open": 5, "done": 4}


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), st.dates().map(date.isoformat)))
def test_since_is_a_date_or_one_line_that_says_how_to_write_one(text: str) -> None:
    try:
        wanted = date.fromisoformat(text.strip())
    except ValueError:
        with pytest.raises(CliError) as refused:
            _since_date(text)
        assert "\n" not in str(refused.value)
        assert "YYYY-MM-DD" in str(refused.value)
    else:
        assert _since_date(text) == wanted


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=0, max_value=1e9, allow_nan=False))
def test_an_axis_holds_its_largest_number_in_at_most_six_ticks(top: float) -> None:
    ceiling, step = nice_ceiling(top)
    assert ceiling >= top
    assert round(ceiling / step) <= 6
    if top > 1:
        assert step >= 1  # whole ticks for counts
    assert nice_ceiling(2) == (2, 1)
    assert nice_ceiling(45) == (50, 10)
    assert nice_ceiling(209.3) == (250, 50)


def test_late_and_missing_review_meetings_are_counted_against_their_targets() -> None:
    """SEV1 within 3 days, SEV2 within 5 business days (data/review_targets.toml)."""
    resolved = datetime(2026, 4, 3, 12, tzinfo=UTC)  # a Friday

    def incident(
        severity: str, review_at: datetime | None = None, first_run: datetime | None = None
    ) -> IncidentFacts:
        return IncidentFacts(
            session_id=1,
            severity=severity,
            zone="UTC",
            created_at=resolved,
            started_at=resolved - timedelta(hours=2),
            resolved_at=resolved,
            review_at=review_at,
            first_run=first_run,
        )

    facts = [
        # SEV1, met on the Monday: 3 days, on time.
        incident("SEV1", review_at=datetime(2026, 4, 6, 9, tzinfo=UTC)),
        # SEV1, meeting clock first started on the Tuesday: 4 days, late.
        incident("SEV1", first_run=datetime(2026, 4, 7, 9, tzinfo=UTC)),
        # SEV2, met the next Friday: 5 business days, on time.
        incident("SEV2", review_at=datetime(2026, 4, 10, 9, tzinfo=UTC)),
        # SEV2, never held: due on Friday the 10th, and NOW is the 15th: overdue.
        incident("SEV2"),
        # SEV2, planned for a day after NOW: not yet held, yet already past its target.
        incident("SEV2", review_at=datetime(2026, 4, 20, 9, tzinfo=UTC)),
        # Not resolved: nothing to judge.
        dataclasses.replace(incident("SEV3"), resolved_at=None),
    ]
    trends = compute_trends(facts, NOW)
    assert trends.total("reviews", "on time") == 2
    assert trends.total("reviews", "late") == 1
    assert trends.total("reviews", "overdue") == 2
    assert trends.total("reviews", "unknown") == 1
    page = parsed(render_report(trends))
    summary = " ".join(page.text)
    assert "1 held late, 2 not held past the target, of 5 resolved incidents" in summary
