"""Following actions up across incidents: `debrief actions` and the rules behind it (issue 18:
overdue judged in each session's own zone, owners named by person or by team)."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debrief_tui.core.actions import read_tracker_export
from debrief_tui.core.actions.follow_ups import Tracked, overdue_count, owned_by, to_follow_up
from debrief_tui.core.actions.items import ActionRow
from debrief_tui.core.errors import InputError
from debrief_tui.core.persistence import open_database
from debrief_tui.core.persistence.unit import Unit
from tests.test_cli import run


def tracked(**fields: object) -> Tracked:
    """An action of a session in London, open, owned by Mei Lin of Payments."""
    values: dict[str, object] = {
        "action_id": 1,
        "session_id": 1,
        "incident": "Checkout failed",
        "severity": "SEV2",
        "zone": "Europe/London",
        "text": "Alert when a pinned CA expires within 30 days",
        "owner": "Mei Lin",
        "due_date": date(2025, 4, 3),
        "priority": "P1",
        "type": "detect",
        "status": "open",
        "ticket": "PAY-123",
        "proposal": False,
        "teams": (("Mei Lin", "Payments"), ("Jonas Becker", "SRE")),
    }
    values.update(fields)
    return Tracked(**values)  # type: ignore[arg-type]


def test_overdue_is_judged_in_each_sessions_own_zone_across_the_date_line() -> None:
    # 11:30 UTC on the 3rd is already the 4th in Auckland, still the 3rd in London and Honolulu.
    now = datetime(2025, 4, 3, 11, 30, tzinfo=UTC)
    auckland = tracked(action_id=1, zone="Pacific/Auckland")
    london = tracked(action_id=2, zone="Europe/London")
    honolulu = tracked(action_id=3, zone="Pacific/Honolulu")
    items = {i.action.action_id: i for i in to_follow_up([auckland, london, honolulu], now)}
    assert items[1].days_overdue == 1  # due the 3rd; it is the 4th there
    assert items[2].days_overdue == 0  # due today in London
    assert items[2].days_left == 0
    assert items[3].today == date(2025, 4, 3)  # 01:30 in Honolulu (UTC-10)
    assert items[3].days_overdue == 0
    assert items[1].today == date(2025, 4, 4)  # 00:30 the next day in Auckland (UTC+13)
    overdue = to_follow_up([auckland, london, honolulu], now, overdue=True)
    assert [i.action.action_id for i in overdue] == [1]
    assert overdue_count(list(items.values())) == 1


def test_overdue_first_most_overdue_first_then_by_due_date_undated_and_closed_last() -> None:
    now = datetime(2025, 5, 1, 12, tzinfo=UTC)
    rows = [
        tracked(action_id=1, due_date=None),
        tracked(action_id=2, due_date=date(2025, 4, 20)),
        tracked(action_id=3, due_date=date(2025, 4, 1)),
        tracked(action_id=4, due_date=date(2025, 5, 9)),
        tracked(action_id=5, due_date=date(2025, 3, 1), status="done"),
        tracked(action_id=6, due_date=date(2025, 5, 2)),
    ]
    assert [i.action.action_id for i in to_follow_up(rows, now)] == [3, 2, 6, 4, 1, 5]
    soon = to_follow_up(rows, now, due_within=3)
    assert [i.action.action_id for i in soon] == [3, 2, 6]  # overdue ones count as due soon
    assert [i.action.action_id for i in to_follow_up(rows, now, status="done")] == [5]
    # A closed action is never overdue, whatever its date.
    assert not to_follow_up([rows[4]], now, overdue=True)


def test_an_owner_is_found_by_name_first_name_or_team_in_any_case() -> None:
    action = tracked(owner="José Álvarez", teams=(("José Álvarez", "Payments"),))
    for name in ("José Álvarez", "jose alvarez", "Jose", "payments", "PAYMENTS"):
        assert owned_by(action, name), name
    for name in ("Álvarez Payments", "SRE", "", "Jo"):
        assert not owned_by(action, name), name
    team_owned = tracked(owner="SRE", teams=(("Jonas Becker", "SRE"),))
    assert owned_by(team_owned, "sre")
    assert not owned_by(team_owned, "Jonas Becker")  # the team owns it, not each member


def test_smart_gaps_come_with_each_action() -> None:
    now = datetime(2025, 5, 1, 12, tzinfo=UTC)
    [vague] = to_follow_up(
        [tracked(text="Improve vendor communication", owner="", due_date=None)], now
    )
    assert vague.gaps == ("no owner", "no due date", "vague")


@pytest.fixture
def two_incidents(db_file: Path) -> Path:
    """Two sessions in different zones, with actions due around today."""
    _two_incidents(str(db_file))
    return db_file


@pytest.fixture
def two_incidents_on_server(pg_migrated_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The same two sessions in a PostgreSQL database, which every command uses."""
    _two_incidents(pg_migrated_url)
    monkeypatch.setenv("DEBRIEF_DB", pg_migrated_url)
    return pg_migrated_url


def _two_incidents(url: str) -> None:
    database = open_database(url)
    today = datetime.now(UTC).date()

    def build(tx: Unit) -> None:
        for title, zone, actions in (
            (
                "Checkout failed",
                "Europe/Amsterdam",
                [
                    ("Alert on payment errors over 2%", "Mei Lin", today - timedelta(days=9)),
                    ("Runbook for CA bundle refresh", "SRE", today + timedelta(days=3)),
                    ("Investigate better alerting", "", None),
                ],
            ),
            (
                "Search was slow",
                "America/New_York",
                [
                    ("Add a load test to CI", "Jonas Becker", today + timedelta(days=40)),
                    ("Cap the query planner's memory", "Ade Okafor", today - timedelta(days=2)),
                ],
            ),
        ):
            session = tx.sessions.create(title, "SEV2", timezone=zone)
            assert session.id is not None
            tx.attendees.add(session.id, "Jonas Becker", "SRE")
            tx.attendees.add(session.id, "Mei Lin", "Payments")
            for text, owner, due in actions:
                tx.actions.add(session.id, ActionRow(text, owner, due))

    database.write(build)
    database.dispose()


def test_debrief_actions_lists_every_incidents_actions_overdue_first(capsys, two_incidents) -> None:
    code, out, err = run(capsys, "actions")
    assert code == 0, err
    lines = [line.split("\t") for line in out.splitlines()]
    assert [line[6] for line in lines] == [
        "Alert on payment errors over 2%",
        "Cap the query planner's memory",
        "Runbook for CA bundle refresh",
        "Add a load test to CI",
        "Investigate better alerting",
    ]
    assert lines[0][0] == "overdue 9d"
    assert lines[0][5] == "#1 Checkout failed"
    assert lines[2][0] == "due in 3d"
    assert lines[4][7] == "no owner, no due date, vague"  # "alerting" is no deliverable
    code, out, _ = run(capsys, "actions", "--overdue")
    assert [line.split("\t")[3] for line in out.splitlines()] == ["Mei Lin", "Ade Okafor"]
    code, out, _ = run(capsys, "actions", "--due-within", "7", "--owner", "sre")
    assert [line.split("\t")[6] for line in out.splitlines()] == ["Runbook for CA bundle refresh"]


@pytest.mark.parametrize("command", [["actions"], ["actions", "--overdue"], ["remind"]])
def test_read_straight_from_the_file_or_through_the_database_alike(
    capsys, two_incidents, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    # The follow-up commands read a file of this release's schema with the standard library
    # (loading the ORM took longer than the read); anything else goes through the database.
    from debrief_tui.core import persistence

    assert persistence.tracked_directly(persistence.resolve(str(two_incidents))) is not None
    quick = run(capsys, *command)
    monkeypatch.setattr(persistence, "tracked_directly", lambda *_a, **_k: None)
    assert run(capsys, *command) == quick


@pytest.mark.parametrize("command", [["actions"], ["actions", "--overdue"], ["remind"]])
def test_a_team_database_is_read_with_the_driver_alone_and_alike(
    capsys, two_incidents_on_server: str, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    # On PostgreSQL psycopg reads the actions without SQLAlchemy (four times quicker to start).
    from debrief_tui.core import persistence

    target = persistence.resolve(two_incidents_on_server)
    assert persistence.tracked_directly(target) is not None
    quick = run(capsys, *command)
    assert quick[0] == 0
    assert "Checkout failed" in quick[1]
    monkeypatch.setattr(persistence, "tracked_directly", lambda *_a, **_k: None)
    assert run(capsys, *command) == quick


def test_a_server_database_not_read_directly_goes_through_the_database(
    capsys, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from debrief_tui.core import persistence

    # An empty database (no schema yet), and a URL of another driver: the database opens them.
    assert persistence.tracked_directly(persistence.resolve(pg_url)) is None
    other = pg_url.replace("+psycopg", "+pg8000")
    assert persistence.tracked_directly(persistence.resolve(other)) is None
    monkeypatch.setenv("DEBRIEF_DB", pg_url)
    code, out, err = run(capsys, "actions")
    assert (code, out) == (0, "")
    assert err.strip() == "no actions match"


def test_an_unreachable_server_is_refused_once_in_one_line(capsys, monkeypatch) -> None:
    import socket

    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv("DEBRIEF_DB", f"postgresql://postgres@127.0.0.1:{port}/debrief")
    code, out, err = run(capsys, "actions", "--overdue")
    assert (code, out) == (2, "")
    assert err.startswith(f"debrief: cannot open postgresql://postgres@127.0.0.1:{port}/debrief")
    assert "Connection refused" in err
    assert len(err.splitlines()) == 1


def test_a_file_not_of_this_schema_is_read_through_the_database(tmp_path: Path) -> None:
    from debrief_tui.core import persistence

    foreign = tmp_path / "notes.db"
    sqlite3.connect(foreign).execute("CREATE TABLE notes (x)").connection.commit()
    assert persistence.tracked_directly(persistence.resolve(str(foreign))) is None
    assert persistence.tracked_directly(persistence.resolve(str(tmp_path / "none.db"))) is None
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    assert persistence.tracked_directly(persistence.resolve(str(tmp_path / "junk.db"))) is None


def test_debrief_actions_json_and_an_empty_answer(capsys, two_incidents) -> None:
    code, out, _ = run(capsys, "actions", "--owner", "Payments", "--json")
    assert code == 0
    [item] = json.loads(out)
    assert item["owner"] == "Mei Lin"
    assert item["incident"] == "Checkout failed"
    assert item["days_overdue"] == 9
    assert item["smart_gaps"] == ["past due"]
    code, out, err = run(capsys, "actions", "--owner", "nobody here")
    assert (code, out, err) == (0, "", "no actions match\n")
    code, out, _ = run(capsys, "actions", "--status", "done", "--json")
    assert (code, json.loads(out)) == (0, [])


# The reminder digest ------------------------------------------------------------------------


def test_remind_writes_a_digest_per_owner_overdue_first(capsys, two_incidents) -> None:
    code, out, err = run(capsys, "remind")
    assert (code, err) == (0, "")
    today = datetime.now(UTC).date()
    assert out.startswith(f"# Actions to follow up, {today.isoformat()}\n")
    assert "2 actions overdue, 1 due within 7 days, across 2 incidents." in out
    # Owners with the most overdue first; each action names its incident.
    sections = [line for line in out.splitlines() if line.startswith("## ")]
    assert sections == ["## Mei Lin", "## Ade Okafor", "## SRE"]
    assert (
        f"- **overdue 9 days (due {(today - timedelta(days=9)).isoformat()})**: "
        "Alert on payment errors over 2% (#1 Checkout failed)"
    ) in out
    assert "due in 3 days" in out
    assert "Add a load test to CI" not in out  # due in 40 days: not this week
    assert "Investigate better alerting" not in out  # no due date: nothing to remind of
    code, out, _ = run(capsys, "remind", "--within", "60", "--format", "text")
    assert "Add a load test to CI (#2 Search was slow)" in out
    assert "**" not in out


def test_remind_escapes_what_people_typed_and_says_when_nothing_is_due(
    capsys, db_file: Path
) -> None:
    database = open_database(str(db_file))
    today = datetime.now(UTC).date()

    def build(tx: Unit) -> None:
        session = tx.sessions.create("Login <b>broke</b>", "SEV3")
        assert session.id is not None
        tx.actions.add(session.id, ActionRow("# Fix [the](http://x) *thing*", "", today))

    code, out, _ = run(capsys, "remind")
    assert (code, out.splitlines()[-1]) == (0, "Nothing is overdue or due within 7 days.")
    database.write(build)
    database.dispose()
    code, out, _ = run(capsys, "remind")
    assert code == 0
    assert "## No owner yet" in out
    assert r"due today" in out
    assert r"\# Fix \[the\](http://x) \*thing\*" in out
    assert r"Login \<b\>broke\</b\>" in out
    code, out, _ = run(capsys, "remind", "--format", "json")
    doc = json.loads(out)
    assert doc["within_days"] == 7
    assert doc["owners"][0]["owner"] == ""
    assert doc["owners"][0]["actions"][0]["text"] == "# Fix [the](http://x) *thing*"


# Ticket status from a tracker's export -------------------------------------------------------

TICKETS = Path(__file__).parent / "examples" / "tickets"
"""jira-export.csv has the header of a Jira Cloud "Export > CSV (all fields)" (32 columns, two
Labels, CRLF lines, a quoted multi-line description, "Unresolved" resolutions); its rows are
ours. gh-issue-list.json is what `gh issue list --state all --json number,title,state,url`
prints: keys sorted, states in capitals."""


def actions_by_ticket(db_file: Path) -> dict[str, tuple[str, str, str, object]]:
    """ticket → (status, text, owner, due) of every action with a ticket."""
    database = open_database(str(db_file))
    try:
        rows = database.read(lambda tx: tx.actions.everywhere())
    finally:
        database.dispose()
    return {a.ticket: (a.status, a.text, a.owner, a.due_date) for a in rows if a.ticket}


def test_sync_tickets_from_a_jira_export_changes_only_the_status(capsys, db_file: Path) -> None:
    assert run(capsys, "demo", "--no-open")[0] == 0
    before = actions_by_ticket(db_file)
    assert {t: s[0] for t, s in before.items()} == {
        "PLAT-412": "in progress",
        "PLAT-413": "open",
        "SRE-88": "open",
        "PAY-311": "open",
        "PAY-312": "open",
    }
    code, out, err = run(capsys, "sync-tickets", str(TICKETS / "jira-export.csv"), "--dry-run")
    assert code == 0
    assert "3 actions would change, 1 already in step, 4 tickets read" in err
    assert actions_by_ticket(db_file) == before  # a dry run changes nothing
    code, out, err = run(capsys, "sync-tickets", str(TICKETS / "jira-export.csv"))
    assert code == 0
    changed = [line.split("\t")[:2] for line in out.splitlines()]
    assert changed == [
        ["PLAT-412", "in progress → done"],
        ["PLAT-413", "open → in progress"],
        ["SRE-88", "open → won't do"],  # closed as Won't Do
    ]
    assert "3 actions changed, 1 already in step, 4 tickets read" in err
    assert err.splitlines()[-1] == (
        f"not in {TICKETS / 'jira-export.csv'}: PAY-312 (1 action left as it was)"
    )
    after = actions_by_ticket(db_file)
    assert {t: s[0] for t, s in after.items()} == {
        "PLAT-412": "done",
        "PLAT-413": "in progress",
        "SRE-88": "won't do",
        "PAY-311": "open",
        "PAY-312": "open",
    }
    assert {t: s[1:] for t, s in after.items()} == {t: s[1:] for t, s in before.items()}
    code, out, err = run(capsys, "sync-tickets", str(TICKETS / "jira-export.csv"))
    assert (code, out) == (0, "")  # read twice: nothing more to change
    assert "0 actions changed, 4 already in step" in err


def test_sync_tickets_from_gh_issue_list_matches_numbers_refs_and_urls(
    capsys, db_file: Path
) -> None:
    database = open_database(str(db_file))

    def build(tx: Unit) -> None:
        session = tx.sessions.create("Checkout failed", "SEV2")
        assert session.id is not None
        for text, ticket, status in (
            ("Vendor alias", "#12", "open"),
            ("Runbook path", "tidewater/payments#15", "done"),
            ("Resubmit orders", "https://github.com/tidewater/payments/issues/16", "open"),
            ("Not in the list", "#99", "open"),
        ):
            tx.actions.add(
                session.id, ActionRow(text, "Mei Lin", None, ticket=ticket, status=status)
            )

    database.write(build)
    database.dispose()
    code, out, err = run(capsys, "sync-tickets", str(TICKETS / "gh-issue-list.json"))
    assert code == 0, err
    assert [line.split("\t")[:2] for line in out.splitlines()] == [
        ["#12", "open → done"],
        ["#15", "done → open"],  # reopened on GitHub
        ["#16", "open → done"],
    ]
    assert err.splitlines()[-1].startswith("not in ")
    assert "#99" in err.splitlines()[-1]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"a": 1}', "neither a Jira CSV export"),
        ("[1, 2]", "item 0 has no issue number"),
        ('[{"number": 3}]', "item 0 has no state"),
        ("name,size\nx,1\n", "neither a Jira CSV export"),
        ("[", "not JSON"),
        ("", "empty"),
    ],
)
def test_sync_tickets_refuses_what_it_cannot_read_in_one_line(
    capsys, db_file: Path, tmp_path: Path, text: str, says: str
) -> None:
    path = tmp_path / "export.txt"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "sync-tickets", str(path))
    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1
    assert says in err


@settings(max_examples=300, deadline=None, derandomize=bool(os.environ.get("CI")))
@given(st.text(max_size=400) | st.lists(st.text(max_size=20), max_size=8).map(",".join))
def test_reading_any_text_as_a_tracker_export_gives_tickets_or_one_refusal(text: str) -> None:
    refusal = ""
    try:
        export = read_tracker_export(text, "x")
    except InputError as exc:
        refusal = str(exc)
    else:
        assert export.find(text) is None or export.count > 0
    assert "\n" not in refusal  # one line, whatever the text held
