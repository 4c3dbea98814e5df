"""Was the review meeting held soon enough after resolution? Business days in the session's
own zone (a weekend, the date line), every state, the targets file, and where a user sees it:
`debrief list`, the session list's Review column and the wrap-up's review line."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from debrief_tui.cli import main
from debrief_tui.core.persistence import open_database
from debrief_tui.core.persistence.unit import Database
from debrief_tui.core.reference import (
    ReviewTarget,
    parse_review_targets,
    review_targets,
    severity_keys,
)
from debrief_tui.core.sessions import Review, Timeliness, meeting_held_at, review_timeliness
from debrief_tui.core.sessions.timeliness import add_days, count_days
from tests.helpers import FIXED_NOW, app_for, fixed_clock, screen_text, settle, stage
from tests.postgres import both_backends

TARGETS = {
    "SEV1": ReviewTarget("SEV1", 3, business_days=False),
    "SEV2": ReviewTarget("SEV2", 5, business_days=True),
}
FRIDAY_EVENING = datetime(2025, 3, 21, 18, 0, tzinfo=UTC)
"""Friday 21 March 2025, 18:00 UTC (19:00 in Amsterdam)."""


def when(day: int, hour: int = 10) -> datetime:
    """A time in March 2025, UTC."""
    return datetime(2025, 3, day, hour, 0, tzinfo=UTC)


def sev2(
    held: datetime | None, now: datetime | None = None, zone: str = "Europe/Amsterdam"
) -> Timeliness:
    """A SEV2 resolved on Friday evening, judged on the last day of March unless told."""
    return review_timeliness("SEV2", FRIDAY_EVENING, held, now or when(31), zone, TARGETS)


# Business days and calendar days ----------------------------------------------------------


def test_a_weekend_does_not_count_as_business_days() -> None:
    monday = sev2(when(24))
    assert (monday.state, monday.days) == (Review.ON_TIME, 1)
    assert monday.describe() == ("held 1 business day after resolution; target 5 for SEV2: on time")
    next_friday = sev2(when(28))
    assert (next_friday.state, next_friday.days, next_friday.due) == (
        Review.ON_TIME,
        5,
        date(2025, 3, 28),
    )
    a_week_on_monday = sev2(when(31))
    assert (a_week_on_monday.state, a_week_on_monday.days) == (Review.LATE, 6)
    assert a_week_on_monday.describe().endswith("target 5 for SEV2: late")
    assert a_week_on_monday.flag == "late"


def test_days_are_counted_in_the_sessions_zone_across_the_date_line() -> None:
    """Resolved at 20:00 UTC on Friday is Saturday morning in Auckland; the meeting on
    Monday morning there is still Sunday in UTC and in Pago Pago."""
    resolved = datetime(2025, 3, 21, 20, 0, tzinfo=UTC)
    held = datetime(2025, 3, 23, 21, 0, tzinfo=UTC)
    auckland = review_timeliness("SEV2", resolved, held, when(31), "Pacific/Auckland", TARGETS)
    pago_pago = review_timeliness("SEV2", resolved, held, when(31), "Pacific/Pago_Pago", TARGETS)
    assert (auckland.held_on, auckland.days) == (date(2025, 3, 24), 1)
    assert (pago_pago.held_on, pago_pago.days) == (date(2025, 3, 23), 0)
    # The due day is the fifth working day after the resolution's own day in that zone.
    assert auckland.due == date(2025, 3, 28)
    assert pago_pago.due == date(2025, 3, 28)
    # Calendar days too: resolved at 23:30 on Friday in Auckland, reviewed half past
    # midnight on Tuesday there, is four days (late for SEV1) though only three in UTC.
    resolved = datetime(2025, 3, 21, 10, 30, tzinfo=UTC)
    held = datetime(2025, 3, 24, 11, 30, tzinfo=UTC)
    in_auckland = review_timeliness("SEV1", resolved, held, when(31), "Pacific/Auckland", TARGETS)
    in_utc = review_timeliness("SEV1", resolved, held, when(31), "UTC", TARGETS)
    assert (in_auckland.days, in_auckland.state) == (4, Review.LATE)
    assert (in_utc.days, in_utc.state) == (3, Review.ON_TIME)


def test_every_state() -> None:
    assert sev2(when(21, 20)).describe() == (
        "held on the day of resolution; target 5 for SEV2: on time"
    )
    pending = sev2(None, now=when(25))
    assert (pending.state, pending.remaining, pending.flag) == (Review.PENDING, 3, "due 3d")
    assert (
        pending.describe() == "not held yet: due in 3 business days (Fri 28 Mar); target 5 for SEV2"
    )
    today = sev2(None, now=when(28))
    assert (today.state, today.flag) == (Review.PENDING, "due 0d")
    assert "due today" in today.describe()
    overdue = sev2(None, now=when(31))
    assert (overdue.state, overdue.flag, overdue.flagged) == (Review.OVERDUE, "overdue", True)
    assert overdue.describe() == (
        "not held, 1 business day past target 5 for SEV2 (due Fri 28 Mar)"
    )
    unresolved = review_timeliness("SEV2", None, None, when(31), "UTC", TARGETS)
    assert (unresolved.state, unresolved.flag) == (Review.UNKNOWN, "")
    assert unresolved.describe() == "timing unknown: no resolution time yet"
    no_target = review_timeliness("SEV9", FRIDAY_EVENING, None, when(31), "UTC", TARGETS)
    assert no_target.describe() == "timing unknown: no review target for SEV9"
    # A meeting held before the incident was marked resolved counts as the same day.
    assert sev2(FRIDAY_EVENING - timedelta(hours=3)).state is Review.ON_TIME
    # A zone that is not one reads as UTC rather than failing.
    assert sev2(when(24), zone="Not/AZone").state is Review.ON_TIME


def test_the_meeting_was_held_when_its_clock_first_ran_or_on_a_past_review_date() -> None:
    run, review = when(24), when(25)
    assert meeting_held_at(review, run, when(31)) == run
    assert meeting_held_at(None, run, when(31)) == run
    assert meeting_held_at(review, None, when(31)) == review
    # A review date still ahead is a plan, not a meeting held.
    assert meeting_held_at(review, None, when(24)) is None
    assert meeting_held_at(None, None, when(24)) is None


def test_the_shipped_targets_cover_every_severity_and_cite_their_sources() -> None:
    targets = review_targets()
    assert set(targets) == set(severity_keys())
    assert (targets["SEV1"].days, targets["SEV1"].business_days) == (3, False)
    assert (targets["SEV2"].days, targets["SEV2"].business_days) == (5, True)
    text = Path(__file__).parent.parent.joinpath("data", "review_targets.toml").read_text()
    assert "pagerduty.com" in text
    assert "atlassian.com" in text


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"SEV1": {"days": "three"}}, r"\[SEV1\] needs days"),
        ({"SEV1": {"days": True}}, r"\[SEV1\] needs days"),
        ({"SEV1": {"days": -1}}, r"\[SEV1\] needs days"),
        ({"SEV1": {"days": 3, "business_days": "yes"}}, "business_days must be true or false"),
        ({"week": ["Mon", "Funday"], "SEV1": {"days": 3}}, "week must list day names"),
    ],
)
def test_a_bad_targets_file_is_refused_naming_the_entry(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_review_targets(raw)


def test_a_team_with_a_friday_saturday_weekend_counts_its_own_business_days() -> None:
    raw = {"week": ["Sun", "Mon", "Tue", "Wed", "Thu"], "SEV2": {"days": 1, "business_days": True}}
    targets = parse_review_targets(raw)
    thursday = datetime(2025, 3, 20, 12, 0, tzinfo=UTC)
    sunday = datetime(2025, 3, 23, 12, 0, tzinfo=UTC)
    held = review_timeliness("SEV2", thursday, sunday, when(31), "Asia/Riyadh", targets)
    assert (held.days, held.state) == (1, Review.ON_TIME)


@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    days=st.integers(min_value=0, max_value=60),
    business=st.booleans(),
    extra=st.integers(min_value=0, max_value=30),
)
def test_the_due_day_is_exactly_the_target_away_and_counting_only_grows(
    start: date, days: int, business: bool, extra: int
) -> None:
    target = ReviewTarget("SEV2", days, business)
    due = add_days(start, target)
    assert count_days(start, due, target) == days
    if days:  # and the day before it falls short: the due day is the first that reaches it
        assert count_days(start, due - timedelta(days=1), target) < days
    later = due + timedelta(days=extra)
    assert count_days(start, later, target) >= days
    assert count_days(start, start - timedelta(days=extra), target) == 0


# Where it is read -------------------------------------------------------------------------


@both_backends
def test_the_meeting_clocks_first_start_is_read_for_every_session_at_once(db: Database) -> None:
    def build(tx):
        first = tx.sessions.create("First", "SEV2").id
        second = tx.sessions.create("Second", "SEV2").id
        tx.sessions.create("Never met", "SEV2")
        tx.meeting.start_run(first, "timeline", when(25))
        tx.meeting.start_run(first, "ground-rules", when(24))
        tx.meeting.start_run(second, "timeline", when(26))
        return first, second

    first, second = db.write(build)
    assert db.read(lambda tx: tx.history.meeting_starts()) == {first: when(24), second: when(26)}
    assert db.read(lambda tx: tx.history.meeting_starts([second])) == {second: when(26)}


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_debrief_list_flags_a_review_overdue_or_late(capsys, db_file: Path) -> None:
    db = open_database(str(db_file), fixed_clock)
    long_ago = datetime(2020, 1, 6, 12, 0, tzinfo=UTC)  # a Monday

    def build(tx):
        tx.sessions.create("Never reviewed", "SEV2", resolved_at=long_ago)
        late = tx.sessions.create("Reviewed late", "SEV1", resolved_at=long_ago).id
        tx.meeting.start_run(late, "ground-rules", long_ago + timedelta(days=10))
        tx.sessions.create("Unresolved", "SEV2")

    db.write(build)
    db.dispose()
    code, out, _ = run(capsys, "list")
    assert code == 0
    review = {line.split("\t")[-1]: line.split("\t")[4] for line in out.splitlines()}
    assert review == {"Never reviewed": "overdue", "Reviewed late": "late", "Unresolved": "-"}
    code, out, _ = run(capsys, "list", "--json")
    items = {i["title"]: i["review"] for i in json.loads(out)}
    assert items["Reviewed late"] == {
        "state": "late",
        "due": "2020-01-09",
        "text": "held 10 days after resolution; target 3 for SEV1: late",
    }
    assert items["Never reviewed"]["state"] == "overdue"
    assert items["Unresolved"] == {
        "state": "unknown",
        "due": None,
        "text": "timing unknown: no resolution time yet",
    }


async def test_the_session_list_flags_overdue_and_late_reviews(db: Database) -> None:
    resolved = FIXED_NOW - timedelta(days=30)

    def build(tx):
        tx.sessions.create("Nobody met about this", "SEV2", resolved_at=resolved)
        met = tx.sessions.create("Met too late", "SEV1", resolved_at=resolved).id
        tx.meeting.start_run(met, "ground-rules", resolved + timedelta(days=9))
        tx.sessions.create("Met in time", "SEV1", resolved_at=resolved, review_at=resolved)
        tx.sessions.create("Just resolved", "SEV2", resolved_at=FIXED_NOW - timedelta(hours=1))

    db.write(build)
    app = app_for(db, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = screen_text(app).splitlines()
    header = next(line for line in lines if "Review" in line and "Title" in line)
    column = header.index("Review")

    def mark(title: str) -> str:
        row = next(line for line in lines if title in line)
        return row[column : column + 9].strip()

    assert mark("Nobody met about this") == "overdue"
    assert mark("Met too late") == "late"
    assert mark("Met in time") == ""
    assert mark("Just resolved") == "due 5d"


async def test_the_wrap_up_says_whether_the_review_was_held_on_time(db: Database, demo) -> None:
    async with stage(db, demo, "wrap-up", size=(80, 24)) as (app, pilot, _screen):
        await settle(pilot)
        text = screen_text(app)
    # The demo was resolved on Friday night and reviewed on Monday.
    assert "Review: held 1 business day after resolution; target 5 for SEV2: on time" in text
