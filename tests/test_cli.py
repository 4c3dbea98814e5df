"""The `debrief` command line, run the way a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from debrief_tui import __version__
from debrief_tui.cli import main
from debrief_tui.core.db import open_engine
from debrief_tui.core.store import Store


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DEBRIEF_DB", str(path))
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
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


def test_new_prints_only_the_id_and_stores_the_facts(capsys, db: Path) -> None:
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
    engine = open_engine(str(db))
    row = Store(engine).get_session(session_id)
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
    capsys, db: Path, args: list[str], fragment: str
) -> None:
    code, out, err = run(capsys, "new", "--title", "x", *args)
    assert code != 0
    assert out == ""
    assert fragment in err
    assert len(err.strip().splitlines()) == 1
    _, listing, _ = run(capsys, "list")
    assert listing == ""


def test_missing_session(capsys, db: Path) -> None:
    code, _, err = run(capsys, "open", "41")
    assert code != 0
    assert err.strip() == "debrief: no session with id 41"


def test_list_lines_and_json(capsys, db: Path) -> None:
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
    assert lines[1].split("\t") == ["1", "2024-01-02", "SEV3", "draft", "[bold]First[/]"]
    code, out, _ = run(capsys, "list", "--json")
    items = json.loads(out)
    assert [i["title"] for i in items] == ["Second", "[bold]First[/]"]
    assert items[1]["started_at"] == "2024-01-02T03:04:00+00:00"


def test_demo_is_created_once(capsys, db: Path) -> None:
    code, first, _ = run(capsys, "demo", "--no-open")
    assert code == 0
    _, second, _ = run(capsys, "demo", "--no-open")
    assert first == second
    _, listing, _ = run(capsys, "list")
    assert len(listing.splitlines()) == 1


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
