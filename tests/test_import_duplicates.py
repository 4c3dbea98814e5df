"""Events an import would add that the timeline already holds: found by moment, words and
author, each stored event standing for one imported; `debrief import` skips them and says so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from debrief_tui.core.timeline import (
    TimelineRow,
    already_on_timeline,
    new_events,
    read_timeline,
)
from tests.test_cli import _new_session, run

AT = datetime(2025, 3, 21, 23, 12, 30, tzinfo=UTC)


def row(text: str, at: datetime = AT, author: str | None = None) -> TimelineRow:
    return TimelineRow(at, text, "observation", author=author)


def test_the_same_moment_and_words_are_already_there() -> None:
    stored = [row("Rollback started"), row("Error rate back to normal", AT + timedelta(minutes=9))]
    new = [row("Rollback started"), row("Status page updated", AT + timedelta(minutes=3))]
    assert already_on_timeline(new, stored) == {0}
    kept, skipped = new_events(new, stored)
    assert [r.text for r in kept] == ["Status page updated"]
    assert skipped == 1


def test_another_minute_or_other_words_are_new() -> None:
    stored = [row("Rollback started")]
    assert (
        already_on_timeline([row("Rollback started", AT + timedelta(minutes=1))], stored) == set()
    )
    assert already_on_timeline([row("Rollback finished")], stored) == set()
    assert already_on_timeline([row("rollback started")], stored) == set()  # words as written


def test_spacing_fractions_of_a_second_and_the_zone_do_not_matter() -> None:
    stored = [row("Rollback  started ")]
    berlin = timezone(timedelta(hours=1))
    moved = AT.astimezone(berlin).replace(microsecond=731000)
    assert already_on_timeline([row(" Rollback started", moved)], stored) == {0}


def test_the_author_counts_where_both_sides_name_one() -> None:
    stored = [row("ack", author="Ann Lee")]
    assert already_on_timeline([row("ack", author="ann  lee")], stored) == {0}
    assert already_on_timeline([row("ack", author="Bo Chen")], stored) == set()
    assert already_on_timeline([row("ack")], stored) == {0}  # the paste names no author
    assert already_on_timeline([row("ack", author="Bo Chen")], [row("ack")]) == {0}


def test_each_stored_event_accounts_for_one_imported() -> None:
    """Two people acknowledging at the same second, one of them already imported: the other is
    new; a line pasted twice with one copy stored is added once."""
    stored = [row("ack", author="Ann Lee"), row("ack")]
    new = [row("ack", author="Bo Chen"), row("ack", author="Ann Lee"), row("ack")]
    # Ann's is hers; Bo's takes the copy with no author; the third has nothing left to match.
    assert already_on_timeline(new, stored) == {0, 1}
    kept, skipped = new_events([row("Deploy"), row("Deploy")], [row("Deploy")])
    assert (len(kept), skipped) == (1, 1)


def test_a_pasted_timeline_read_twice_is_all_already_there() -> None:
    text = "23:12 Alert fired\n23:15 Ann: paged the on-call\n23:40 Rolled back\n"
    first = read_timeline(text, "md", "UTC", AT.date()).events
    stored = [row(e.text, e.at, e.author) for e in first]
    again = read_timeline(text + "23:55 All clear\n", "md", "UTC", AT.date()).events
    kept, skipped = new_events(again, stored)
    assert skipped == 3
    assert [e.text for e in kept] == ["All clear"]


def test_nothing_stored_nothing_found() -> None:
    assert already_on_timeline([row("a"), row("b")], []) == set()
    assert new_events([], [row("a")]) == ([], 0)


# The command line ------------------------------------------------------------------------------

EXPORT = Path(__file__).resolve().parent / "examples" / "slack" / "acme-export"
CHANNEL = "inc-2025-03-21-checkout"


def test_the_command_line_adds_a_timeline_imported_again_once(
    capsys: pytest.CaptureFixture[str], db_file: Path, tmp_path: Path
) -> None:
    session = _new_session(capsys, "--started", "2025-03-21 09:00")
    source = tmp_path / "timeline.md"
    source.write_text("- 09:00 Alert fired\n- 09:05 Rolled back\n")
    assert run(capsys, "import", session, str(source))[:2] == (0, "imported 2 events\n")
    source.write_text("- 09:00 Alert fired\n- 09:05 Rolled back\n- 09:30 All clear\n")
    code, out, _ = run(capsys, "import", session, str(source))
    assert (code, out) == (0, "imported 1 event (2 already on the timeline, skipped)\n")


def test_the_command_line_adds_a_chat_export_imported_again_once(
    capsys: pytest.CaptureFixture[str], db_file: Path
) -> None:
    session = _new_session(capsys, "--started", "2025-03-21 09:00")
    args = ("import", session, str(EXPORT), "--channel", CHANNEL, "--pinned")
    assert run(capsys, *args)[:2] == (0, f"imported 6 events from #{CHANNEL}\n")
    code, out, _ = run(capsys, *args)
    assert (code, out) == (
        0,
        f"imported 0 events from #{CHANNEL} (6 already on the timeline, skipped)\n",
    )
