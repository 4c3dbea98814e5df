"""Every piece of text debrief draws is readable on a shared screen: at least 4.5:1 against its
background (WCAG AA), 3:1 for marks that are not text (■ ▶ ✓ ☑ ...), in both themes, on every
stage of the demo meeting, the session list and the setup screen, at 80x24.

The check reads the screen as the terminal gets it (the compositor's strips, each segment with
its Rich style) and works out the contrast of every cell that holds a visible character."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

import pytest
from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from rich.terminal_theme import DEFAULT_TERMINAL_THEME
from textual.app import App
from textual.color import Color
from textual.screen import Screen

from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.unit import Database
from debrief_tui.ui.app import DebriefApp
from debrief_tui.ui.dialogs.event_dialog import EventDialog
from debrief_tui.ui.dialogs.export_dialog import ExportDialog
from debrief_tui.ui.screens.session_list import SessionListScreen
from debrief_tui.ui.screens.session_setup import SessionSetupScreen
from debrief_tui.ui.screens.stage import StageScreen
from debrief_tui.ui.themes import DARK, LIGHT
from tests.helpers import DEFAULT_STAGES, app_for, fixed_clock, screen_text, settle, start

SIZE = (80, 24)
TEXT = 4.5
"""WCAG AA for normal text."""
MARK = 3.0
"""WCAG AA for non-text marks (and large text, which a terminal does not have)."""
DECORATION = range(0x2500, 0x25A0)
"""Box-drawing lines and block elements: borders, separators, the edges of inputs and scrollbars,
decoration that carries no meaning of its own (WCAG asks no contrast of it)."""
_RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Offence:
    """A run of cells below its threshold."""

    where: str
    text: str
    fg: _RGB
    bg: _RGB
    ratio: float
    needed: float

    def __str__(self) -> str:
        fg, bg = (f"#{r:02x}{g:02x}{b:02x}" for r, g, b in (self.fg, self.bg))
        return f"{self.ratio:5.2f} < {self.needed}  {fg} on {bg}  {self.where}: {self.text!r}"


def luminance(rgb: _RGB) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: _RGB, b: _RGB) -> float:
    """WCAG 2 contrast ratio of two colours, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def is_mark(char: str) -> bool:
    """Whether `char` is a symbol rather than a letter, digit or punctuation of text."""
    return unicodedata.category(char) in {"So", "Sm"} or 0x2190 <= ord(char) <= 0x2BFF


def _rgb(color: RichColor | None, default: _RGB) -> _RGB:
    if color is None or color.is_default:
        return default
    triplet = color.get_truecolor(DEFAULT_TERMINAL_THEME)
    return (triplet.red, triplet.green, triplet.blue)


def cell_colours(style: Style, fg: _RGB, bg: _RGB) -> tuple[_RGB, _RGB]:
    """The colours a cell in `style` shows, with the screen's colours where it has none."""
    front, back = _rgb(style.color, fg), _rgb(style.bgcolor, bg)
    if style.reverse:
        front, back = back, front
    if style.dim:  # a terminal draws dim text about halfway to the background
        front = tuple((f + b) // 2 for f, b in zip(front, back, strict=True))  # type: ignore[assignment]
    return front, back


def offences(app: App[Any], where: str) -> list[Offence]:
    """Every run of visible characters on the app's screen now that is below its threshold."""
    styles = app.screen.styles
    base_bg = Color.parse(str(styles.background.hex)).rgb
    base_fg = Color.parse(str(styles.color.hex)).rgb
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    found: list[Offence] = []
    for row, line in enumerate(update.strips):  # type: ignore[union-attr]
        for strip in line:
            for segment in strip:
                found.extend(_segment_offences(segment, base_fg, base_bg, f"{where} row {row}"))
    return found


def _segment_offences(segment: Segment, fg: _RGB, bg: _RGB, where: str) -> list[Offence]:
    text, style, control = segment
    if control or style is None or not text.strip():
        return []
    front, back = cell_colours(style, fg, bg)
    ratio = contrast(front, back)
    found: list[Offence] = []
    chars = [c for c in text if not c.isspace() and ord(c) not in DECORATION]
    if not chars:
        return []
    needed = TEXT if any(not is_mark(c) for c in chars) else MARK
    if ratio < needed:
        found.append(Offence(where, text.strip(), front, back, ratio, needed))
    return found


async def _stages(app: DebriefApp, pilot: Any, theme: str) -> list[Offence]:
    """The offences on every stage of the meeting, first to last, on dialogs with checkboxes,
    in the presenter view and on the setup screen."""
    await start(app, pilot)
    found: list[Offence] = []
    for number, title in enumerate(DEFAULT_STAGES, 1):
        assert isinstance(app.screen, StageScreen)
        assert f"{number}/{len(DEFAULT_STAGES)} {title}" in _header(app), title
        found += offences(app, f"{theme} {title}")
        if title == "Timeline review":
            found += await _dialog(app, pilot, "a", EventDialog, f"{theme} add event")
            assert "☐ Key event" in screen_text(app)
            await _close(app, pilot)
        if number < len(DEFAULT_STAGES):
            await pilot.press("f8")
            await start(app, pilot)
    found += await _dialog(app, pilot, "ctrl+e", ExportDialog, f"{theme} export")
    assert "☑" in screen_text(app)
    await _close(app, pilot)
    await pilot.press("f4")
    await settle(pilot)
    found += offences(app, f"{theme} presenter")
    await pilot.press("f4")
    await pilot.press("f2")
    await settle(pilot)
    assert isinstance(app.screen, SessionSetupScreen)
    found += offences(app, f"{theme} setup")
    return found


async def _dialog(
    app: DebriefApp, pilot: Any, key: str, kind: type[Screen[Any]], where: str
) -> list[Offence]:
    """The offences with the dialog that `key` opens on top of the stage."""
    await pilot.press(key)
    await settle(pilot)
    assert isinstance(app.screen, kind), app.screen
    return offences(app, where)


async def _close(app: DebriefApp, pilot: Any) -> None:
    await pilot.press("escape")
    await settle(pilot)
    assert isinstance(app.screen, StageScreen)


def _header(app: App[Any]) -> str:
    return "\n".join(screen_text(app).splitlines()[:2])


def test_contrast_is_the_wcag_ratio():
    assert contrast((255, 255, 255), (0, 0, 0)) == pytest.approx(21)
    assert contrast((0x76, 0x76, 0x76), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)
    assert contrast((9, 9, 9), (9, 9, 9)) == 1


@pytest.mark.parametrize("theme", [DARK.name, LIGHT.name])
async def test_every_screen_is_readable(db: Database, demo: PostmortemSession, theme: str):
    found: list[Offence] = []
    app = app_for(db, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = theme
        await settle(pilot)
        assert isinstance(app.screen, SessionListScreen)
        found += offences(app, f"{theme} session list")
    session_id = demo.id
    assert session_id is not None
    db.write(lambda tx: tx.meeting.set_state(session_id, current_stage="ground-rules"))
    app = app_for(db, session_id=session_id, clock=fixed_clock)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = DARK.name
        await start(app, pilot)
        if theme != DARK.name:  # as a facilitator does: f3, and what is on screen redraws
            await pilot.press("f3")
            await settle(pilot)
            assert app.theme == theme
        found += await _stages(app, pilot, theme)
    worst = sorted({(o.text, o.fg, o.bg): o for o in found}.values(), key=lambda o: o.ratio)
    assert not worst, f"{len(worst)} runs below contrast:\n" + "\n".join(map(str, worst[:60]))
