"""The meeting's core, without a terminal: agenda files, minutes, wording, timers."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from debrief_tui.cli import main
from debrief_tui.core.meeting.agenda import AgendaError, load_agenda, parse_agenda
from debrief_tui.core.meeting.meeting import Meeting
from debrief_tui.core.meeting.minutes import (
    MAX_PASTE_LINES,
    PasteTooLarge,
    attribute,
    minute_kind,
    split_paste,
)
from debrief_tui.core.meeting.timer import StageClock, format_duration, spent_by_stage
from debrief_tui.core.meeting.wrap_up import actions_not_created, decisions_taken
from debrief_tui.core.persistence import Gateway
from debrief_tui.core.persistence.models import Action, Minute
from debrief_tui.core.persistence.stage_log import GatewayStageLog
from debrief_tui.core.persistence.unit import Database
from debrief_tui.core.wording import check_wording
from tests.helpers import DEFAULT_STAGES

GOOD = """\
[[stage]]
key = "open"
title = "Opening"
timebox = 5
prompts = ["Why are we here?"]

[[stage]]
key = "close"
title = "Closing"
timebox = 10
"""


def test_shipped_agenda_has_the_default_stages() -> None:
    agenda = load_agenda()
    assert tuple(s.title for s in agenda.stages) == DEFAULT_STAGES
    assert all(s.prompts for s in agenda.stages)
    assert agenda.total_seconds == 75 * 60


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("timebox = 10", 'timebox = "ten"'), "my.toml, line 10: timebox must be"),
        (GOOD.replace("timebox = 10", "timebox = 0"), "my.toml, line 10: timebox must be"),
        (
            GOOD.replace('key = "close"', 'key = "open"'),
            "my.toml, line 8: key 'open' is used twice (first on line 2)",
        ),
        (GOOD.replace('title = "Closing"\n', ""), "my.toml, line 7: stage 2 has no 'title'"),
        (
            GOOD.replace('key = "close"', 'key = "Close Up"'),
            "my.toml, line 8: key must be lower-case",
        ),
        (GOOD.replace('["Why are we here?"]', '"Why?"'), "my.toml, line 5: prompts must be a list"),
        (GOOD.replace("[[stage]]\nkey", "[[stage]\nkey", 1), "my.toml: "),
        ("title = 'x'\n", "my.toml: no [[stage]] tables"),
    ],
)
def test_malformed_agenda_names_the_line_and_the_problem(text: str, message: str) -> None:
    with pytest.raises(AgendaError, match="^" + re.escape(message)):
        parse_agenda(text, "my.toml")


def test_agenda_syntax_error_reports_toml_line() -> None:
    with pytest.raises(AgendaError, match=r"line 1"):
        parse_agenda("[[stage]\n", "my.toml")


def test_cli_agenda_option(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("DEBRIEF_DB", str(tmp_path / "a.db"))
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD.replace("timebox = 10", "timebox = -1"))
    assert main(["--agenda", str(bad), "list"]) == 1
    err = capsys.readouterr().err
    assert (
        err.strip()
        == f"debrief: {bad}, line 10: timebox must be whole minutes from 1 to 480 (got -1)"
    )
    good = tmp_path / "good.toml"
    good.write_text(GOOD)
    assert main(["new", "--title", "x", "--severity", "SEV3", "--agenda", str(good)]) == 0
    session_id = int(capsys.readouterr().out)
    assert main(["new", "--title", "y", "--severity", "SEV3", "--agenda", str(bad)]) == 1
    assert "line 10" in capsys.readouterr().err
    from debrief_tui.core.persistence.engine import open_engine

    engine = open_engine(str(tmp_path / "a.db"))
    assert Database(engine).read(lambda tx: tx.sessions.get(session_id)).agenda_path == str(
        good.resolve()
    )
    engine.dispose()


@pytest.mark.parametrize(
    ("line", "author", "text"),
    [
        ("priya: we paged", "Priya Raman", "we paged"),
        ("PRIYA RAMAN: we paged", "Priya Raman", "we paged"),
        ("Bob Smith: hello", "Bob Smith", "hello"),
        ("O\u2019Brien: yes", "O\u2019Brien", "yes"),
        ("Root cause: drift", None, "Root cause: drift"),
        ("10:30 rolled back", None, "10:30 rolled back"),
        ("https://status.example.com down", None, "https://status.example.com down"),
        ("  plain text  ", None, "plain text"),
        ("Priya:no space", None, "Priya:no space"),
    ],
)
def test_speaker_attribution(line: str, author: str | None, text: str) -> None:
    said = attribute(line, ["Priya Raman", "Jonas Becker"])
    assert (said.author, said.text) == (author, text)


@pytest.mark.parametrize(
    ("line", "author", "kind", "body"),
    [
        ("Decision: roll back before debugging", None, "decision", "roll back before debugging"),
        ("decision:  pin nothing", None, "decision", "pin nothing"),
        ("Action: alarm on certificate expiry", None, "action", "alarm on certificate expiry"),
        ("QUESTION: who owns the bundle?", None, "question", "who owns the bundle?"),
        (
            "Priya: Decision: we page the gateway team",
            "Priya Raman",
            "decision",
            "we page the gateway team",
        ),
        ("Decisions: were slow", "Decisions", None, "were slow"),
        ("Actionable alerts: more", None, None, "Actionable alerts: more"),
        ("decision making was slow", None, None, "decision making was slow"),
    ],
)
def test_decision_action_and_question_are_kinds_of_minute_not_speakers(
    line: str, author: str | None, kind: str | None, body: str
) -> None:
    said = attribute(line, ["Priya Raman", "Jonas Becker"])
    assert said.author == author
    assert minute_kind(said.text) == (kind, body)


def _minute(text: str, minute_id: int) -> Minute:
    at = datetime(2025, 3, 24, 9, minute_id, tzinfo=UTC)
    return Minute(id=minute_id, session_id=1, at=at, stage="whys", text=text)


def test_the_wrap_up_lists_decisions_and_actions_not_yet_created() -> None:
    minutes = [
        _minute("Decision: roll back first, debug after", 1),
        _minute("Action: alarm on certificate expiry", 2),
        _minute("action: Rotate the CA bundle at build time.", 3),
        _minute("Question: who owns rotation?", 4),
        _minute("we rolled back", 5),
    ]
    actions = [Action(id=1, session_id=1, text="Rotate the CA bundle at build time")]
    assert [(m.minute.id, m.text) for m in decisions_taken(minutes)] == [
        (1, "roll back first, debug after")
    ]
    assert [(m.minute.id, m.text) for m in actions_not_created(minutes, actions)] == [
        (2, "alarm on certificate expiry")
    ]
    made = [*actions, Action(id=2, session_id=1, text="Alarm on certificate expiry, 30 days ahead")]
    assert actions_not_created(minutes, made) == []


def test_split_paste() -> None:
    assert split_paste("a\n\n  b \r\nc") == ["a", "b", "c"]
    long = "word " * 2000
    pieces = split_paste(long)
    assert len(pieces) == 3
    assert " ".join(pieces).split() == long.split()
    with pytest.raises(PasteTooLarge, match="lines"):
        split_paste("x\n" * (MAX_PASTE_LINES + 1))


def test_wording_check_finds_counterfactuals_blame_and_people() -> None:
    text = "We should have seen it. Human error? No: Jonas forgot the flag, Ann Lee missed it."
    hits = check_wording(text, ["Jonas Becker", "Ann Lee"])
    assert [text[h.start : h.end] for h in hits] == [
        "should have",
        "Human error",
        "Jonas forgot",
        "Ann Lee missed",
    ]
    assert all(h.suggestion for h in hits)
    assert check_wording("The deploy removed the flag; paging worked.", ["Jonas Becker"]) == []
    assert check_wording("shoulder havoc", []) == []


def test_stage_clock_states_and_format() -> None:
    assert StageClock(0, 300).state == "ok"
    assert StageClock(240, 300).state == "warning"
    assert StageClock(301, 300).state == "overrun"
    assert StageClock(301, 300).countdown() == "+00:01"
    assert StageClock(0, 900).countdown() == "15:00"
    assert format_duration(3725) == "1:02:05"


class _Run:
    def __init__(self, stage: str, start: datetime, end: datetime | None) -> None:
        self.stage, self.started_at, self.ended_at = stage, start, end


def test_spent_by_stage_sums_runs() -> None:
    t = datetime(2025, 1, 1, tzinfo=UTC)
    runs = [
        _Run("a", t, t + timedelta(seconds=90)),
        _Run("a", t + timedelta(minutes=5), t + timedelta(minutes=6)),
        _Run("b", t, None),
    ]
    assert spent_by_stage(runs) == {"a": 150.0}


def test_meeting_records_stage_runs_through_pause_and_resume(db: Database) -> None:
    now = [datetime(2025, 1, 1, 9, 0, tzinfo=UTC)]

    def clock() -> datetime:
        return now[0]

    row = db.write(lambda tx: tx.sessions.create("x", "SEV2"))
    assert row.id is not None
    row_id = row.id
    # The app's way: the meeting's records queue on a database thread; nothing waits for them.
    gateway = Gateway(lambda: db, closes_database=False)
    meeting = Meeting(row_id, load_agenda(), clock, GatewayStageLog(gateway))
    meeting.start()  # f5: the facilitator starts the meeting on its first stage
    now[0] += timedelta(seconds=20)  # start-up: time before the database opens still counts
    gateway.start()
    now[0] += timedelta(seconds=40)
    meeting.go_to(1)
    now[0] += timedelta(minutes=3)
    meeting.pause()
    now[0] += timedelta(minutes=30)
    meeting.resume()
    now[0] += timedelta(minutes=1)
    meeting.close()
    gateway.close()  # what was queued is written
    spent = spent_by_stage(db.read(lambda tx: tx.meeting.runs(row_id)))
    assert spent == {"ground-rules": 60.0, "timeline": 240.0}
    assert db.read(lambda tx: tx.sessions.get(row_id)).current_stage == "timeline"
    log = GatewayStageLog(Gateway(lambda: db, closes_database=False))
    reopened = Meeting(row_id, load_agenda(), clock, log, current_stage="timeline", spent=spent)
    assert reopened.stage.key == "timeline"
    assert reopened.spent("timeline") == 240.0
    assert reopened.stage_clock().countdown() == "11:00"


def test_a_pasted_line_is_split_only_at_real_line_breaks() -> None:
    """Form feeds, NEL and U+2028 stay inside a minute (shown written out), not cut it up."""
    from debrief_tui.core.meeting.minutes import split_paste

    assert split_paste("one\x0cstill one\x85and\u2028this\r\ntwo\rthree\n") == [
        "one\x0cstill one\x85and\u2028this",
        "two",
        "three",
    ]


def running(meeting: Meeting) -> bool:
    """Whether the meeting's clock has started."""
    return meeting.started


def test_the_clock_waits_until_the_meeting_starts(db: Database) -> None:
    """A session opened to prepare it records no time: the clock starts at the first stage
    change (or f5), and a meeting that has recorded time runs from the moment it reopens."""
    now = [datetime(2025, 1, 1, 9, 0, tzinfo=UTC)]

    def clock() -> datetime:
        return now[0]

    row = db.write(lambda tx: tx.sessions.create("x", "SEV2"))
    assert row.id is not None
    row_id = row.id
    log = GatewayStageLog(Gateway(lambda: db, closes_database=False))
    preparing = Meeting(row_id, load_agenda(), clock, log)
    now[0] += timedelta(hours=2)
    preparing.pause()  # nothing to pause: the clock has not started
    assert not running(preparing)
    assert preparing.total_spent() == 0
    assert preparing.go_to(1)
    assert running(preparing)
    now[0] += timedelta(minutes=3)
    assert preparing.spent("timeline") == 180
    assert preparing.spent("ground-rules") == 0

    started_by_hand = Meeting(row_id, load_agenda(), clock, log)
    assert started_by_hand.start()
    assert not started_by_hand.start()  # once is enough
    now[0] += timedelta(seconds=30)
    assert started_by_hand.spent("ground-rules") == 30

    reopened = Meeting(row_id, load_agenda(), clock, log, spent={"ground-rules": 30.0})
    assert reopened.started  # it has recorded time: it runs at once
    now[0] += timedelta(seconds=10)
    assert reopened.spent("ground-rules") == 40


def test_a_meeting_already_held_opens_paused(db: Database) -> None:
    """Reading a reviewed or published postmortem again adds no meeting time until f5; an
    unfinished meeting's clock runs again from the moment it reopens (after a crash, say)."""
    now = [datetime(2025, 1, 1, 9, 0, tzinfo=UTC)]

    def clock() -> datetime:
        return now[0]

    row = db.write(lambda tx: tx.sessions.create("x", "SEV2"))
    assert row.id is not None
    log = GatewayStageLog(Gateway(lambda: db, closes_database=False))
    spent = {"ground-rules": 300.0, "timeline": 900.0}
    held = Meeting(
        row.id, load_agenda(), clock, log, current_stage="wrap-up", spent=spent, held=True
    )
    unfinished = Meeting(row.id, load_agenda(), clock, log, current_stage="timeline", spent=spent)
    now[0] += timedelta(minutes=10)
    assert held.paused
    assert held.total_spent() == 1200.0
    assert not unfinished.paused
    assert unfinished.total_spent() == 1800.0
    held.resume()
    now[0] += timedelta(minutes=1)
    assert held.total_spent() == 1260.0
