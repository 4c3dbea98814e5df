"""The timeline importer against the line shapes real postmortems use.

Shapes are taken from public write-ups: AWS S3 (2017-02-28, aws.amazon.com/message/41926) and
Fastly (2021-06-08, fastly.com/blog/summary-of-june-8-outage), copied into `tests/examples/`, and
the styles of GitLab, Cloudflare, GitHub and Google SRE-workbook timelines (Markdown bullets and
tables, 12-hour clocks with zones, month names, "approx." marks).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debrief_tui.core.timeline.importing import format_for, guess_kind, read_timeline

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
        ("09:37 CEST paged", utc(2025, 3, 21, 7, 37), "paged"),
        ("09:37 BST paged", utc(2025, 3, 21, 8, 37), "paged"),
        ("09:37 MDT paged", utc(2025, 3, 21, 15, 37), "paged"),
        ("09:37 CST paged", utc(2025, 3, 21, 15, 37), "paged"),
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
        # A range keeps its end in the text rather than reading it as an offset.
        ("14:00-14:30 maintenance window", utc(2025, 3, 21, 14, 0), "14:30 maintenance window"),
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
