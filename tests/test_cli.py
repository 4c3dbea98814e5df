"""The `debrief` command line, run the way a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from debrief_tui import __version__
from debrief_tui.cli import main
from debrief_tui.core.persistence.engine import open_engine
from debrief_tui.core.persistence.unit import Database
from tests.full_session import build_full_session


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `debrief ARGS` as the script does; its exit code, standard output and error."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_lists_each_command_on_one_line(capsys) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for command in ("demo", "list", "new", "open"):
        assert any(line.strip().startswith(command + " ") for line in out.splitlines()), command


def test_version(capsys) -> None:
    code, out, _ = run(capsys, "--version")
    assert (code, out.strip()) == (0, f"debrief {__version__}")


def test_new_prints_only_the_id_and_stores_the_facts(capsys, db_file: Path) -> None:
    code, out, err = run(
        capsys,
        "new",
        "--title",
        "Checkout down",
        "--severity",
        "sev1",
        "--timezone",
        "America/Los_Angeles",
        "--summary",
        "Payments failed",
        "--started",
        "2025-03-21 09:37",
        "--detected",
        "2025-03-21T16:45:00Z",
        "--acknowledged",
        "2025-03-21 09:50 PDT",
        "--mitigated",
        "2025-03-21 10:30:15",
        "--resolved",
        "2025-03-21 19:00 UTC",
    )
    assert (code, err) == (0, "")
    session_id = int(out.strip())
    engine = open_engine(str(db_file))
    row = Database(engine).read(lambda tx: tx.sessions.get(session_id))
    assert (row.title, row.severity, row.timezone, row.summary) == (
        "Checkout down",
        "SEV1",
        "America/Los_Angeles",
        "Payments failed",
    )
    assert row.started_at is not None
    assert row.started_at.isoformat() == "2025-03-21T16:37:00+00:00"
    assert row.detected_at is not None
    assert row.detected_at.isoformat() == "2025-03-21T16:45:00+00:00"
    assert row.acknowledged_at is not None
    assert row.acknowledged_at.isoformat() == "2025-03-21T16:50:00+00:00"
    assert row.mitigated_at is not None
    assert row.mitigated_at.isoformat() == "2025-03-21T17:30:15+00:00"
    assert row.resolved_at is not None
    assert row.resolved_at.isoformat() == "2025-03-21T19:00:00+00:00"
    engine.dispose()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--severity", "SEV9"], "unknown severity"),
        (["--severity", "SEV2", "--timezone", "Mars/Olympus"], "unknown time zone"),
        (["--severity", "SEV2", "--started", "around eleven"], "--started"),
        (["--severity", "SEV2", "--resolved", "2025-02-30 10:00"], "not a real date"),
    ],
)
def test_bad_arguments_print_one_line_and_create_nothing(
    capsys, db_file: Path, args: list[str], fragment: str
) -> None:
    code, out, err = run(capsys, "new", "--title", "x", *args)
    assert code != 0
    assert out == ""
    assert fragment in err
    assert len(err.strip().splitlines()) == 1
    _, listing, _ = run(capsys, "list")
    assert listing == ""


def test_missing_session(capsys, db_file: Path) -> None:
    code, _, err = run(capsys, "open", "41")
    assert code != 0
    assert err.strip() == "debrief: no session with id 41"


def test_list_lines_and_json(capsys, db_file: Path) -> None:
    run(
        capsys,
        "new",
        "--title",
        "[bold]First[/]",
        "--severity",
        "SEV3",
        "--started",
        "2024-01-02 03:04",
    )
    run(capsys, "new", "--title", "Second", "--severity", "SEV2")
    code, out, _ = run(capsys, "list")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[1].split("\t") == ["1", "2024-01-02", "SEV3", "draft", "-", "[bold]First[/]"]
    code, out, _ = run(capsys, "list", "--json")
    items = json.loads(out)
    assert [i["title"] for i in items] == ["Second", "[bold]First[/]"]
    assert items[1]["started_at"] == "2024-01-02T03:04:00+00:00"


def test_demo_is_created_once(capsys, db_file: Path) -> None:
    code, first, _ = run(capsys, "demo", "--no-open")
    assert code == 0
    _, second, _ = run(capsys, "demo", "--no-open")
    assert first == second
    _, listing, _ = run(capsys, "list")
    assert len(listing.splitlines()) == 1


def test_the_demo_meeting_was_held_this_week_and_its_actions_are_ahead(
    capsys, db_file: Path
) -> None:
    """A newcomer's demo is a recent incident: held this week, its actions due in the weeks
    ahead (not flagged "past due" because the file was written in 2025), weekdays kept."""
    assert run(capsys, "demo", "--no-open")[0] == 0
    _, out, _ = run(capsys, "export", "1", "--format", "json")
    doc = json.loads(out)
    today = datetime.now(UTC).date()
    meeting = max(date.fromisoformat(m["at"][:10]) for m in doc["minutes"])
    assert today - timedelta(days=7) < meeting <= today
    assert meeting.weekday() == date(2025, 3, 24).weekday()  # a Monday, as written
    started = date.fromisoformat(doc["facts"]["started_at"][:10])
    assert started.weekday() == date(2025, 3, 21).weekday()  # the Friday night before
    dues = [date.fromisoformat(a["due"]) for a in doc["actions"] if a["due"]]
    assert dues
    assert all(due > today for due in dues)
    assert not [a for a in doc["actions"] if "past due" in a["smart_gaps"]]


def test_foreign_database_exits_2_with_one_line(capsys, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("my notes\n")
    code, out, err = run(capsys, "--db", str(path), "list")
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "not a debrief database" in err
    assert path.read_text() == "my notes\n"


def test_installed_script_and_module_run(tmp_path: Path) -> None:
    env = {**os.environ, "DEBRIEF_DB": str(tmp_path / "x.db")}
    script = Path(sys.executable).parent / "debrief"
    for command in ([str(script)], [sys.executable, "-m", "debrief_tui"]):
        done = subprocess.run(
            [*command, "--version"], capture_output=True, text=True, env=env, cwd=tmp_path
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"debrief {__version__}"


# Timeline import and JSON export ------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parent / "examples"


def _new_session(capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    code, out, _ = run(
        capsys,
        "new",
        "--title",
        "S3 outage",
        "--severity",
        "SEV1",
        "--timezone",
        "America/Los_Angeles",
        *extra,
    )
    assert code == 0
    return out.strip()


def test_import_a_pasted_timeline_then_export_json(capsys, db_file: Path, tmp_path: Path) -> None:
    # AWS S3, 2017-02-28 (aws.amazon.com/message/41926), via ../shared/examples.
    session = _new_session(
        capsys,
        "--started",
        "2017-02-28 09:37",
        "--mitigated",
        "2017-02-28 12:26",
        "--resolved",
        "2017-02-28 13:54",
    )
    source = EXAMPLES / "aws-s3-2017-02-28-us-east-1.timeline.txt"
    code, out, err = run(capsys, "import", session, str(source))
    assert (code, out, err) == (0, "imported 5 events\n", "")
    target = tmp_path / "out.json"
    code, _, err = run(capsys, "export", session, "--format", "json", "--out", str(target))
    assert code == 0
    assert "wrote" in err
    data = json.loads(target.read_text())
    assert data["schema_version"] == 1
    assert data["session"]["timezone"] == "America/Los_Angeles"
    assert data["facts"]["started_at"] == "2017-02-28T09:37:00-08:00"
    assert data["timeline"][0]["at"] == "2017-02-28T09:37:00-08:00"
    assert set(data["timeline"][0]) == {"at", "text", "kind", "key", "approximate"}
    metrics = data["metrics"]
    assert metrics["minutes_to_resolve"] == 257  # the example's expected figure
    assert metrics["minutes_to_detect"] is None
    resolve = next(s for s in metrics["sla"] if s["name"] == "time to resolve")
    assert resolve == {
        "name": "time to resolve",
        "target_minutes": 240,
        "actual_minutes": 257,
        "breached": True,
    }
    assert "time to resolve: 257 min (target 240)" in metrics["breaches"]


def test_import_is_all_or_nothing(capsys, db_file: Path, tmp_path: Path) -> None:
    session = _new_session(capsys, "--started", "2025-03-21 09:00")
    source = tmp_path / "t.txt"
    source.write_text("no time on the first line\n09:00 fine\n25:00 broken\n10:00 fine\n")
    code, out, err = run(capsys, "import", session, str(source))
    assert (code, out) == (1, "")
    assert "line 1: no time found" in err
    assert "line 3: '25:00' is not a time of day" in err
    assert "nothing imported" in err
    code, out, _ = run(capsys, "export", session, "--format", "json")
    assert json.loads(out)["timeline"] == []
    code, out, err = run(capsys, "import", session, str(source), "--skip-bad")
    assert (code, out) == (0, "imported 2 events\n")
    assert "skipped line 3" in err


def test_import_reads_stdin_with_a_zone_and_a_format(capsys, db_file: Path, monkeypatch) -> None:
    import io

    session = _new_session(capsys)
    stdin = io.TextIOWrapper(io.BytesIO(b"at,text\n2025-03-21 09:00,hello\n"))
    monkeypatch.setattr("sys.stdin", stdin)
    code, out, _ = run(
        capsys, "import", session, "-", "--format", "csv", "--timezone", "Asia/Tokyo"
    )
    assert (code, out) == (0, "imported 1 event\n")
    code, out, _ = run(capsys, "export", session, "--format", "json")
    assert json.loads(out)["timeline"][0]["at"] == "2025-03-20T17:00:00-07:00"


def test_import_never_changes_milestones(capsys, db_file: Path, tmp_path: Path) -> None:
    session = _new_session(
        capsys, "--started", "2025-03-21 09:00", "--resolved", "2025-03-21 11:00"
    )
    source = tmp_path / "t.md"
    source.write_text("- 08:00 earlier thing\n- 12:00 resolved for real\n")
    assert run(capsys, "import", session, str(source))[0] == 0
    facts = json.loads(run(capsys, "export", session, "--format", "json")[1])["facts"]
    assert (facts["started_at"], facts["resolved_at"]) == (
        "2025-03-21T09:00:00-07:00",
        "2025-03-21T11:00:00-07:00",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("import", "99", "x.txt"), "cannot read x.txt"),
        (("import", "1", "{file}", "--timezone", "Mars/Base"), "unknown time zone"),
        (("export", "99", "--format", "json"), "no session with id 99"),
    ],
)
def test_import_and_export_errors_are_one_line(
    capsys, db_file: Path, tmp_path: Path, args, message
) -> None:
    _new_session(capsys)
    source = tmp_path / "t.txt"
    source.write_text("09:00 x\n")
    code, out, err = run(capsys, *(a.replace("{file}", str(source)) for a in args))
    assert code != 0
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_export_never_overwrites_without_force(capsys, db_file: Path, tmp_path: Path) -> None:
    session = _new_session(capsys)
    target = tmp_path / "out.json"
    target.write_text("keep me")
    code, _, err = run(capsys, "export", session, "--format", "json", "--out", str(target))
    assert code == 1
    assert "--force" in err
    assert target.read_text() == "keep me"
    assert (
        run(capsys, "export", session, "--format", "json", "--out", str(target), "--force")[0] == 0
    )
    assert json.loads(target.read_text())["session"]["id"] == int(session)
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_export_every_format_to_a_folder_then_load_the_json(
    capsys, db_file: Path, tmp_path: Path
) -> None:
    database = Database(open_engine(str(db_file)))
    session = str(build_full_session(database))
    database.write(
        lambda tx: tx.lessons.add(int(session), "went wrong", "Human error during the deploy")
    )
    database.engine.dispose()
    folder = tmp_path / "out"
    code, _, err = run(capsys, "export", session, "--format", "all", "--out", str(folder))
    assert code == 1
    assert "does not exist" in err
    folder.mkdir()
    code, _, err = run(capsys, "export", session, "--format", "all", "--out", str(folder))
    assert code == 0
    written = sorted(p.name for p in folder.iterdir())
    assert written == sorted(
        f"incident-{session}.{ext}"
        for ext in ("md", "html", "minutes.md", "json", "csv", "gh.sh", "ics")
    )
    assert "wording: lessons[" in err  # reported on stderr, the text left as written
    assert "Human error during the deploy" in (folder / f"incident-{session}.md").read_text()
    # Nothing is replaced without --force, and a refusal writes nothing at all.
    (folder / f"incident-{session}.csv").write_text("mine")
    code, _, err = run(capsys, "export", session, "--format", "all", "--out", str(folder))
    assert code == 1
    assert (folder / f"incident-{session}.csv").read_text() == "mine"
    # The JSON rebuilds the session.
    code, out, _ = run(capsys, "load", str(folder / f"incident-{session}.json"))
    assert code == 0
    assert out.strip() == str(int(session) + 1)
    code, out, _ = run(capsys, "export", out.strip(), "--format", "md", "--layout", "google")
    assert code == 0
    assert out.startswith(f"# Checkout failed for EU shoppers (incident #{int(session) + 1})")


def test_export_errors_are_one_line(capsys, db_file: Path, tmp_path: Path) -> None:
    session = _new_session(capsys)
    bad = tmp_path / "bad.md.j2"
    bad.write_text("{{ session.title | nosuchfilter }}")
    code, _, err = run(capsys, "export", session, "--format", "md", "--template", str(bad))
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "export", session, "--format", "all")
    assert code == 1
    assert "--out FOLDER" in err
    broken = tmp_path / "broken.json"
    broken.write_text('{"session": {"title": "x", "severity": "SEV9"}}')
    code, _, err = run(capsys, "load", str(broken))
    assert code == 1
    assert "SEV9" in err
    assert len(err.strip().splitlines()) == 1


def test_open_takes_a_role_on_the_fast_road_and_click_refuses_an_unknown_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from debrief_tui.launch import _plain_open

    assert _plain_open(["open", "3", "--role", "note-taker"]) == (None, None, 3, "note-taker")
    assert _plain_open(["--db", "x.db", "open", "3"]) == ("x.db", None, 3, "facilitator")
    assert _plain_open(["open", "3", "--role", "chair"]) is None  # click explains it
    code, _out, err = run(capsys, "open", "3", "--role", "chair")
    assert code == 2
    assert "chair" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "command",
    [
        ("open",),
        ("export", "--format", "json"),
        ("import", str(EXAMPLES / "aws-s3-2017-02-28-us-east-1.timeline.txt")),
    ],
)
def test_an_id_too_large_for_any_row_is_no_such_session(
    capsys: pytest.CaptureFixture[str], db_file: Path, command: tuple[str, ...]
) -> None:
    assert run(capsys, "demo", "--no-open")[0] == 0  # a database with a session in it
    huge = "1180591620717411303424"
    args = [command[0], huge, *command[1:]]
    code, out, err = run(capsys, *args)
    assert (code, out) == (1, "")
    assert err.strip() == f"debrief: no session with id {huge}"


def test_an_argument_that_is_not_utf8_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], db_file: Path
) -> None:
    bad = b"bad\xff".decode("utf-8", "surrogateescape")  # as Python hands over $'bad\xff'
    code, out, err = run(capsys, "new", "--title", bad, "--severity", "SEV2")
    assert (code, out) == (1, "")
    assert err.strip() == 'debrief: argument 3 is not valid UTF-8 text: "bad\\xff"'
    assert not db_file.exists()  # refused before anything was opened


def test_export_without_a_format_says_which_in_one_line(
    capsys: pytest.CaptureFixture[str], db_file: Path
) -> None:
    code, out, err = run(capsys, "export", "1")
    assert (code, out) == (2, "")
    assert len(err.strip().splitlines()) == 1
    assert "--format" in err
    assert "md, html, minutes, json, csv, gh, ics, all" in err


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"line one\n{{ 1 / 0 }}\n", "team.j2, line 2: ZeroDivisionError: division by zero"),
        (b"not \xff UTF-8\n", "the template team.j2 is not UTF-8 text"),
        (b"{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}\n", "a macro calls itself"),
    ],
)
def test_a_team_template_that_fails_is_named_with_its_line_in_one_line(
    capsys: pytest.CaptureFixture[str],
    db_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    content: bytes,
    said: str,
) -> None:
    assert run(capsys, "demo", "--no-open")[0] == 0
    monkeypatch.chdir(tmp_path)
    (tmp_path / "team.j2").write_bytes(content)
    code, out, err = run(capsys, "export", "1", "--format", "md", "--template", "team.j2")
    assert (code, out) == (1, "")
    assert len(err.strip().splitlines()) == 1
    assert said in err


def test_a_damaged_database_is_named_in_one_line_and_left_as_is(
    capsys: pytest.CaptureFixture[str], db_file: Path
) -> None:
    assert run(capsys, "demo", "--no-open")[0] == 0
    raw = bytearray(db_file.read_bytes())
    raw[4096 * 3 : 4096 * 4] = bytes((n * 37 + 11) % 256 for n in range(4096))  # one page
    db_file.write_bytes(bytes(raw))
    for command in (["list"], ["export", "1", "--format", "json"]):
        code, out, err = run(capsys, *command)
        assert (code, out) == (2, ""), command
        assert len(err.strip().splitlines()) == 1
        assert f"{db_file} is damaged" in err
        assert "restore it from a backup" in err
    assert db_file.read_bytes() == bytes(raw)


def test_import_notes_a_time_far_outside_the_incident(capsys, db_file: Path, tmp_path) -> None:
    """As the paste preview flags it: a wrong year is imported (the team's call) with a note."""
    code, out, _ = run(
        capsys, "new", "--title", "x", "--severity", "SEV2", "--started", "2025-03-21 09:00"
    )
    source = tmp_path / "t.txt"
    source.write_text("2025-03-21 09:05 paged\n2018-03-21 09:30 failover started\n")
    code, out, err = run(capsys, "import", out.strip(), str(source))
    assert (code, out) == (0, "imported 2 events\n")
    assert (
        "note: line 2: 2557 days before the incident, which starts 2025-03-21 09:00 UTC: "
        "a wrong date or zone?"
    ) in err.splitlines()


def test_new_takes_the_machines_zone_by_default(capsys, db_file: Path, monkeypatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    _, out, _ = run(capsys, "new", "--title", "x", "--severity", "SEV3")
    _, listed, _ = run(capsys, "export", out.strip(), "--format", "json")
    assert json.loads(listed)["session"]["timezone"] == "Asia/Kolkata"
