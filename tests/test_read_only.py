"""A database this user cannot write: refused in one line by every command that writes (the TUI
before its first frame, not at the first Enter), read as it is by `list` and `export`, and never
left harder to use than it was.

Root may write any file, so as root each command runs without the capability that lets it
(`setpriv`): it then meets file modes as an ordinary user does.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

DEBRIEF = [sys.executable, "-m", "debrief_tui"]
ORDINARY = (
    ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"]
    if os.geteuid() == 0
    else []
)


@pytest.fixture(autouse=True)
def _ordinary_user() -> None:
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: file modes cannot be tried")


def debrief(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a command as an ordinary user would, on `db`."""
    return subprocess.run(
        [*ORDINARY, *DEBRIEF, "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "team" / "debrief.db"
    assert debrief(path, "demo", "--no-open").returncode == 0
    return path


def _beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


@pytest.mark.parametrize(
    "args",
    [
        ("new", "--title", "Checkout down", "--severity", "SEV2"),
        ("demo", "--no-open"),
        ("open", "1"),
        ("import", "1", "-"),
        ("load", "-"),
        (),
    ],
    ids=["new", "demo", "open", "import", "load", "session-list"],
)
def test_a_read_only_file_is_refused_in_one_line_by_a_command_that_writes(
    demo_db: Path, args: tuple[str, ...]
) -> None:
    before = demo_db.read_bytes()
    demo_db.chmod(0o400)
    result = debrief(demo_db, *args)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"debrief: read-only: {demo_db} cannot be written (the file is read-only, mode 0400); "
        "`debrief list` and `debrief export` can still read it"
    ]
    assert demo_db.read_bytes() == before
    assert _beside(demo_db) == ["debrief.db"]


def test_list_and_export_read_a_read_only_file_and_leave_nothing_beside_it(
    demo_db: Path,
) -> None:
    demo_db.chmod(0o400)
    listed = debrief(demo_db, "list")
    exported = debrief(demo_db, "export", "1", "--format", "md")
    assert listed.returncode == 0
    assert "Checkout failed" in listed.stdout
    assert exported.returncode == 0
    assert exported.stdout.startswith("# Checkout failed")
    # No lock files are made: SQLite would give them the file's mode, 0400, and a later
    # writable copy of the file could then not be written until they were removed by hand.
    assert _beside(demo_db) == ["debrief.db"]


def test_lock_files_left_read_only_by_an_older_release_are_put_right(demo_db: Path) -> None:
    for suffix in ("-wal", "-shm"):
        side = demo_db.with_name(demo_db.name + suffix)
        side.write_bytes(b"")
        side.chmod(0o400)
    result = debrief(demo_db, "new", "--title", "After chmod", "--severity", "SEV3")
    assert (result.returncode, result.stderr) == (0, "")
    assert "After chmod" in debrief(demo_db, "list").stdout


def test_a_read_only_folder_is_named_as_the_reason(demo_db: Path) -> None:
    folder = demo_db.parent
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        refused = debrief(demo_db, "new", "--title", "x", "--severity", "SEV2")
        listed = debrief(demo_db, "list")
    finally:
        folder.chmod(0o700)
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        f"debrief: read-only: {demo_db} cannot be written (its folder {folder} is read-only; "
        "SQLite keeps a log file beside the database); `debrief list` and `debrief export` "
        "can still read it"
    ]
    assert listed.returncode == 0
    assert "Checkout failed" in listed.stdout


def test_unsaved_changes_in_a_log_that_cannot_be_read_are_refused_not_skipped(
    demo_db: Path,
) -> None:
    # A copy of a database taken while a seat was writing: the newest rows are still in the
    # -wal, and without its index SQLite cannot read them from a read-only file.
    demo_db.with_name("debrief.db-wal").write_bytes(b"\0" * 4096)
    demo_db.chmod(0o400)
    result = debrief(demo_db, "list")
    assert result.returncode == 2
    assert result.stderr.startswith(f"debrief: read-only: {demo_db} has changes in debrief.db-wal")
    assert len(result.stderr.splitlines()) == 1
