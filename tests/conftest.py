"""Shared fixtures: a fresh in-memory store per test, a fixed clock, and screen reading."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.app import App

from debrief_tui.core.export.document import load_document_file
from debrief_tui.core.persistence.db import open_engine
from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.store import Store
from debrief_tui.paths import data_path

FIXED_NOW = datetime(2025, 3, 24, 9, 30, tzinfo=UTC)
DEFAULT_STAGES = (
    "Ground rules",
    "Timeline review",
    "5 Whys",
    "Contributing factors",
    "Lessons",
    "Actions",
    "Wrap-up",
)
"""The titles of the shipped agenda's stages, in order."""
REPO = Path(__file__).resolve().parent.parent


def fixed_clock() -> datetime:
    """The clock every test store runs on."""
    return FIXED_NOW


@pytest.fixture
def store() -> Iterator[Store]:
    """A store over a fresh in-memory database."""
    engine = open_engine("sqlite://")
    yield Store(engine, clock=fixed_clock)
    engine.dispose()


@pytest.fixture
def file_store(tmp_path: Path) -> Iterator[Store]:
    """A store over a fresh database file (for tests that need a second connection)."""
    engine = open_engine(str(tmp_path / "debrief.db"))
    yield Store(engine, clock=fixed_clock)
    engine.dispose()


@pytest.fixture
def demo(store: Store) -> PostmortemSession:
    """The shipped demo incident, loaded into the test store."""
    return store.create_from_document(load_document_file(data_path("demo.json"), "demo"))


def screen_text(app: App[Any]) -> str:
    """The text a person sees on the app's screen right now, modal dialogs included."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(update)
    return console.export_text()
