"""Pilot tests that feed the forms hostile text: Rich markup, control characters, bidi
controls, zero-width and combining characters, emoji, wide CJK, 100 KB pastes and blanks.

Whatever a terminal can deliver (a lone surrogate cannot be typed, so none is sent), the app
keeps running, saves exactly what the box showed when it was confirmed (trimmed or with white
space folded, as each form says), and draws it literally: markup as typed, control characters
and bidi controls written out as `core.text.printable` does, never raw.

The examples are drawn by hypothesis once, derandomized (the same every run), and each form
gets all of them in one running app: an app per example would take minutes.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Awaitable, Callable
from functools import cache
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from textual import events
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import WorkerState

from debrief_tui.core.meeting import MAX_MINUTE_CHARS, MAX_PASTE_LINES
from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.unit import Database
from debrief_tui.core.text import escape_controls, one_line, printable
from debrief_tui.core.whys import MAX_ANSWER_CHARS
from debrief_tui.ui.app import DebriefApp
from debrief_tui.ui.dialogs.action_dialog import ActionDialog
from debrief_tui.ui.dialogs.attendee import AttendeeDialog
from debrief_tui.ui.dialogs.event_dialog import EventDialog
from debrief_tui.ui.screens.actions import ActionsScreen
from debrief_tui.ui.screens.session_setup import SessionSetupScreen
from debrief_tui.ui.screens.timeline import TimelineScreen
from debrief_tui.ui.screens.whys import WhysScreen
from debrief_tui.ui.widgets.minute_input import MinuteInput
from debrief_tui.ui.widgets.wrapping import wrap_cells
from tests.helpers import opened, read, screen_text, settle, stage, type_text

SIZE = (120, 30)
"""Wide enough for most examples to show uncut in their table column or list line."""

RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What must never reach the screen as it is: every control character but the newline that
ends each row of `screen_text`, and the bidi embeddings, overrides and isolates."""

MARKUP = (
    "[bold]x[/]",
    "[link=https://evil.example/?q=[b]]click[/link]",
    "[/]",
    "[red",
    "\\[b]not[/b]",
    "[@click=app.quit]quit[/]",
    ":smile:",
    "%s {0} ${x}",
)
CONTROLS = tuple(chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if chr(c) not in "\r\n")
BIDI = tuple("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
COMBINING = ("e\u0301", "a\u0308\u0332", "\u0301", "\u0e01\u0e49")
EMOJI = ("😀", "👍🏽", "👩\u200d💻", "🇳🇱", "❤\ufe0f")
WIDE = ("漢字", "テスト", "한국어", "\uff57\uff49\uff44\uff45")
# Anything UTF-8 can carry (no lone surrogate) but line breaks: in a one-line box they end
# the line (they have tests of their own).
ANY_CHAR = st.characters(codec="utf-8", exclude_characters="\r\n")

HOSTILE = st.lists(
    st.one_of(
        st.sampled_from(MARKUP),
        st.sampled_from(CONTROLS),
        st.sampled_from(BIDI),
        st.sampled_from(ZERO_WIDTH),
        st.sampled_from(COMBINING),
        st.sampled_from(EMOJI),
        st.sampled_from(WIDE),
        st.text(ANY_CHAR, min_size=1, max_size=4),
    ),
    min_size=1,
    max_size=5,
).map("".join)

EXPLICIT = (
    "[bold]x[/] [link=https://evil.example]click[/link]",
    "\x1b[2J\x1b]0;pwned\x07 \x9b31m",
    "\u202eevil.exe\u202c and \u2066isolated\u2069",
    "e\u0301\u200b😀漢字\x85after NEL\x0bafter VT\u2028after LS",
)


@cache
def examples() -> tuple[str, ...]:
    """The hostile texts each form is given: the explicit ones, then hypothesis's, each after
    a number so that no two are alike and none is blank."""
    drawn: list[str] = []

    @settings(
        max_examples=11,
        deadline=None,
        derandomize=True,
        database=None,
        phases=(Phase.generate,),
        suppress_health_check=list(HealthCheck),
    )
    @given(HOSTILE)
    def draw(text: str) -> None:
        drawn.append(text)

    draw()
    return tuple(f"#{n:02d} {text}" for n, text in enumerate((*EXPLICIT, *drawn)))


def folded(text: str) -> str:
    """White space folded, as actions, answers and the minutes list fold it."""
    return " ".join(text.split())


def alive(app: DebriefApp) -> None:
    """No crash: the app runs, caught no exception, and no worker failed."""
    assert app.is_running
    assert getattr(app, "_exception", None) is None
    assert not [w for w in app.workers if w.state == WorkerState.ERROR]


def shown_literally(app: DebriefApp, expected: str = "") -> str:
    """Assert that no control character is on screen raw and that `expected` is shown as it
    is, or its start (8 characters or more) cut by its column's ellipsis or by the edge of
    the screen (a wide table scrolls sideways); gives the screen's text."""
    text = screen_text(app)
    raw = RAW.findall(text)
    assert not raw, f"raw control characters on screen: {raw!r}"
    if expected not in text:
        assert any(
            _cut_short(line, expected[:n].rstrip(), app.size.width)
            for n in range(len(expected), 7, -1)
            for line in text.splitlines()
        ), f"{expected!r} is not on screen:\n{text}"
    return text


def _cut_short(line: str, start: str, width: int) -> bool:
    """Whether `line` shows `start` followed by an ellipsis, or running to the screen's edge."""
    if start + "…" in line:
        return True
    at = line.find(start)
    return at >= 0 and cell_len(line[: at + len(start)]) >= width - 2


_CHARACTERS = {"enter": "\r", "space": " "}


async def press(pilot: Any, *keys: str) -> None:
    """Press `keys` as a fast typist would, then wait until all are handled. (`pilot.press`
    waits 40 ms or more after each key: it made this file twice as slow.)"""
    for key in keys:
        pilot.app.post_message(
            events.Key(key, _CHARACTERS.get(key, key if len(key) == 1 else None))
        )
    await settle(pilot)


async def paste(pilot: Any, text: str, *then: str, into: Widget | None = None) -> None:
    """Paste `text` as a terminal delivers it: to the app, which hands it to the focused
    widget (or straight to `into`, as Textual would once it has the focus); then press the
    keys `then`, which reach the focused widget after the paste; then wait until all are
    handled."""
    (into or pilot.app).post_message(events.Paste(text))
    await press(pilot, *then)


def box(app: DebriefApp, selector: str) -> Input:
    """A text box of the screen on top."""
    return app.screen.query_one(selector, Input)


async def blank_is_refused(
    app: DebriefApp,
    pilot: Any,
    field: Input,
    confirm: str,
    message: str,
    stored: Callable[[], Awaitable[object]],
) -> None:
    """Spaces typed, then pastes of nothing but line breaks: each is refused with `message`,
    stays in the box as it was, and nothing is saved."""
    before = await stored()
    for typed, kept in (("   ", "   "), ("\n\n\n", ""), ("\r\n\r\n", "")):
        field.value = ""
        field.focus()
        await settle(pilot)
        if typed == "   ":
            await type_text(pilot, typed)
        else:
            await paste(pilot, typed)
        assert field.value == kept, repr(typed)
        await press(pilot, confirm)
        alive(app)
        assert message in shown_literally(app), f"no {message!r} for {typed!r}"
        assert field.value == kept, repr(typed)
        assert app.screen.focused is field, repr(typed)
        assert await stored() == before, repr(typed)


def test_the_examples_hold_what_they_should() -> None:
    """Markup, controls, bidi controls, wide and combining characters, no lone surrogate."""
    joined = "".join(examples())
    assert len(examples()) >= 15
    assert "[bold]" in joined
    assert RAW.search(joined)
    assert any(c in joined for c in BIDI)
    assert cell_len(joined) != len(joined)
    assert not re.search("[\ud800-\udfff]", joined)


# Typing in a box ------------------------------------------------------------------------------


async def test_a_paste_is_written_out_in_the_box_and_the_cursor_stays_after_it(
    db: Database, demo: PostmortemSession
) -> None:
    """Control characters pasted are written out (`\\x1b`), and the keys typed next land after
    them, not inside `\\x1b`; nothing after a NEL, VT or U+2028 in a paste is dropped; a block
    pasted into a one-line box is joined into the line."""
    async with stage(db, demo, "actions", size=SIZE) as (app, pilot, _screen):
        await press(pilot, "a")
        await opened(app, pilot, ActionDialog)
        field = box(app, "#action-text")
        await type_text(pilot, "[b]a")
        await paste(pilot, "\x1b[31m\u202e\x85b\x0bc\u2028d")
        await type_text(pilot, "z[/b]")
        assert field.value == "[b]a\\x1b[31m\\u202e\\x85b\\x0bc\u2028dz[/b]"
        assert field.cursor_position == len(field.value)
        await paste(pilot, "line one\nline two\r\nthree\r")
        assert field.value.endswith("z[/b]line one line two three")
        shown_literally(app, "[b]a\\x1b[31m\\u202e\\x85b\\x0bc")
        alive(app)


# Each form, given every example ---------------------------------------------------------------


async def test_session_facts(db: Database, demo: PostmortemSession) -> None:
    assert demo.id is not None
    demo_id = demo.id
    async with stage(db, demo, "ground-rules", size=SIZE) as (app, pilot, _screen):
        await press(pilot, "f2")
        assert isinstance(app.screen, SessionSetupScreen)
        for text in examples():
            for name in ("title", "summary"):
                field = box(app, f"#fact-{name}")
                field.focus()
                field.value = ""
                await paste(pilot, text, "enter")
                alive(app)
                saved = await read(pilot, lambda tx: tx.sessions.get(demo_id))
                assert getattr(saved, name) == escape_controls(text).strip(), (name, text)
                assert field.value == getattr(saved, name)
                shown_literally(app, one_line(getattr(saved, name)))

        async def title() -> str:
            return (await read(pilot, lambda tx: tx.sessions.get(demo_id))).title

        field = box(app, "#fact-title")
        await blank_is_refused(app, pilot, field, "enter", "a title is needed", title)


async def test_attendee_dialog(db: Database, demo: PostmortemSession) -> None:
    assert demo.id is not None
    demo_id = demo.id
    async with stage(db, demo, "ground-rules", size=SIZE) as (app, pilot, _screen):
        await press(pilot, "f2")
        await press(pilot, "f3")
        for text in examples():
            await press(pilot, "a")
            dialog = await opened(app, pilot, AttendeeDialog)
            name, team = box(app, "#attendee-name"), box(app, "#attendee-team")
            team.post_message(events.Paste(f"team {text}"))
            await paste(pilot, text)  # into the name, where the dialog starts
            assert (name.value, team.value) == (
                escape_controls(text),
                escape_controls(f"team {text}"),
            )
            await press(pilot, "ctrl+s")
            alive(app)
            assert app.screen is not dialog, text
            person = (await read(pilot, lambda tx: tx.attendees.of(demo_id)))[-1]
            assert person.name == escape_controls(text).strip(), text
            assert person.team == escape_controls(f"team {text}").strip(), text
            shown_literally(app, one_line(person.name))
            shown_literally(app, one_line(person.team))

        async def people() -> int:
            return len(await read(pilot, lambda tx: tx.attendees.of(demo_id)))

        await press(pilot, "a")
        await opened(app, pilot, AttendeeDialog)
        field = box(app, "#attendee-name")
        await blank_is_refused(app, pilot, field, "ctrl+s", "an attendee needs a name", people)


async def test_event_dialog(db: Database, demo: PostmortemSession) -> None:
    assert demo.id is not None
    demo_id = demo.id
    async with stage(db, demo, "timeline", size=SIZE) as (app, pilot, screen):
        assert isinstance(screen, TimelineScreen)
        for text in examples():
            await press(pilot, "a")
            dialog = await opened(app, pilot, EventDialog)
            box(app, "#event-time").value = "23:40"
            await press(pilot, "enter")  # on to the text
            await paste(pilot, text, "enter")
            alive(app)
            assert app.screen is not dialog, text
            rows = await read(pilot, lambda tx: tx.timeline.of(demo_id))
            (event,) = [e for e in rows if e.text.startswith(text[:3])]
            assert event.text == escape_controls(text).strip(), text
            shown_literally(app, one_line(event.text))

        async def count() -> int:
            return len(await read(pilot, lambda tx: tx.timeline.of(demo_id)))

        await press(pilot, "a")
        await opened(app, pilot, EventDialog)
        box(app, "#event-time").value = "23:41"
        await press(pilot, "enter")
        field = box(app, "#event-text")
        await blank_is_refused(app, pilot, field, "enter", "say what happened", count)


async def test_action_dialog(db: Database, demo: PostmortemSession) -> None:
    assert demo.id is not None
    demo_id = demo.id
    async with stage(db, demo, "actions", size=SIZE) as (app, pilot, screen):
        assert isinstance(screen, ActionsScreen)
        for text in examples():
            await press(pilot, "a")
            dialog = await opened(app, pilot, ActionDialog)
            for name in ("owner", "ticket"):
                box(app, f"#action-{name}").post_message(events.Paste(f"{name} {text}"))
            await paste(pilot, text)  # into the text, where the dialog starts
            assert box(app, "#action-text").value == escape_controls(text), text
            await press(pilot, "ctrl+s")
            alive(app)
            assert app.screen is not dialog, text
            action = (await read(pilot, lambda tx: tx.actions.of(demo_id)))[-1]
            assert action.text == folded(escape_controls(text)), text
            assert action.owner == folded(escape_controls(f"owner {text}")), text
            assert action.ticket == escape_controls(f"ticket {text}").strip(), text
            shown_literally(app, one_line(action.text))

        async def count() -> int:
            return len(await read(pilot, lambda tx: tx.actions.of(demo_id)))

        await press(pilot, "a")
        await opened(app, pilot, ActionDialog)
        field = box(app, "#action-text")
        await blank_is_refused(app, pilot, field, "enter", "say what will be done", count)


async def test_minutes_box(db: Database, demo: PostmortemSession) -> None:
    assert demo.id is not None
    demo_id = demo.id
    async with stage(db, demo, "ground-rules", size=SIZE) as (app, pilot, screen):
        field = screen.query_one(MinuteInput)
        for text in examples():
            await paste(pilot, text, "enter")
            alive(app)
            assert field.value == ""
            rows = await read(pilot, lambda tx: tx.minutes.of(demo_id))
            minute = max(rows, key=lambda m: m.id or 0)
            assert minute.author is None  # "#00 …" names no speaker
            assert minute.text == escape_controls(text).strip(), text
            shown_literally(app, folded(printable(minute.text)))

        async def count() -> int:
            return len(await read(pilot, lambda tx: tx.minutes.of(demo_id)))

        await blank_is_refused(app, pilot, field, "enter", "nothing to save", count)


async def test_why_answer_box(db: Database, demo: PostmortemSession) -> None:
    assert demo.id is not None
    demo_id = demo.id
    async with stage(db, demo, "whys", size=SIZE, notifications=True) as (app, pilot, screen):
        assert isinstance(screen, WhysScreen)
        for text in examples():
            await press(pilot, "home", "a")  # an answer to the problem statement
            field = box(app, "#why-input")
            assert screen.focused is field
            await paste(pilot, text)
            assert field.value == escape_controls(text), text
            await press(pilot, "enter")
            alive(app)
            saved = max(await read(pilot, lambda tx: tx.whys.of(demo_id)), key=lambda n: n.id or 0)
            assert saved.text == folded(escape_controls(text)), text
            shown_literally(app, printable(saved.text))

        async def count() -> int:
            return len(await read(pilot, lambda tx: tx.whys.of(demo_id)))

        await press(pilot, "home", "a")
        field = box(app, "#why-input")
        await blank_is_refused(app, pilot, field, "enter", "an answer needs some text", count)


# Long text ------------------------------------------------------------------------------------

CHUNK = "[bold]x[/] \x1b[2J \u202eevil\u202c e\u0301 \u200b 😀 漢字テスト \x85 " + "tail " * 30
BIG = (CHUNK * (100_000 // len(CHUNK) + 1))[:100_000]
"""100 KB on one line, save for a NEL (U+0085) now and then."""

WIDE_LINE = "".join(chr(0x4E00 + n) for n in range(150))
"""150 CJK characters: 300 cells, two or three lines' worth."""


async def test_a_100_kb_paste_into_the_minutes_box_is_saved_whole_in_pieces(
    db: Database, demo: PostmortemSession
) -> None:
    """A line longer than a minute takes becomes several minutes, in order, nothing lost."""
    assert demo.id is not None
    demo_id = demo.id
    async with stage(db, demo, "ground-rules", size=SIZE) as (app, pilot, screen):
        field = screen.query_one(MinuteInput)
        await type_text(pilot, "typed first ")
        before = {m.id for m in await read(pilot, lambda tx: tx.minutes.of(demo_id))}
        await paste(pilot, BIG)
        alive(app)
        assert field.value == ""
        rows = await read(pilot, lambda tx: tx.minutes.of(demo_id))
        new = sorted((m for m in rows if m.id not in before), key=lambda m: m.id or 0)
        assert len(new) > len(BIG) // MAX_MINUTE_CHARS
        assert all(len(m.text) <= MAX_MINUTE_CHARS and m.author is None for m in new)
        assert folded(" ".join(m.text for m in new)) == folded(f"typed first {BIG}")
        shown_literally(app, folded(printable(new[-1].text))[-40:])


async def test_a_paste_of_too_many_lines_is_refused_and_what_was_typed_kept(
    db: Database, demo: PostmortemSession
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    async with stage(db, demo, "ground-rules", size=SIZE, notifications=True) as (app, pilot, _):
        field = app.screen.query_one(MinuteInput)
        before = await read(pilot, lambda tx: tx.minutes.of(demo_id))
        await type_text(pilot, "[i]typed[/i]")
        await paste(pilot, "[b]line[/b]\n" * (MAX_PASTE_LINES + 1))
        alive(app)
        assert f"{MAX_PASTE_LINES + 1:,} lines" in shown_literally(app)
        assert field.value == "[i]typed[/i]"
        assert await read(pilot, lambda tx: tx.minutes.of(demo_id)) == before


async def test_a_100_kb_answer_is_refused_and_kept_in_the_box(
    db: Database, demo: PostmortemSession
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    async with stage(db, demo, "whys", size=SIZE, notifications=True) as (app, pilot, _screen):
        before = await read(pilot, lambda tx: tx.whys.of(demo_id))
        await press(pilot, "a")
        field = box(app, "#why-input")
        await paste(pilot, BIG)
        await press(pilot, "enter")
        alive(app)
        assert f"at most {MAX_ANSWER_CHARS:,} characters" in shown_literally(app)
        assert field.value == escape_controls(BIG)
        assert app.screen.focused is field
        assert await read(pilot, lambda tx: tx.whys.of(demo_id)) == before


async def test_a_100_kb_action_is_refused_and_kept_in_the_box(
    db: Database, demo: PostmortemSession
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    before = db.read(lambda tx: tx.actions.of(demo_id))  # the demo's own actions
    async with stage(db, demo, "actions", size=SIZE, notifications=True) as (app, pilot, _):
        await press(pilot, "a")
        dialog = await opened(app, pilot, ActionDialog)
        field = box(app, "#action-text")
        await paste(pilot, BIG)
        assert field.value == escape_controls(BIG)
        await press(pilot, "enter")
        alive(app)
        shown_literally(app)
        assert field.value == escape_controls(BIG)
        assert await read(pilot, lambda tx: tx.actions.of(demo_id)) == before
        assert app.screen is dialog, "a 100 KB action was saved"


async def test_a_time_zone_too_long_for_a_file_name_is_refused_not_a_crash(
    db: Database, demo: PostmortemSession
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    async with stage(db, demo, "ground-rules", size=SIZE) as (app, pilot, _screen):
        await press(pilot, "f2")
        field = box(app, "#fact-timezone")
        field.focus()
        field.value = ""
        await paste(pilot, "Europe/" + "x" * 300, "enter")
        alive(app)
        assert "unknown time zone" in shown_literally(app)
        assert field.value == "Europe/" + "x" * 300
        assert (await read(pilot, lambda tx: tx.sessions.get(demo_id))).timezone == demo.timezone


async def test_wide_characters_wrap_in_the_minutes_list_with_none_cut_off(
    db: Database, demo: PostmortemSession
) -> None:
    """A line of CJK wraps by the cells it takes, not its length in characters (which ran
    each row to twice the width and cut off what ran past it)."""
    async with stage(db, demo, "ground-rules", size=(80, 24)) as (app, pilot, _screen):
        await paste(pilot, WIDE_LINE)
        await press(pilot, "enter")
        text = shown_literally(app)
        assert [c for c in WIDE_LINE if c not in text] == []
        assert all(cell_len(line) <= 80 for line in text.splitlines())


async def test_wide_characters_wrap_in_the_why_tree_with_none_cut_off(
    db: Database, demo: PostmortemSession
) -> None:
    async with stage(db, demo, "whys", size=(80, 40)) as (app, pilot, _screen):
        await press(pilot, "a")
        await paste(pilot, WIDE_LINE)
        await press(pilot, "enter")
        text = shown_literally(app)
        assert [c for c in WIDE_LINE if c not in text] == []


def test_wrapping_in_cells_keeps_every_character_within_the_width() -> None:
    """What the minutes list wraps with: lines no wider than asked, nothing dropped, and
    textwrap's own lines for text of one-cell characters."""
    for text in (*examples(), WIDE_LINE, f"abc {WIDE_LINE} 😀😀 def", "narrow words " * 9):
        shown = folded(printable(text))
        for width in (10, 11, 37):
            lines = wrap_cells(shown, width, break_on_hyphens=False)
            assert all(cell_len(line) <= width for line in lines), (text, width)
            assert "".join(lines).replace(" ", "") == shown.replace(" ", ""), (text, width)
    assert wrap_cells("narrow words " * 9, 20) == textwrap.wrap("narrow words " * 9, 20)
