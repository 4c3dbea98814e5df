"""The core imports nothing from the terminal UI, and `--help` stays light."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "debrief_tui.core.persistence.db",
    "debrief_tui.core.export.document",
    "debrief_tui.core.sessions.facts",
    "debrief_tui.core.persistence.migrations",
    "debrief_tui.core.persistence.models",
    "debrief_tui.core.reference.data",
    "debrief_tui.core.persistence.store",
    "debrief_tui.core.text",
    "debrief_tui.core.timeline.timeparse",
]


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
    from pathlib import Path

    ui = Path(__file__).resolve().parent.parent / "src" / "debrief_tui" / "ui"
    for path in ui.rglob("*.py"):
        text = path.read_text()
        for forbidden in ("sqlalchemy", "sqlmodel", "sqlite3"):
            assert forbidden not in text, f"{path.name} mentions {forbidden}"
