"""The timeline importer against the line shapes real postmortems use.

Shapes are taken from public write-ups: AWS S3 (2017-02-28, aws.amazon.com/message/41926) and
Fastly (2021-06-08, fastly.com/blog/summary-of-june-8-outage), copied into `tests/examples/`, and
the styles of GitLab, Cloudflare, GitHub and Google SRE-workbook timelines (Markdown bullets and
tables, 12-hour clocks with zones, month names, "approx." marks).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo
from zoneinfo import available_timezones as zoneinfo_names

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from debrief_tui.core.timeline.importing import (
    ImportResult,
    format_for,
    guess_kind,
    read_timeline,
)

EXAMPLES = Path(__file__).resolve().parent / "examples"


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def one(
    line: str, zone: str = "UTC", start: date | None = date(2025, 3, 21)
) -> tuple[datetime, str, bool]:
    result = read_timeline(line, "txt", zone, start)
    assert not result.bad, result.bad
    assert len(result.events) == 1, result.events
    event = result.events[0]
    return event.at, event.text, event.approximate


@pytest.mark.parametrize(
    ("line", "at", "text"),
    [
        # ISO-8601 with an offset, and with Z.
        ("2025-03-21T09:37:00-07:00 deploy starts", utc(2025, 3, 21, 16, 37), "deploy starts"),
        ("2025-03-21T16:37Z deploy starts", utc(2025, 3, 21, 16, 37), "deploy starts"),
        # A date then a time, with zone words and abbreviations (AWS S3 style).
        (
            "2017-02-28 9:37AM PST  S3 engineer runs a command",
            utc(2017, 2, 28, 17, 37),
            "S3 engineer runs a command",
        ),
        (
            "2021-06-08 09:47 UTC  initial onset of global disruption",
            utc(2021, 6, 8, 9, 47),
            "initial onset of global disruption",
        ),
        ("2025/03/21 09:37:15 GMT - alert", utc(2025, 3, 21, 9, 37, 15), "alert"),
        # Month names in any common order, with or without commas.
        ("Mar 21, 2025 9:37 am - paged", utc(2025, 3, 21, 9, 37), "paged"),
        ("March 21 2025 09:37 paged", utc(2025, 3, 21, 9, 37), "paged"),
        ("21 March 2025 09:37: paged", utc(2025, 3, 21, 9, 37), "paged"),
        ("21 Mar 2025, 09:37 | paged", utc(2025, 3, 21, 9, 37), "paged"),
        ("2018 October 21 22:52 UTC paged", utc(2018, 10, 21, 22, 52), "paged"),
        ("Tue, Mar 21, 2025 at 9:37 PM EDT: paged", utc(2025, 3, 22, 1, 37), "paged"),
        # 12-hour clocks in their spellings; leading zeros and seconds optional.
        ("9:37AM paged", utc(2025, 3, 21, 9, 37), "paged"),
        ("9:37 am paged", utc(2025, 3, 21, 9, 37), "paged"),
        ("9:37 p.m. paged", utc(2025, 3, 21, 21, 37), "paged"),
        ("12:05 AM paged", utc(2025, 3, 21, 0, 5), "paged"),
        ("12:30 PM paged", utc(2025, 3, 21, 12, 30), "paged"),
        ("09:37:05 paged", utc(2025, 3, 21, 9, 37, 5), "paged"),
        # Zones: abbreviations, offsets, UTC+N, IANA names, US clock zones.
        # (Abbreviations in the season their place uses them; out of season, see below.)
        ("2025-07-01 09:37 CEST paged", utc(2025, 7, 1, 7, 37), "paged"),
        ("2025-07-01 09:37 BST paged", utc(2025, 7, 1, 8, 37), "paged"),
        ("09:37 MDT paged", utc(2025, 3, 21, 15, 37), "paged"),
        ("2025-01-15 09:37 CST paged", utc(2025, 1, 15, 15, 37), "paged"),
        ("09:37 +01:00 paged", utc(2025, 3, 21, 8, 37), "paged"),
        ("09:37 UTC+1 paged", utc(2025, 3, 21, 8, 37), "paged"),
        ("09:37 (UTC-05:30) paged", utc(2025, 3, 21, 15, 7), "paged"),
        ("09:37 Europe/Berlin paged", utc(2025, 3, 21, 8, 37), "paged"),
        ("09:37 PT paged", utc(2025, 3, 21, 16, 37), "paged"),
        # Separators: spaces, dashes, colons, pipes, tabs, an en dash.
        ("09:37\tpaged", utc(2025, 3, 21, 9, 37), "paged"),
        ("09:37 \u2013 paged", utc(2025, 3, 21, 9, 37), "paged"),
        ("09:37 | paged", utc(2025, 3, 21, 9, 37), "paged"),
        # Markdown bullets, checkboxes, bold stamps.
        ("- 09:37 paged", utc(2025, 3, 21, 9, 37), "paged"),
        ("* **09:37 UTC** - paged", utc(2025, 3, 21, 9, 37), "paged"),
        ("1. 09:37 paged", utc(2025, 3, 21, 9, 37), "paged"),
        ("- [x] 09:37 paged", utc(2025, 3, 21, 9, 37), "paged"),
        # A capitalised word pair after the time is text, not a zone.
        (
            "09:37 Server/Client versions mismatch",
            utc(2025, 3, 21, 9, 37),
            "Server/Client versions mismatch",
        ),
        # A range is placed at its start; its end stays in the text, never read as an offset.
        (
            "14:00-14:30 maintenance window",
            utc(2025, 3, 21, 14, 0),
            "maintenance window (until 14:30)",
        ),
    ],
)
def test_line_shapes(line: str, at: datetime, text: str) -> None:
    assert one(line)[:2] == (at, text)


@pytest.mark.parametrize(
    "line",
    [
        "~09:37 paged",
        "± 09:37 paged",
        "about 09:37 paged",
        "approx. 09:37 paged",
        "09:37-ish paged",
        "9:37ish paged",
        "09:37 (approx.) paged",
        "around 9:37am paged",
        "c. 09:37 paged",
    ],
)
def test_approximate_markers_are_kept(line: str) -> None:
    at, text, approximate = one(line)
    assert (at, text, approximate) == (utc(2025, 3, 21, 9, 37), "paged", True)


def test_both_shared_examples_import_completely() -> None:
    for slug in ("aws-s3-2017-02-28-us-east-1", "fastly-2021-06-08-global-outage"):
        expected = json.loads((EXAMPLES / f"{slug}.json").read_text())
        text = (EXAMPLES / f"{slug}.timeline.txt").read_text()
        result = read_timeline(text, "txt", "UTC")
        assert result.bad == []
        assert len(result.events) == expected["expected"]["timeline_events"]
        wanted = [datetime.fromisoformat(e["at"]) for e in expected["timeline"]]
        assert [e.at for e in result.events] == wanted


def test_time_only_lines_take_the_date_before_and_roll_past_midnight() -> None:
    text = "2025-03-21 23:50 deploy\n23:58 alert fires\n00:10 rollback\n00:05 paged again?"
    result = read_timeline(text, "txt", "UTC")
    assert [e.at for e in result.events] == [
        utc(2025, 3, 21, 23, 50),
        utc(2025, 3, 21, 23, 58),
        utc(2025, 3, 22, 0, 10),
        utc(2025, 3, 23, 0, 5),  # backwards again: another day
    ]


def test_time_only_lines_use_the_session_start_date() -> None:
    result = read_timeline("09:00 first\n10:00 second", "txt", "UTC", date(2024, 2, 29))
    assert [e.at for e in result.events] == [utc(2024, 2, 29, 9), utc(2024, 2, 29, 10)]


def test_without_any_date_the_line_is_bad_not_guessed() -> None:
    result = read_timeline("09:00 first", "txt", "UTC", None)
    assert result.events == []
    assert "no date" in result.bad[0].reason


def test_a_line_without_a_time_continues_the_event_before() -> None:
    result = read_timeline(
        "09:00 first part\n  and the rest of it\n10:00 next", "txt", "UTC", date(2025, 1, 1)
    )
    assert [e.text for e in result.events] == ["first part and the rest of it", "next"]


def test_markdown_with_headings_zone_note_and_a_table() -> None:
    text = """# Timeline
All times are in PDT.

## March 21, 2025
- **23:50** - Deploy of v2.3 starts
- 23:58: Error rate alert fires

| Time (UTC) | Kind | Event |
|------------|------|-------|
| 2025-03-22 08:00 | comms | Customers emailed \\| apologies |
| 08:30 | | all clear, resolved |
"""
    result = read_timeline(text, "md", "Europe/Amsterdam")
    assert result.bad == []
    assert [(e.at, e.text, e.kind) for e in result.events] == [
        (utc(2025, 3, 22, 6, 50), "Deploy of v2.3 starts", "action"),
        (utc(2025, 3, 22, 6, 58), "Error rate alert fires", "alert"),
        (utc(2025, 3, 22, 8, 0), "Customers emailed | apologies", "comms"),
        (utc(2025, 3, 22, 8, 30), "all clear, resolved", "resolution"),
    ]


def test_a_table_with_date_and_time_columns() -> None:
    text = "| Date | Time | What |\n|---|---|---|\n| 2025-03-21 | 09:37 | paged |"
    result = read_timeline(text, "md", "UTC")
    assert [(e.at, e.text) for e in result.events] == [(utc(2025, 3, 21, 9, 37), "paged")]


def test_daylight_saving_boundaries_in_the_session_zone() -> None:
    # Europe/Amsterdam moved from CET to CEST at 02:00 on 2025-03-30.
    text = "2025-03-30 01:30 before\n03:30 after"
    result = read_timeline(text, "txt", "Europe/Amsterdam")
    assert [e.at for e in result.events] == [utc(2025, 3, 30, 0, 30), utc(2025, 3, 30, 1, 30)]
    # 02:30 does not exist that night: read with the offset before the jump, as clocks do.
    skipped = read_timeline("2025-03-30 02:30 odd", "txt", "Europe/Amsterdam")
    assert skipped.events[0].at == utc(2025, 3, 30, 1, 30)
    # 02:30 happens twice on 2025-10-26: its first occurrence (CEST) is taken.
    twice = read_timeline("2025-10-26 02:30 twice", "txt", "Europe/Amsterdam")
    assert twice.events[0].at == utc(2025, 10, 26, 0, 30)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("25:10 nonsense", "not a time of day"),
        ("13:00 PM paged", "12-hour clock"),
        ("Feb 30, 2025 09:00 paged", "not a real date"),
        ("09:37 UTC+15 paged", "out of range"),
        ("2025-03-21 09:37", "no text"),
        ("no time here at all", "no time found"),
    ],
)
def test_bad_lines_say_why(line: str, reason: str) -> None:
    result = read_timeline(line, "txt", "UTC", date(2025, 3, 21))
    assert result.events == []
    assert reason in result.bad[0].reason
    assert result.bad[0].line == 1


def test_every_bad_line_is_reported_with_its_number() -> None:
    text = "09:00 fine\n25:00 bad\n10:00 fine\nFeb 31 2025 10:00 bad"
    result = read_timeline(text, "txt", "UTC", date(2025, 1, 1))
    assert [b.line for b in result.bad] == [2, 4]
    assert len(result.events) == 2


def test_csv_with_header_kind_and_multiline_cells() -> None:
    text = (
        "Timestamp,Description,Type\n"
        '2025-03-21 09:37 UTC,"Paged, on-call",alert\n'
        '09:40,"two\nlines",\n'
    )
    result = read_timeline(text, "csv", "UTC")
    assert result.bad == []
    assert [(e.at, e.text, e.kind, e.kind_guessed) for e in result.events] == [
        (utc(2025, 3, 21, 9, 37), "Paged, on-call", "alert", False),
        (utc(2025, 3, 21, 9, 40), "two lines", "observation", True),
    ]


def test_csv_without_the_needed_columns_names_them() -> None:
    result = read_timeline("when?,what?\n1,2\n", "csv", "UTC")
    assert result.events == []
    assert "time column" in result.bad[0].reason


def test_csv_time_cell_must_be_only_a_time() -> None:
    result = read_timeline("at,text\n09:37 garbage,x\n", "csv", "UTC", date(2025, 1, 1))
    assert result.bad[0].line == 2
    assert "cannot read the time" in result.bad[0].reason


def test_json_list_and_debrief_export_shape() -> None:
    items = [
        {"at": "2025-03-21T09:37:00+01:00", "text": "a", "kind": "alert", "key": True},
        {"at": "2025-03-21 10:00", "text": "b", "approximate": True},
    ]
    for data in (items, {"timeline": items}):
        result = read_timeline(json.dumps(data), "json", "UTC")
        assert result.bad == []
        first, second = result.events
        assert (first.at, first.kind, first.key_event) == (utc(2025, 3, 21, 8, 37), "alert", True)
        assert (second.at, second.approximate) == (utc(2025, 3, 21, 10), True)


def test_json_problems_are_numbered_items() -> None:
    data = [
        {"at": "x", "text": "b"},
        {"text": "no time"},
        5,
        {"at": "2025-01-01 09:00", "text": "t", "kind": "nope"},
    ]
    result = read_timeline(json.dumps(data), "json", "UTC")
    assert result.unit == "item"
    assert [b.line for b in result.bad] == [1, 2, 3, 4]
    assert "unknown kind" in result.bad[3].reason
    broken = read_timeline('[{"at": ', "json", "UTC")
    assert "not valid JSON" in broken.bad[0].reason


def test_kind_guess_from_words() -> None:
    assert guess_kind("PagerDuty paged the on-call engineer") == "alert"
    assert guess_kind("Status page updated: investigating") == "status page"
    assert guess_kind("Rolled back to v2.2") == "action"
    assert guess_kind("Incident resolved") == "resolution"
    assert guess_kind("Customers emailed") is None or guess_kind("Customers emailed") == "comms"
    assert guess_kind("Database CPU at 100%") is None


def test_format_from_file_ending() -> None:
    assert format_for("t.CSV", None) == "csv"
    assert format_for("t.markdown", None) == "md"
    assert format_for("-", None) == "txt"
    assert format_for("t.csv", "json") == "json"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["txt", "md", "csv", "json"]))
def test_never_raises_on_arbitrary_text(text: str, fmt: str) -> None:
    result = read_timeline(text, fmt, "Europe/Amsterdam", date(2025, 3, 21))
    for event in result.events:
        assert event.at.tzinfo is not None
        assert event.text.strip()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "~", "- ", "* **", "2025-03-21 ", "Mar 21, 2025 ", "about "]),
            st.integers(0, 30),
            st.integers(0, 70),
            st.sampled_from(["", " UTC", " PST", " +01:00", " Europe/Paris", "am", " PM", " XYZ"]),
            st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=30),
        ),
        max_size=20,
    )
)
def test_never_raises_on_time_like_lines(parts: list[tuple[str, int, int, str, str]]) -> None:
    text = "\n".join(f"{a}{h}:{m:02d}{z} {t}" for a, h, m, z, t in parts)
    read_timeline(text, "md", "UTC", date(2025, 3, 21))


def test_a_csv_quote_never_closed_is_refused_at_its_line() -> None:
    text = 'time,text\n10:00,first\n10:05,"never closed\n10:10,third\n'
    result = read_timeline(text, "csv", "UTC", date(2025, 3, 21))
    assert [(bad.line, bad.reason) for bad in result.bad] == [
        (3, "a quote opened on this line is never closed")
    ]
    ok = read_timeline(
        'time,text\n10:05,"two\nlines"\n10:10,third\n', "csv", "UTC", date(2025, 3, 21)
    )
    assert (len(ok.events), ok.bad) == (2, [])


@pytest.mark.parametrize(
    ("text", "fmt", "shown"),
    [
        ("9999-12-31 23:59 the end of time", "txt", "'9999-12-31 23:59:00'"),
        ("0001-01-01 00:00 the start", "txt", "'0001-01-01 00:00:00'"),
        ("time,event\n9999-12-31T23:59:59-12:00,late\n", "csv", "'9999-12-31 23:59:59'"),
    ],
)
def test_a_time_outside_the_years_kept_is_a_bad_line_naming_it(
    text: str, fmt: str, shown: str
) -> None:
    result = read_timeline(text, fmt, "UTC")
    assert result.events == []
    assert result.bad[0].reason == f"{shown} is outside the years debrief keeps (1970 to 9998)"


# The shapes of issue 16: real pastes from postmortems and status pages ----------------------


def read(
    text: str, zone: str = "UTC", start: date | None = date(2025, 3, 21), fmt: str = "md"
) -> ImportResult:
    """The result, which must refuse nothing."""
    result = read_timeline(text, fmt, zone, start)
    assert result.bad == [], result.bad
    return result


def noted(result: ImportResult) -> str:
    """Every note of `result`, one a line, as the command line prints them."""
    return "\n".join(note.describe() for note in result.notes)


@pytest.mark.parametrize(
    ("line", "at", "text", "approximate"),
    [
        # Stamps in brackets.
        ("[2021-03-04 11:05 UTC] text", utc(2021, 3, 4, 11, 5), "text", False),
        ("[2021-03-04 11:05 UTC]: text", utc(2021, 3, 4, 11, 5), "text", False),
        ("● [2025-03-31 15:09 UTC]: First", utc(2025, 3, 31, 15, 9), "First", False),
        ("(14:02 UTC) text", utc(2025, 3, 21, 14, 2), "text", False),
        # A stamp opening a sentence; "Around" is approximate, "By" a bound.
        ("At 08:12, text", utc(2025, 3, 21, 8, 12), "text", False),
        ("At 11:48 UTC, our alerting fired", utc(2025, 3, 21, 11, 48), "our alerting", False),
        ("Around 09:10 PT we rolled back", utc(2025, 3, 21, 16, 10), "we rolled back", True),
        ("By 11:30 all clear", utc(2025, 3, 21, 11, 30), "all clear", True),
        ("At approximately 15:00 UTC, certs expired", utc(2025, 3, 21, 15), "certs", True),
        # A date and a time joined by " - " or " at ".
        ("Feb 12, 2020 - 14:21 UTC: text", utc(2020, 2, 12, 14, 21), "text", False),
        ("March 2 at 9:37 PM PST paged", utc(2025, 3, 3, 5, 37), "paged", False),
        ("24-10-2024 - 08:15 - A member", utc(2024, 10, 24, 8, 15), "A member", False),
        # A comma or a dash right after the time.
        ("08:12, text", utc(2025, 3, 21, 8, 12), "text", False),
        ("11:02 UTC \u2013 text", utc(2025, 3, 21, 11, 2), "text", False),
        ("Nov. 25, 12:18 UTC \u2013\u2013 Further", utc(2025, 11, 25, 12, 18), "Further", False),
        # 12-hour clocks, -ish and other words of doubt.
        ("6pm x", utc(2025, 3, 21, 18), "x", False),
        ("11:27pm y", utc(2025, 3, 21, 23, 27), "y", False),
        ("7:32 PM - z", utc(2025, 3, 21, 19, 32), "z", False),
        ("At 2017/01/31 11pm-ish UTC, team", utc(2017, 1, 31, 23), "team", True),
        ("22:52 (maybe earlier?) idea", utc(2025, 3, 21, 22, 52), "idea", True),
        # A label before the stamp stays with the text.
        (
            "Start: 2016/01/14 07:25 - Vendor alerts",
            utc(2016, 1, 14, 7, 25),
            "Start: Vendor",
            False,
        ),
        # The day after the time; the zone run into the text by a lost separator.
        ("22:30 UTC (Oct 29) - Incident", utc(2025, 10, 29, 22, 30), "Incident", False),
        ("17:02 UTCUnrelated deployment", utc(2025, 3, 21, 17, 2), "Unrelated", False),
        # A time said again in another zone is part of the stamp.
        ("12:48 (5:48 PDT): The last block", utc(2025, 3, 21, 12, 48), "The last", False),
    ],
)
def test_the_line_shapes_of_published_timelines(
    line: str, at: datetime, text: str, approximate: bool
) -> None:
    result = read(line)
    assert len(result.events) == 1
    event = result.events[0]
    assert (event.at, event.approximate) == (at, approximate)
    assert event.text.startswith(text)


@pytest.mark.parametrize(
    ("note", "zone", "at"),
    [
        ("All times are in UTC", "America/Los_Angeles", utc(2025, 3, 21, 9)),
        ("Note: the times below are in the UTC timezone.", "Asia/Tokyo", utc(2025, 3, 21, 9)),
        ("All times are Eastern, on the 3rd of March.", "UTC", utc(2025, 3, 3, 14)),
        ("Times below are Pacific", "UTC", utc(2025, 3, 21, 16)),
        ("(all times PDT)", "UTC", utc(2025, 3, 21, 16)),
        ("All times in CET (GMT+1)", "UTC", utc(2025, 3, 21, 8)),
        ("*(All times US/Pacific, 24-hour clock.)*", "UTC", utc(2025, 3, 21, 16)),
        ("All times in UC/Pacific", "UTC", utc(2025, 3, 21, 16)),
        (
            "Unless otherwise noted all events happened on 2019-10-21, and all times are in UTC.",
            "Europe/Paris",
            utc(2019, 10, 21, 9),
        ),
        # (09:00 in Tokyo on 22 March is 21 March, the start day, in Los Angeles.)
        ("## Timeline (Japan time)", "America/Los_Angeles", utc(2025, 3, 22, 0)),
        ("## Timeline (UTC) All Times Approximate", "America/Los_Angeles", utc(2025, 3, 21, 9)),
        ("All times in Asia/Kolkata.", "UTC", utc(2025, 3, 21, 3, 30)),
    ],
)
def test_a_zone_or_date_note_sets_what_follows_and_is_no_event(
    note: str, zone: str, at: datetime
) -> None:
    result = read(f"{note}\n\n- 09:00 deploy\n", zone)
    assert [e.at for e in result.events] == [at]
    assert "as line 1 says" in noted(result)
    assert result.events[0].approximate == ("Approximate" in note)


def test_a_zone_note_below_an_event_is_a_note_only_when_it_opens_as_one() -> None:
    result = read("09:00 paged\nthe alert time was 10:05 UTC, said the log\n10:00 fixed")
    assert result.events[0].text == "paged the alert time was 10:05 UTC, said the log"
    later = read("09:00 paged\nAll times below are PDT.\n10:00 fixed")
    assert [e.at for e in later.events] == [utc(2025, 3, 21, 9), utc(2025, 3, 21, 17)]


@pytest.mark.parametrize(
    ("text", "zone", "at", "said"),
    [
        # PST written in July in Los Angeles: the Los Angeles clock (PDT), said in a note.
        (
            "2018-07-06 19:00 PST heat",
            "America/Los_Angeles",
            utc(2018, 7, 7, 2),
            "PST written while America/Los_Angeles keeps PDT",
        ),
        # The same, in a session elsewhere: the place PST belongs to.
        (
            "2018-07-06 19:00 PST heat",
            "UTC",
            utc(2018, 7, 7, 2),
            "PST written while Los Angeles keeps PDT",
        ),
        # GMT in a British summer, in a London session: the UK clock.
        (
            "2025-10-20 09:15 GMT down",
            "Europe/London",
            utc(2025, 10, 20, 8, 15),
            "GMT written while Europe/London keeps BST",
        ),
        # CET in a Danish June, from a note.
        (
            "All times in CET.\n2020-06-09 11:00 start",
            "Europe/Copenhagen",
            utc(2020, 6, 9, 9),
            "CET written while Europe/Copenhagen keeps CEST",
        ),
    ],
)
def test_an_abbreviation_out_of_season_is_the_place_s_clock_and_said(
    text: str, zone: str, at: datetime, said: str
) -> None:
    result = read(text, zone)
    assert [e.at for e in result.events] == [at]
    assert said in noted(result)


@pytest.mark.parametrize(
    ("text", "zone", "at"),
    [
        ("2025-07-01 09:15 GMT x", "UTC", utc(2025, 7, 1, 9, 15)),  # GMT is UTC's name too
        ("2025-07-01 09:15 MST x", "UTC", utc(2025, 7, 1, 16, 15)),  # Arizona, all year
        ("2025-03-21 10:12 CST x", "Asia/Shanghai", utc(2025, 3, 21, 2, 12)),  # China's CST
        ("2025-03-21 10:12 IST x", "Asia/Kolkata", utc(2025, 3, 21, 4, 42)),  # its own name
        ("2025-10-26 02:30 CEST first", "Europe/Berlin", utc(2025, 10, 26, 0, 30)),
        ("2025-10-26 02:30 CET second", "Europe/Berlin", utc(2025, 10, 26, 1, 30)),
    ],
)
def test_an_abbreviation_in_season_is_read_as_written(text: str, zone: str, at: datetime) -> None:
    result = read(text, zone)
    assert [e.at for e in result.events] == [at]
    assert "written while" not in noted(result)


def test_a_status_page_log_is_one_event_per_update_in_time_order() -> None:
    text = """Resolved
This incident has been resolved.
Posted Jan 12, 2022 - 14:05 PST

Monitoring
A fix has been implemented. At 10:00 UTC the errors began.
Posted Jan 12, 2022 - 13:20 PST
Investigating
We are investigating.
Posted Jan 12, 2022 - 12:58 PST
This incident affected: API.
"""
    result = read(text, "Europe/Berlin", None)
    assert [(e.at, e.status, e.kind, e.text[:12]) for e in result.events] == [
        (utc(2022, 1, 12, 20, 58), "investigating", "status page", "We are inves"),
        (utc(2022, 1, 12, 21, 20), "monitoring", "status page", "A fix has be"),
        (utc(2022, 1, 12, 22, 5), "resolved", "resolution", "This inciden"),
    ]
    assert not any(e.kind_guessed for e in result.events)
    said = noted(result)
    assert "lines 3-10: written newest first: put in time order" in said
    assert "line 11: left out: after the last update" in said


@pytest.mark.parametrize(
    "header",
    [
        "| Date | Time (UTC) | Event |",
        "| Time (UTC) | Date | Event |",
        "| Event | Date | time (UTC) |",
        "| Date | Time, UTC | Event |",
    ],
)
def test_a_table_honours_the_zone_in_its_header_wherever_the_time_is(header: str) -> None:
    cells = {"date": "2025-03-21", "time": "09:37", "event": "paged"}
    names = [c.strip().split()[0].rstrip(",").lower() for c in header.strip("|").split("|")]
    row = "| " + " | ".join(cells[n] for n in names) + " |"
    # The session is 7 hours from UTC: read in the session's zone it would be 7 hours late.
    result = read(f"{header}\n|---|---|---|\n{row}\n", "America/Los_Angeles", None)
    assert [(e.at, e.text) for e in result.events] == [(utc(2025, 3, 21, 9, 37), "paged")]
    assert "as the header" in noted(result)


def test_a_table_header_naming_the_zone_in_words() -> None:
    text = "| Date and Time in CET | Event |\n|:--|--|\n|  2019-12-04 00:30  | deleted |"
    result = read(text, "UTC", None)
    assert [e.at for e in result.events] == [utc(2019, 12, 3, 23, 30)]


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("Date,time (UTC),Event\n2025-03-21,09:37,paged\n", utc(2025, 3, 21, 9, 37)),
        ("time (UTC),date,what\n09:37,2025-03-21,paged\n", utc(2025, 3, 21, 9, 37)),
        ("Event,Timestamp\npaged,2025-03-21T09:37:00+01:00\n", utc(2025, 3, 21, 8, 37)),
    ],
)
def test_csv_in_any_column_order_with_the_zone_in_a_header(text: str, at: datetime) -> None:
    result = read(text, "America/Los_Angeles", None, "csv")
    assert [(e.at, e.text) for e in result.events] == [(at, "paged")]


def test_a_list_newest_first_is_read_as_one_and_put_in_order() -> None:
    text = "- 14:05 UTC resolved\n- 13:40 UTC fix deployed\n- 12:10 UTC paged\n- 11:55 UTC alert"
    result = read(text)
    assert [e.at for e in result.events] == [
        utc(2025, 3, 21, 11, 55),
        utc(2025, 3, 21, 12, 10),
        utc(2025, 3, 21, 13, 40),
        utc(2025, 3, 21, 14, 5),
    ]  # never one day per line
    assert "times go backwards: read as a list newest first" in noted(result)
    assert "written newest first: put in time order" in noted(result)


def test_a_list_newest_first_across_midnight_starts_on_the_session_s_day() -> None:
    result = read("- 01:10 resolved\n- 00:30 fix\n- 23:50 paged\n- 23:10 alert")
    assert [e.at for e in result.events] == [
        utc(2025, 3, 21, 23, 10),
        utc(2025, 3, 21, 23, 50),
        utc(2025, 3, 22, 0, 30),
        utc(2025, 3, 22, 1, 10),
    ]


def test_a_list_oldest_first_across_midnight_rolls_over_once_and_says_so() -> None:
    result = read("22:08 UTC - reoccurs\n22:32 UTC - ends\n02:30 UTC - more changes")
    assert [e.at.day for e in result.events] == [21, 21, 22]
    assert "the clock goes back from 22:32 to 02:30: read as the next day" in noted(result)


def test_times_in_two_zones_compare_by_the_moment() -> None:
    result = read("At 11:48 UTC, alerting fired\nAround 09:10 PT we rolled back")
    assert [e.at for e in result.events] == [utc(2025, 3, 21, 11, 48), utc(2025, 3, 21, 16, 10)]


def test_the_session_s_start_day_is_a_day_in_the_session_s_zone() -> None:
    # An incident that started at 19:00 in Los Angeles on 20 March is at 02:00 UTC on 21 March.
    result = read("02:00 UTC first\n03:00 UTC second", "America/Los_Angeles", date(2025, 3, 20))
    assert [e.at for e in result.events] == [utc(2025, 3, 21, 2), utc(2025, 3, 21, 3)]
    assert "the session's start day, 2025-03-20 in America/Los_Angeles" in noted(result)


def test_headings_dates_and_a_heading_per_event() -> None:
    text = """## Timeline

**Timeline:**

### October 21, 2025 - Redis Overload

- **21:45 UTC** - Deploy timeout handling change

### October 24, 2025 - Rate Limiting

### 4:27 PM UTC

Found the repository.

It was legitimate.

### 2021-06-29 18:30 UTC

@someone completes the hotfix
"""
    result = read(text, "UTC", None)
    assert [(e.at, e.text) for e in result.events] == [
        (utc(2025, 10, 21, 21, 45), "Deploy timeout handling change"),
        (utc(2025, 10, 24, 16, 27), "Found the repository. It was legitimate."),
        (utc(2021, 6, 29, 18, 30), "@someone completes the hotfix"),
    ]


def test_a_heading_with_a_time_and_a_title_continues_with_its_paragraph() -> None:
    result = read("### 07:30am - First report\n\nWe hear reports of slow launches.")
    assert [e.text for e in result.events] == ["First report: We hear reports of slow launches."]


def test_a_heading_without_a_readable_time_is_noted_with_its_text() -> None:
    text = "### 19:52\nBack up.\n### 2X:XX (not sure exact time)\nDown again.\n### 21:57\nFound it."
    result = read(text)
    assert [e.text for e in result.events] == ["Back up.", "Found it."]
    said = noted(result)
    assert "line 3: a heading with no time that can be read" in said
    assert "line 4: left out: under the heading on line 3" in said


def test_what_is_not_an_event_never_blocks() -> None:
    text = """Timeline of Events

On January 31st an engineer started setting up servers in staging.

links to grafana during incident window:

- [overview](https://grafana.example/d/1?from=1594299600000)

![outage](https://example.com/chart.png)

- 17:20 UTC: snapshot taken
```
2025-03-21T17:21:00Z ERROR log line that is not an event
```
- 19:00 UTC: load increases
---
[name]: https://example.com/name
"""
    result = read(text)
    assert [e.text for e in result.events] == ["snapshot taken", "load increases"]
    said = noted(result)
    assert "line 3: not an event (no time at its start): left out" in said
    assert "lines 12-14: a code block: left out" in said


def test_a_table_with_no_time_column_is_left_out_with_a_note() -> None:
    result = read("| Impact | Value |\n|---|---|\n| Duration | 2 hours |\n\n09:00 paged")
    assert [e.text for e in result.events] == ["paged"]
    assert "line 3: a table with no time column (its header on line 1): left out" in noted(result)


def test_a_fragment_without_a_time_before_any_event_is_a_bad_line() -> None:
    text = "checked the logs\n- restarted\n09:00 fixed"
    result = read_timeline(text, "txt", "UTC", date(2025, 3, 21))
    assert [(b.line, b.reason) for b in result.bad] == [
        (1, "no time found at the start of the line"),
        (2, "no time found at the start of the line"),
    ]
    # ...and below the events, such a list (action items, say) is left out with a note.
    later = read("09:00 fixed\n\n## Action items\n- add monitoring\n- Fix the runbook")
    assert "lines 4-5: not an event" in noted(later)


def test_a_fenced_list_before_any_event_is_the_timeline() -> None:
    result = read("## Timeline (Japan time)\n\n```\n21:48: block farmed\n02:18: release\n```\n")
    assert [e.at for e in result.events] == [utc(2025, 3, 21, 12, 48), utc(2025, 3, 21, 17, 18)]


def test_a_date_without_a_time_is_noted_not_imported() -> None:
    result = read("01-10-2024\n\n7:32 PM - The chain stalled.\n\n01-31-2024 - The fix was added.")
    assert [e.at for e in result.events] == [utc(2024, 1, 10, 19, 32)]
    said = noted(result)
    assert "line 5: a date without a time of day: not imported" in said
    assert "'01-10-2024' read as 10 January 2024 (as the other dates here are written)" in said


def test_numeric_dates_take_their_order_from_the_dates_that_read_one_way() -> None:
    day_first = read("16-10-2024 11:58 merged\n01-10-2024 02:00 released")
    assert [e.at.date() for e in day_first.events] == [date(2024, 10, 1), date(2024, 10, 16)]
    alone = read("01-10-2024 02:00 released", "UTC", date(2024, 1, 9))
    assert [e.at.date() for e in alone.events] == [date(2024, 1, 10)]  # nearer the start


def test_a_time_said_again_in_another_zone_that_disagrees_is_noted() -> None:
    result = read("## Timeline (UTC)\n- 12:48 (6:48 PDT): The last block was farmed")
    assert [e.at for e in result.events] == [utc(2025, 3, 21, 12, 48)]
    assert "12:48 in UTC and 6:48 PDT are 1 hour apart" in noted(result)


def test_a_long_paragraph_below_an_event_is_cut_with_a_note_never_refused() -> None:
    text = "09:00 traceback follows\n" + "\n".join(["word " * 60] * 20)
    result = read(text)
    assert len(result.events[0].text) <= 2000
    assert "is cut at 2,000 characters" in noted(result)


def test_notes_name_their_lines_as_ranges_of_neighbouring_events() -> None:
    result = read("09:00 a\n\nprose between.\n10:00 b\n11:00 c", "Europe/Berlin")
    zone_note = next(n for n in result.notes if "session's zone" in n.text)
    assert zone_note.lines == (1, 4, 5)
    assert zone_note.describe().startswith("lines 1-5: no zone given")


# Round trips: what debrief exports, and every shape above, comes back to the same instants ---

_ZONES = sorted(
    name
    for name in zoneinfo_names()
    if "/" in name and not name.startswith(("Etc/", "SystemV/", "posix/", "right/"))
)
_EDGES = [  # an hour or so before clocks change in Europe, the US, Australia, New Zealand
    datetime(2025, 3, 29, 22, 30, tzinfo=UTC),
    datetime(2025, 10, 25, 22, 30, tzinfo=UTC),
    datetime(2025, 3, 9, 4, 0, tzinfo=UTC),
    datetime(2025, 11, 2, 3, 0, tzinfo=UTC),
    datetime(2025, 4, 5, 12, 0, tzinfo=UTC),
    datetime(2025, 9, 27, 11, 0, tzinfo=UTC),
]
_WORDS = ["Deploy", "Alert", "Rollback", "Customers", "Database", "Engineers", "Traffic"]
_TEXTS = st.builds(
    lambda first, rest: " ".join([first, *rest]),
    st.sampled_from(_WORDS),
    st.lists(st.sampled_from(["of", "the", "api", "fired", "back", "slow", "fix"]), max_size=4),
)
_BASES = st.one_of(
    st.sampled_from(_EDGES),
    st.datetimes(datetime(2000, 1, 1), datetime(2035, 12, 31)).map(
        lambda d: d.replace(second=0, microsecond=0, tzinfo=UTC)
    ),
)


@st.composite
def _incidents(draw: st.DrawFn, span_minutes: int = 660) -> list[tuple[datetime, str]]:
    """3 to 8 events of one incident, to the minute, oldest first, within `span_minutes`."""
    base = draw(_BASES)
    steps = draw(st.lists(st.integers(0, span_minutes), min_size=3, max_size=8, unique=True))
    texts = draw(st.lists(_TEXTS, min_size=len(steps), max_size=len(steps)))
    return [(base + timedelta(minutes=m), t) for m, t in zip(sorted(steps), texts, strict=True)]


def _local(at: datetime, zone_name: str) -> datetime:
    return at.astimezone(ZoneInfo(zone_name))


def _unambiguous(events: list[tuple[datetime, str]], zone_name: str) -> bool:
    """Whether every wall time, written without its zone, names one moment."""
    for at, _ in events:
        wall = _local(at, zone_name).replace(tzinfo=None)
        if wall.replace(tzinfo=ZoneInfo(zone_name), fold=1).astimezone(UTC) != at:
            return False
        if wall.replace(tzinfo=ZoneInfo(zone_name), fold=0).astimezone(UTC) != at:
            return False
    return True


def _dated(
    events: list[tuple[datetime, str]],
    zone_name: str,
    line: Callable[[datetime, str], str],
    heading: Callable[[datetime], str],
) -> str:
    """Lines of `events` with a date line above each new local day."""
    out: list[str] = []
    day: date | None = None
    for at, text in events:
        local = _local(at, zone_name)
        if local.date() != day:
            day = local.date()
            out.append(heading(local))
        out.append(line(local, text))
    return "\n".join(out)


def _shape(
    name: str, events: list[tuple[datetime, str]], zone_name: str
) -> tuple[str, str, str, date | None]:
    """`events` written in shape `name`: (text, format, session zone to read in, start day)."""
    utc_rows = [(at.astimezone(UTC), text) for at, text in events]
    start = _local(events[0][0], zone_name).date()
    if name == "brackets":
        lines = [f"[{at:%Y-%m-%d %H:%M} UTC] {text}" for at, text in utc_rows]
        return "\n".join(lines), "txt", zone_name, None
    if name == "brackets with offsets":
        text = _dated(
            events, zone_name, lambda t, x: f"- ({t:%H:%M} {t:%z}) {x}", lambda t: f"{t:%Y-%m-%d}"
        )
        return text, "md", "UTC", None
    if name == "at sentences":
        lines = [f"At {at:%B %d, %Y} {at:%I:%M %p} UTC, {text}" for at, text in utc_rows]
        return "\n\n".join(lines), "txt", zone_name, None
    if name == "at sentences under a zone note":
        body = _dated(
            events, zone_name, lambda t, x: f"At {t:%H:%M}, {x}", lambda t: f"## {t:%B %d, %Y}"
        )
        return f"All times are in {zone_name}.\n\n{body}", "md", "UTC", None
    if name == "table in the header's zone":
        rows = [f"| {text} | {_local(at, zone_name):%Y-%m-%d %H:%M} |" for at, text in events]
        head = f"| Event | Time ({zone_name}) |\n| --- | --- |\n"
        return head + "\n".join(rows), "md", "UTC", None
    if name.startswith("table"):
        columns = {
            "table date time": ("Date", "Time (UTC)", "Event"),
            "table time date": ("Time (UTC)", "Date", "Event"),
            "table event date time": ("Event", "Date", "time (UTC)"),
        }[name]
        cell = {"Date": "{at:%Y-%m-%d}", "Event": "{text}"}
        rows = [
            "| "
            + " | ".join(cell.get(c, "{at:%H:%M}").format(at=at, text=text) for c in columns)
            + " |"
            for at, text in utc_rows
        ]
        head = "| " + " | ".join(columns) + " |\n|---|---|---|\n"
        return head + "\n".join(rows), "md", zone_name, None
    if name == "csv":
        rows = [f"{at:%Y-%m-%d},{at:%H:%M},{text}" for at, text in utc_rows]
        return "date,time (UTC),event\n" + "\n".join(rows) + "\n", "csv", zone_name, None
    if name == "csv with offsets":
        rows = [f"{text},{_local(at, zone_name).isoformat()}" for at, text in events]
        return "Event,Timestamp\n" + "\n".join(rows) + "\n", "csv", "UTC", None
    if name == "status log newest first":
        blocks = [
            f"Update\n{text}.\nPosted {at:%b %d, %Y - %H:%M} UTC" for at, text in utc_rows[::-1]
        ]
        return "\n".join(blocks), "txt", zone_name, None
    if name == "list newest first":
        lines = [f"- {_local(at, zone_name):%H:%M} \u2013 {text}" for at, text in events[::-1]]
        return "\n".join(lines), "md", zone_name, start
    if name == "list newest first in UTC":
        lines = [f"- {at:%H:%M} UTC \u2013 {text}" for at, text in utc_rows[::-1]]
        return "\n".join(lines), "md", zone_name, start
    if name == "list oldest first in UTC":
        lines = [f"{at:%H:%M} UTC - {text}" for at, text in utc_rows]
        return "\n".join(lines), "txt", zone_name, start
    if name == "list oldest first":
        lines = [f"{_local(at, zone_name):%H:%M} {text}" for at, text in events]
        return "\n".join(lines), "txt", zone_name, start
    raise AssertionError(name)


_SHAPES = [
    "brackets",
    "brackets with offsets",
    "at sentences",
    "at sentences under a zone note",
    "table date time",
    "table time date",
    "table event date time",
    "table in the header's zone",
    "csv",
    "csv with offsets",
    "status log newest first",
    "list newest first",
    "list newest first in UTC",
    "list oldest first",
    "list oldest first in UTC",
]
_LOCAL_WALLS = {"at sentences under a zone note", "table in the header's zone"}
_LOCAL_WALLS |= {"list newest first", "list oldest first"}
_START_DAY_IN_UTC = {"list newest first in UTC", "list oldest first in UTC"}


def _one_reading(events: list[tuple[datetime, str]], zone_name: str) -> bool:
    """Whether times in UTC without a date fall on the session's start day (a day in its own
    zone) on one UTC day only: 22:30 UTC is on 26 October in Belgrade on the 25th and on the
    26th alike, and the importer takes the day as written then."""
    oldest = events[0][0]
    start = _local(oldest, zone_name).date()
    days = [oldest.date() + timedelta(days=shift) for shift in (-1, 0, 1)]
    moments = [datetime.combine(day, oldest.timetz()) for day in days]
    return sum(1 for moment in moments if _local(moment, zone_name).date() == start) == 1


@pytest.mark.parametrize("shape", _SHAPES)
@settings(max_examples=40, deadline=None, derandomize=bool(os.environ.get("CI")))
@given(events=_incidents(), zone_name=st.sampled_from(_ZONES))
def test_every_shape_comes_back_to_the_same_instants_in_any_zone(
    shape: str, events: list[tuple[datetime, str]], zone_name: str
) -> None:
    if shape in _LOCAL_WALLS:
        assume(_unambiguous(events, zone_name))
    if shape in _START_DAY_IN_UTC:
        assume(_one_reading(events, zone_name))
    text, fmt, session_zone, start = _shape(shape, events, zone_name)
    result = read_timeline(text, fmt, session_zone, start)
    assert result.bad == [], (text, result.bad)
    assert [e.at for e in result.events] == [at for at, _ in events], text
    assert [e.text.rstrip(".") for e in result.events] == [t for _, t in events], text


def _exported(events: list[tuple[datetime, str]], zone_name: str, keys: list[bool]) -> str:
    """The timeline as debrief's Markdown export writes it (its own template)."""
    from debrief_tui.core.export.formats import _environment

    template = _environment().from_string(
        '{% from "_sections.md.j2" import timeline_table with context %}{{ timeline_table() }}'
    )
    timeline = [
        {
            "at": _local(at, zone_name).isoformat(),
            "text": text,
            "kind": "action",
            "key": key,
            "approximate": not key,
            "author": None,
        }
        for (at, text), key in zip(events, keys, strict=True)
    ]
    return template.render(timeline=timeline, session={"timezone": zone_name})


@settings(max_examples=150, deadline=None, derandomize=bool(os.environ.get("CI")))
@given(
    events=_incidents(span_minutes=60 * 24 * 3),
    zone_name=st.sampled_from(_ZONES),
    reader_zone=st.sampled_from(_ZONES),
    keys=st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_debrief_s_own_exports_come_back_to_the_same_instants(
    events: list[tuple[datetime, str]], zone_name: str, reader_zone: str, keys: list[bool]
) -> None:
    keys = keys[: len(events)]
    markdown = _exported(events, zone_name, keys)
    result = read_timeline(markdown, "md", reader_zone, None)
    assert result.bad == [], (markdown, result.bad)
    assert [e.at for e in result.events] == [at for at, _ in events], markdown
    assert [(e.text, e.key_event, e.approximate) for e in result.events] == [
        (text, key, not key) for (_, text), key in zip(events, keys, strict=True)
    ]
    items = [
        {"at": _local(at, zone_name).isoformat(), "text": text, "kind": "action"}
        for at, text in events
    ]
    exported = json.dumps({"timeline": items})
    again = read_timeline(exported, "json", reader_zone, None)
    assert [e.at for e in again.events] == [at for at, _ in events]


def test_a_json_timeline_keeps_who_wrote_each_event() -> None:
    """debrief's own JSON export names a chat message's author; importing it keeps them."""
    text = (
        '[{"at": "2025-03-21T23:19:00+01:00", "text": "Paged", "author": "Jonas Becker"},'
        ' {"at": "2025-03-21T23:24:00+01:00", "text": "Channel opened"}]'
    )
    result = read_timeline(text, "json", "Europe/Amsterdam")
    assert [e.author for e in result.events] == ["Jonas Becker", None]
    refused = read_timeline('[{"at": "2025-03-21 10:00", "text": "x", "author": 3}]', "json", "UTC")
    assert refused.bad[0].reason == '"author" is not a string'
