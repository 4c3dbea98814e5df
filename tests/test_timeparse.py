"""Reading the times people type, and showing them in the session's zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from debrief_tui.core.timeline.timeparse import (
    TimeParseError,
    format_input,
    format_when,
    parse_when,
    validate_timezone,
)


@pytest.mark.parametrize(
    ("text", "zone", "expected"),
    [
        ("2025-03-21T09:37:00Z", "UTC", datetime(2025, 3, 21, 9, 37, tzinfo=UTC)),
        ("2025-03-21T09:37:00-07:00", "UTC", datetime(2025, 3, 21, 16, 37, tzinfo=UTC)),
        ("2025-03-21T09:37:00+01:00", "Asia/Tokyo", datetime(2025, 3, 21, 8, 37, tzinfo=UTC)),
        ("2025-03-21 09:37", "UTC", datetime(2025, 3, 21, 9, 37, tzinfo=UTC)),
        ("2025-03-21 09:37", "Europe/Berlin", datetime(2025, 3, 21, 8, 37, tzinfo=UTC)),
        ("2025-07-21 09:37", "Europe/Berlin", datetime(2025, 7, 21, 7, 37, tzinfo=UTC)),
        ("2025-03-21 09:37:15", "UTC", datetime(2025, 3, 21, 9, 37, 15, tzinfo=UTC)),
        ("2025-03-21 9:37", "UTC", datetime(2025, 3, 21, 9, 37, tzinfo=UTC)),
        ("2025-03-21 09:37 PST", "UTC", datetime(2025, 3, 21, 17, 37, tzinfo=UTC)),
        ("2025-03-21 09:37 PDT", "UTC", datetime(2025, 3, 21, 16, 37, tzinfo=UTC)),
        ("2025-03-21 09:37 CEST", "UTC", datetime(2025, 3, 21, 7, 37, tzinfo=UTC)),
        # Abbreviations of the Japanese and Australian postmortems the importer reads.
        ("2025-03-21 09:37 JST", "UTC", datetime(2025, 3, 21, 0, 37, tzinfo=UTC)),
        ("2025-03-21 09:37 AEDT", "UTC", datetime(2025, 3, 20, 22, 37, tzinfo=UTC)),
        ("2025-03-21 09:37 UTC", "Europe/Berlin", datetime(2025, 3, 21, 9, 37, tzinfo=UTC)),
        ("2025-03-21 09:37 GMT", "Europe/Berlin", datetime(2025, 3, 21, 9, 37, tzinfo=UTC)),
        ("2025-03-21 09:37 +01:00", "UTC", datetime(2025, 3, 21, 8, 37, tzinfo=UTC)),
        ("2025-03-21 09:37 UTC+1", "UTC", datetime(2025, 3, 21, 8, 37, tzinfo=UTC)),
        ("2025-03-21 09:37 -0530", "UTC", datetime(2025, 3, 21, 15, 7, tzinfo=UTC)),
        (
            "2025-03-21 09:37 America/New_York",
            "UTC",
            datetime(2025, 3, 21, 13, 37, tzinfo=UTC),
        ),
        ("20250321T093700Z", "UTC", datetime(2025, 3, 21, 9, 37, tzinfo=UTC)),
    ],
)
def test_parses_the_forms_postmortems_use(text: str, zone: str, expected: datetime) -> None:
    assert parse_when(text, zone) == expected


def test_result_is_a_plain_aware_utc_datetime() -> None:
    moment = parse_when("2025-03-21 09:37", "Europe/Berlin")
    assert type(moment) is datetime
    assert moment.tzinfo is UTC


def test_wall_time_skipped_by_dst_moves_forward() -> None:
    # 02:30 does not exist in New York on 2025-03-09: clocks jump from 02:00 to 03:00 EDT.
    assert parse_when("2025-03-09 02:30", "America/New_York") == datetime(
        2025, 3, 9, 7, 30, tzinfo=UTC
    )


def test_ambiguous_wall_time_takes_first_occurrence() -> None:
    # 01:30 happens twice in New York on 2025-11-02; the first is EDT (UTC-4).
    assert parse_when("2025-11-02 01:30", "America/New_York") == datetime(
        2025, 11, 2, 5, 30, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "no time"),
        ("yesterday", "cannot read"),
        ("2025-02-30 10:00", "not a real date"),
        ("2025-03-21", "no time"),
        ("2025-03-21 25:00", "not a real date"),
        ("2025-03-21 10:00 Mars/Olympus", "unknown time zone"),
        ("2025-03-21 10:00 +25:00", "out of range"),
    ],
)
def test_bad_input_gets_a_clear_message(text: str, fragment: str) -> None:
    with pytest.raises(TimeParseError, match=fragment):
        parse_when(text, "UTC")


@given(st.text(max_size=60))
def test_never_raises_anything_but_its_own_error(text: str) -> None:
    try:
        result = parse_when(text, "Europe/Berlin")
    except TimeParseError:
        return
    assert result.tzinfo is UTC


def test_validate_timezone() -> None:
    assert validate_timezone("Europe/Amsterdam") == "Europe/Amsterdam"
    assert validate_timezone("utc") == "UTC"
    with pytest.raises(TimeParseError, match="unknown time zone"):
        validate_timezone("Not/AZone")
    with pytest.raises(TimeParseError):
        validate_timezone("../../etc/passwd")


def test_shown_in_the_sessions_zone_with_its_abbreviation() -> None:
    winter = datetime(2025, 3, 21, 22, 12, tzinfo=UTC)
    summer = datetime(2025, 7, 21, 22, 12, tzinfo=UTC)
    assert format_when(winter, "Europe/Amsterdam") == "2025-03-21 23:12 CET"
    assert format_when(summer, "Europe/Amsterdam") == "2025-07-22 00:12 CEST"
    assert format_input(winter, "America/Los_Angeles") == "2025-03-21 15:12"
    assert format_input(datetime(2025, 1, 1, 0, 0, 5, tzinfo=UTC), "UTC") == "2025-01-01 00:00:05"


@pytest.mark.parametrize(
    "typed",
    [
        "9999-12-31T23:59:59-12:00",  # past the year 9999 in UTC: an OverflowError before
        "0001-01-01T00:00:00+14:00",  # before the year 1 in UTC
        "1900-01-01 00:00 UTC",
        "9999-06-01 12:00",
    ],
)
def test_a_time_outside_1970_to_9998_is_refused_naming_the_value(typed: str) -> None:
    with pytest.raises(
        TimeParseError, match=r"is outside the years debrief keeps \(1970 to 9998\)"
    ):
        parse_when(typed, "UTC")
    assert parse_when("1970-01-01 00:00 UTC").year == 1970
    assert parse_when("9998-12-31 23:59 UTC").year == 9998


@pytest.mark.parametrize(
    ("tz", "expected"),
    [("Europe/Berlin", "Europe/Berlin"), (":America/Chicago", "America/Chicago"),
     ("Etc/UTC", "UTC"), ("Nowhere/Atlantis", "UTC")],
)  # fmt: skip
def test_a_new_session_takes_the_machines_zone(
    monkeypatch: pytest.MonkeyPatch, tz: str, expected: str
) -> None:
    from debrief_tui.core.timeline import machine_zone

    monkeypatch.setenv("TZ", tz)
    assert machine_zone() == expected


def test_today_and_yesterday_are_days_in_the_sessions_zone() -> None:
    """As typed in setup or `debrief new --started`: counted from now where the session is."""
    now = datetime(2025, 3, 22, 0, 30, tzinfo=UTC)  # still the 21st in Los Angeles
    assert parse_when("yesterday 14:05", "Europe/Berlin", now) == datetime(
        2025, 3, 21, 13, 5, tzinfo=UTC
    )
    assert parse_when("today 09:30", "America/Los_Angeles", now) == datetime(
        2025, 3, 21, 16, 30, tzinfo=UTC
    )
    assert parse_when("Today 09:30 UTC", "Europe/Berlin", now) == datetime(
        2025, 3, 22, 9, 30, tzinfo=UTC
    )
