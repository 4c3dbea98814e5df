"""The core imports nothing from the terminal UI, and `--help` stays light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "src" / "debrief_tui" / "core"
CORE_MODULES = sorted(
    "debrief_tui.core." + ".".join(path.relative_to(CORE).with_suffix("").parts)
    for path in CORE.rglob("*.py")
    if path.name != "__init__.py"
)
"""Every module of the core."""


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_core_does_not_import_textual_or_rich() -> None:
    loaded = _loaded_after("; ".join(f"import {m}" for m in CORE_MODULES))
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "rich")}


def test_cli_module_does_not_load_the_orm_or_textual() -> None:
    loaded = _loaded_after("import debrief_tui.cli")
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "sqlmodel", "sqlalchemy")}


def test_ui_never_writes_sql() -> None:
    ui = Path(__file__).resolve().parent.parent / "src" / "debrief_tui" / "ui"
    for path in ui.rglob("*.py"):
        text = path.read_text()
        for forbidden in ("sqlalchemy", "sqlmodel", "sqlite3"):
            assert forbidden not in text, f"{path.name} mentions {forbidden}"


def test_the_meeting_screens_leave_the_large_title_font_for_the_presenter_view() -> None:
    """pyfiglet and its font are read on the first f4, not when a meeting opens."""
    loaded = _loaded_after(
        "import debrief_tui.ui.app, debrief_tui.ui.screens.stage, "
        "debrief_tui.ui.widgets.meeting_header"
    )
    assert "debrief_tui.ui.widgets.meeting_header" in loaded
    assert "pyfiglet" not in loaded


def test_the_list_and_the_meeting_leave_plotext_for_the_trends_screen() -> None:
    """textual-plotext (and plotext) load when the Trends screen draws, not at start."""
    loaded = _loaded_after(
        "import debrief_tui.ui.app, debrief_tui.ui.screens.session_list, "
        "debrief_tui.ui.screens.stage, debrief_tui.ui.screens.trends"
    )
    assert "debrief_tui.ui.screens.session_list" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("textual_plotext", "plotext")}


def test_the_app_leaves_the_follow_up_rules_for_the_commands_that_read_them() -> None:
    """The persistence package (imported by every start) does not load the follow-up rules,
    and pendulum with them, for the quick read of actions that only commands make."""
    loaded = _loaded_after("import debrief_tui.core.persistence, debrief_tui.ui.app")
    assert "debrief_tui.core.persistence.tracked" not in loaded
    assert "pendulum" not in loaded


def test_the_follow_up_commands_read_a_team_database_without_the_orm() -> None:
    """`debrief actions --overdue` on a PostgreSQL URL, as cron runs it, loads neither
    SQLAlchemy nor pendulum nor the gateway's asyncio machinery of its own: its whole start
    is the driver (here it finds no server, and refuses in one line)."""
    loaded = _loaded_after(
        "from debrief_tui.cli import main; import contextlib, io\n"
        "with contextlib.redirect_stderr(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--db', 'postgresql://postgres@127.0.0.1:1/x', 'actions', '--overdue'])"
    )
    assert "debrief_tui.core.persistence.tracked" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("sqlalchemy", "sqlmodel", "pendulum")}
    assert "debrief_tui.core.persistence.gateway" not in loaded
