"""Pilot tests for tables and labels at small and large terminals (issue 17): long text wraps
instead of being cut, short columns come and go whole with the width, and labels (categories,
milestones, stage titles, setup fields, the room's names) are never cut."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from rich.cells import cell_len
from rich.text import Text

from debrief_tui.core.actions.items import ActionRow
from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.unit import Database, Unit
from debrief_tui.core.timeline import TimelineRow
from debrief_tui.ui.widgets.wrapping import wrap_text
from tests.helpers import screen_text, settle, stage

SIZES = [(120, 40), (80, 24)]

ACTION = (
    "Rotate the payment gateway certificates from one runbook that the platform team owns "
    "and rehearses every quarter"
)
FACTOR = "Nobody watched the certificate expiry dashboard during the weekend freeze period"
TOPIC = "Should every service pin its certificate authority bundle at build time"


def words(app_text: str) -> set[str]:
    """The words on the screen, as cut by white space: a word cut short is not among them."""
    return set(app_text.split())


def all_shown(text: str, app_text: str) -> list[str]:
    """The words of `text` missing from the screen (none, when it is shown whole)."""
    shown = words(app_text)
    return [word for word in text.split() if word not in shown]


def heading(line: str) -> bool:
    """Whether `line` is the action table's header row."""
    return line.split()[:2] == ["SMART", "Action"]


def add_action(db: Database, session: PostmortemSession) -> None:
    """A long action with a priority and a ticket."""
    assert session.id is not None
    session_id = session.id
    row = ActionRow(
        text=ACTION,
        owner="Mei Lin",
        due_date=date(2099, 5, 1),
        priority="P1",
        ticket="OPS-4711",
    )
    db.write(lambda tx: tx.actions.add(session_id, row))


@pytest.mark.parametrize("size", SIZES)
async def test_a_long_action_wraps_whole(
    db: Database, bare_demo: PostmortemSession, size: tuple[int, int]
) -> None:
    add_action(db, bare_demo)
    async with stage(db, bare_demo, "actions", size=size) as (app, _pilot, _screen):
        text = screen_text(app)
        assert all_shown(ACTION, text) == []
        assert "Mei Lin" in text
        assert "2099-05-01" in text


async def test_priority_and_ticket_appear_when_wide_and_go_whole_when_narrow(
    db: Database, bare_demo: PostmortemSession
) -> None:
    add_action(db, bare_demo)
    async with stage(db, bare_demo, "actions", size=(120, 40)) as (app, pilot, _screen):
        header = next(line for line in screen_text(app).splitlines() if heading(line))
        assert header.split() == [
            "SMART",
            "Action",
            "Prio",
            "Owner",
            "Due",
            "Type",
            "Status",
            "Ticket",
        ]
        row = next(line for line in screen_text(app).splitlines() if "Mei Lin" in line)
        assert "P1" in row.split()
        assert "OPS-4711" in row.split()
        # Narrower, the table lays itself out again: the optional columns go whole, the
        # text still reads whole, and what went is on the selected action's detail line.
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        await pilot.pause(0.1)
        text = screen_text(app)
        header = next(line for line in text.splitlines() if heading(line))
        assert header.split() == ["SMART", "Action", "Owner", "Due", "Status"]
        assert all_shown(ACTION, text) == []
        detail = next(line for line in text.splitlines() if "ticket" in line)
        assert "P1 · prevent · ticket OPS-4711" in detail


@pytest.mark.parametrize("size", SIZES)
async def test_a_long_category_and_factor_read_whole(
    db: Database, bare_demo: PostmortemSession, size: tuple[int, int]
) -> None:
    assert bare_demo.id is not None
    session_id = bare_demo.id
    db.write(lambda tx: tx.factors.add(session_id, "detection and observability", FACTOR))
    db.write(lambda tx: tx.factors.add(session_id, "people and organisation", "Handover gap"))
    async with stage(db, bare_demo, "factors", size=size) as (app, _pilot, _screen):
        text = screen_text(app)
        assert "detection and observability" in text
        assert "people and organisation" in text
        assert all_shown(FACTOR, text) == []


@pytest.mark.parametrize("size", SIZES)
async def test_a_milestone_name_reads_whole(
    db: Database, bare_demo: PostmortemSession, size: tuple[int, int]
) -> None:
    assert bare_demo.id is not None
    session_id = bare_demo.id
    at = datetime(2025, 3, 21, 20, 0, tzinfo=UTC)  # before the demo's first event: row one
    event = TimelineRow(at=at, text="Status page updated for customers in every region")
    db.write(lambda tx: tx.timeline.add(session_id, event))
    db.write(lambda tx: tx.sessions.set_milestone(session_id, "first_communication_at", at))
    async with stage(db, bare_demo, "timeline", size=size) as (app, _pilot, _screen):
        text = screen_text(app)
        assert "first communication" in text
        assert all_shown("Status page updated for customers in every region", text) == []


@pytest.mark.parametrize("size", SIZES)
async def test_raised_in_shows_the_whole_stage_title(
    db: Database, bare_demo: PostmortemSession, size: tuple[int, int]
) -> None:
    assert bare_demo.id is not None
    session_id = bare_demo.id

    def park_only_this(tx: Unit) -> None:
        for item in tx.parking.of(session_id):
            tx.parking.delete(item.id or 0)
        tx.parking.add(session_id, TOPIC, "timeline")

    db.write(park_only_this)
    async with stage(db, bare_demo, "wrap-up", size=size) as (app, _pilot, _screen):
        text = screen_text(app)
        row = next(line for line in text.splitlines() if "needs an owner" in line)
        assert "Timeline review" in row
        if size == (120, 40):
            assert all_shown(TOPIC, text) == []
        else:
            # Three lines of topic in a table with room for two: it keeps to them, and its
            # last line says there is more (the item's dialog shows it whole).
            assert "Should every service pin its" in row
            assert "…" in text.split("needs an owner", 1)[1].splitlines()[1]


async def test_setup_labels_read_whole_at_80_columns(
    db: Database, bare_demo: PostmortemSession
) -> None:
    async with stage(db, bare_demo, "ground-rules", size=(80, 24)) as (app, pilot, _screen):
        await pilot.press("f2")
        await settle(pilot)
        labels = [line[:21].strip() for line in screen_text(app).splitlines()]
        assert "First communication" in labels
        assert "Accounts affected" in labels


async def test_the_room_panel_shows_names_whole_at_80x24(
    db: Database, bare_demo: PostmortemSession
) -> None:
    assert bare_demo.id is not None
    session_id = bare_demo.id
    people = {a.name for a in db.read(lambda tx: tx.attendees.of(session_id))}
    async with stage(db, bare_demo, "lessons", size=(80, 24)) as (app, pilot, _screen):
        await pilot.press("f6")
        await settle(pilot)
        await pilot.pause(0.1)
        text = screen_text(app)
        assert f"of {len(people)} heard in this stage" in text
        # The panel's column, right of the minutes: one person a line, each name whole.
        panel = [line.split("│ ", 1)[1].strip() for line in text.splitlines() if "│ " in line]
        names = [line[2:].split(" (")[0] for line in panel if line[:2] in ("· ", "✓ ")]
        assert len(names) >= min(len(people), 6)
        assert set(names) <= people


async def test_the_timeline_footer_at_80_columns_keeps_its_keys_whole(
    db: Database, bare_demo: PostmortemSession
) -> None:
    # Ten timeline keys take 103 columns and 68 are free beside the palette key: the first
    # keep their place whole, the rest (Paste timeline, Chat export, +UTC) are in f1's list.
    async with stage(db, bare_demo, "timeline", size=(80, 24)) as (app, pilot, _screen):
        footer = screen_text(app).splitlines()[-1]
        kept = footer.split("▏")[0].rstrip()
        assert kept.endswith("m Milestone")
        assert "Chat export" not in footer
        await pilot.press("f1")
        await settle(pilot)
        assert "Chat export" in screen_text(app)


def test_wrapped_cells_keep_their_styles_and_fit_in_cells() -> None:
    """A chat message's dimmed author stays dimmed across lines; wide characters count two."""
    said = Text.assemble(("Priya Raman", "dim"), ": rollback now, then page the gateway team")
    lines = wrap_text(said, 14).split("\n")
    assert [line.plain for line in lines] == [
        "Priya Raman:",
        "rollback now,",
        "then page the",
        "gateway team",
    ]
    assert lines[0].spans[0].style == "dim"
    assert all(
        cell_len(line.plain) <= 6 for line in wrap_text(Text("証明書の更新を忘れた"), 6).split("\n")
    )
