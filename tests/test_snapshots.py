"""Every stage of the demo meeting as the room sees it, at 80x24 and 120x40, in both themes,
compared with screenshots that were reviewed by eye (tests/snapshots/*.svg).

A change that moves a single cell fails here with the path of the new screenshot beside the
reviewed one. Look at both (open the SVGs in a browser); when the new one is right, accept it
with `UPDATE_SNAPSHOTS=1 pytest tests/test_snapshots.py` and review the diff before committing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, TextArea

from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.unit import Database
from debrief_tui.ui.themes import DARK, LIGHT
from tests.helpers import settle, stage

SNAPSHOTS = Path(__file__).parent / "snapshots"
FAILED = SNAPSHOTS / "failed"
STAGE_KEYS = ("ground-rules", "timeline", "whys", "factors", "lessons", "actions", "wrap-up")
SIZES = ((80, 24), (120, 40))
THEMES = {"dark": DARK.name, "light": LIGHT.name}


def _normalized(svg: str) -> str:
    # Rich names each screenshot's CSS classes with a random number; the picture is the same.
    return re.sub(r"\bterminal-\d+-", "terminal-", svg)


async def screenshot(app: Any, pilot: Any) -> str:
    """The screen as an SVG once everything has settled, with the text cursors drawn steady
    (a blinking cursor would make every other screenshot differ)."""
    for box in [*app.screen.query(Input), *app.screen.query(TextArea)]:
        box.cursor_blink = False
    # Some widgets settle a frame or two after the data (a scrollbar appears, a table is
    # re-fitted to its width): wait until two frames in a row are the same.
    last = ""
    for _ in range(40):
        app.screen.refresh(layout=True)  # scrollbars are placed again with the layout
        await settle(pilot)
        await pilot.pause(0.05)
        svg = _normalized(app.export_screenshot(title="debrief"))
        if svg == last:
            return svg
        last = svg
    raise AssertionError("the screen never settled")


def matches_reviewed(name: str, svg: str) -> None:
    """Compare with the reviewed screenshot `name` (written instead with UPDATE_SNAPSHOTS=1)."""
    reviewed = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS"):
        reviewed.write_text(svg, encoding="utf-8")
        return
    assert reviewed.exists(), f"no reviewed screenshot {reviewed}: run with UPDATE_SNAPSHOTS=1"
    if reviewed.read_text(encoding="utf-8") != svg:
        FAILED.mkdir(exist_ok=True)
        (FAILED / name).write_text(svg, encoding="utf-8")
        pytest.fail(f"{name} differs from the reviewed screenshot: compare {FAILED / name}")


@pytest.mark.parametrize("theme", list(THEMES))
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("key", STAGE_KEYS)
async def test_every_stage_looks_as_reviewed(
    db: Database, demo: PostmortemSession, key: str, size: tuple[int, int], theme: str
) -> None:
    async with stage(db, demo, key, size=size) as (app, pilot, _screen):
        if app.theme != THEMES[theme]:
            await pilot.press("f3")
            await settle(pilot)
        assert app.theme == THEMES[theme]
        svg = await screenshot(app, pilot)
    matches_reviewed(f"{key}-{size[0]}x{size[1]}-{theme}.svg", svg)
