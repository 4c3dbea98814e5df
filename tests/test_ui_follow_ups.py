"""Pilot tests: the Follow-ups screen (issue 18), over a database of several incidents in
several zones, driven by keys as a person would."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from textual.widgets import Input

from debrief_tui.core.actions import ActionRow, FollowUp, Group
from debrief_tui.core.persistence.repositories.actions import ActionRepository
from debrief_tui.core.persistence.unit import Database, Unit
from debrief_tui.core.persistence.watcher import Change
from debrief_tui.ui.dialogs.follow_up_fields import DueDialog, OwnerDialog
from debrief_tui.ui.live import Changed
from debrief_tui.ui.screens.follow_ups import PAGE, FollowUpsScreen, FollowUpTable
from debrief_tui.ui.screens.help import HelpScreen
from debrief_tui.ui.screens.session_list import SessionListScreen
from tests.helpers import FIXED_NOW, opened, read, running, screen_text, settle, type_text, write

SIZE = (80, 24)


def build(tx: Unit) -> dict[str, int]:
    """Three incidents on either side of the date line (the tests' clock is 09:30 UTC on 24
    March 2025: the 24th in London and Auckland, still the 23rd in Honolulu); owners named by
    person (in any case) and by team. Gives each action's id by its text."""
    ids: dict[str, int] = {}
    for title, zone, people, actions in (
        (
            "Checkout failed",
            "Europe/London",
            (("Mei Lin", "Payments"), ("Jonas Becker", "SRE")),
            (
                ("Alert on payment errors over 2%", "Mei Lin", date(2025, 3, 23), "open"),
                ("Runbook for CA bundle refresh", "SRE", date(2025, 3, 27), "in progress"),
                ("Investigate better alerting", "", None, "open"),
                ("Add a retry budget to the client", "Jonas Becker", date(2025, 3, 1), "done"),
            ),
        ),
        (
            "Search was slow",
            "Pacific/Honolulu",
            (("Ade Okafor", "Search"), ("Mei Lin", "Payments")),
            (
                ("Cap the query planner's memory", "Ade Okafor", date(2025, 3, 23), "open"),
                ("Add a load test to CI", "mei lin", date(2025, 4, 20), "open"),
            ),
        ),
        (
            "Queue backlog",
            "Pacific/Auckland",
            (("Ade Okafor", "Search"),),
            (("Page on queue depth over 10,000", "Payments", date(2025, 3, 23), "open"),),
        ),
    ):
        session = tx.sessions.create(title, "SEV2", timezone=zone)
        assert session.id is not None
        for name, team in people:
            tx.attendees.add(session.id, name, team)
        for text, owner, due, status in actions:
            action = tx.actions.add(session.id, ActionRow(text, owner, due, status=status))
            assert action.id is not None
            ids[text] = action.id
    return ids


@pytest.fixture
def incidents(db: Database) -> dict[str, int]:
    """The three incidents, written to the test database."""
    return db.write(build)


async def follow_ups(app: Any, pilot: Any) -> FollowUpsScreen:
    """From the session list, open the Follow-ups screen with a and wait for its rows."""
    await pilot.press("a")
    screen = await opened(app, pilot, FollowUpsScreen)
    await settle(pilot)
    assert isinstance(screen, FollowUpsScreen)
    return screen


def notes(app: Any) -> list[str]:
    """The messages the app has shown (each one line)."""
    return [note.message for note in app._notifications]


def rows(screen: FollowUpsScreen) -> list[str]:
    """The rows as the screen holds them: `# heading` for a group, the action's text else."""
    return [
        f"# {entry.title or 'no owner'}" if isinstance(entry, Group) else entry.action.text
        for entry in screen.entries
    ]


def select(screen: FollowUpsScreen, text: str) -> None:
    """Put the cursor on the action with this text."""
    index = next(
        i
        for i, entry in enumerate(screen.entries)
        if isinstance(entry, FollowUp) and entry.action.text == text
    )
    screen.query_one(FollowUpTable).move_cursor(row=index)


def action(tx: Unit, action_id: int) -> tuple[str, str, date | None]:
    """An action's status, owner and due date as stored."""
    [row] = [a for a in tx.actions.everywhere() if a.action_id == action_id]
    return row.status, row.owner, row.due_date


async def test_grouped_by_owner_overdue_first_judged_in_each_sessions_zone(
    db: Database, incidents: dict[str, int]
) -> None:
    async with running(db, size=SIZE) as (app, pilot):
        screen = await follow_ups(app, pilot)
        # Owners with the most overdue first; "mei lin" is Mei Lin; done ones left out.
        assert rows(screen) == [
            "# Mei Lin",
            "Alert on payment errors over 2%",
            "Add a load test to CI",
            "# Payments",
            "Page on queue depth over 10,000",
            "# Ade Okafor",
            "Cap the query planner's memory",
            "# SRE",
            "Runbook for CA bundle refresh",
            "# no owner",
            "Investigate better alerting",
        ]
        text = screen_text(app)
        lines = text.splitlines()
        assert "Follow-ups  6 open actions · 2 overdue · by owner" in text
        # Due on the 23rd: a day late in London and in Auckland, due today in Honolulu,
        # where it is still the 23rd.
        assert any(
            "overdue 1d" in line and "Alert on payment errors over 2%" in line for line in lines
        )
        assert any(
            "overdue 1d" in line and "Page on queue depth over 10,000" in line for line in lines
        )
        assert any(
            "due today" in line and "Cap the query planner's memory" in line for line in lines
        )
        assert any(
            "due in 3d" in line and "Runbook for CA bundle refresh" in line for line in lines
        )
        assert "Add a retry budget" not in text
        # The cursor starts on the first action; the line under the table says it all.
        assert (
            "#1 Checkout failed · SEV2 · due Sun 23 Mar 2025 (overdue 1d in Europe/London)" in text
        )
        assert "owner Mei Lin · ticket none · ⚠ past due" in text
        # At 80 columns the keys that matter are all in the footer, whole.
        footer = lines[-1]
        for key in ("s Status", "o Owner", "d Due", "g Group", "! Overdue", "c Done", "esc Back"):
            assert key in footer, (key, footer)


async def test_grouped_by_incident_with_the_filters(
    db: Database, incidents: dict[str, int]
) -> None:
    async with running(db, size=SIZE) as (app, pilot):
        screen = await follow_ups(app, pilot)
        await pilot.press("g")
        await settle(pilot)
        assert [r for r in rows(screen) if r.startswith("#")] == [
            "# Checkout failed",
            "# Queue backlog",
            "# Search was slow",
        ]
        text = screen_text(app)
        assert "by incident" in text
        assert "#3 Queue backlog  1 action · 1" in text
        assert "Owner" in text.splitlines()[2]  # the owner is a column now
        await pilot.press("exclamation_mark")  # overdue only
        await settle(pilot)
        assert [r for r in rows(screen) if not r.startswith("#")] == [
            "Alert on payment errors over 2%",
            "Page on queue depth over 10,000",
        ]
        assert "overdue only" in screen_text(app)
        await pilot.press("exclamation_mark", "c")  # all again, done ones too
        await settle(pilot)
        assert "Add a retry budget to the client" in rows(screen)
        assert "7 actions · 2 overdue" in screen_text(app)
        await pilot.press("c", "f", "f")  # open hidden done ones; status: open, in progress
        await settle(pilot)
        assert [r for r in rows(screen) if not r.startswith("#")] == [
            "Runbook for CA bundle refresh"
        ]
        assert "status in progress" in screen_text(app)
        await pilot.press("f", "f", "f", "g")  # done, won't do, none; by owner again
        await settle(pilot)
        # The filter box: an owner's team finds what the team's people own, as the command
        # line's --owner does; words of the incident or the action find those too.
        await pilot.press("slash")
        await type_text(pilot, "payments")
        assert [r for r in rows(screen) if not r.startswith("#")] == [
            "Alert on payment errors over 2%",
            "Add a load test to CI",
            "Page on queue depth over 10,000",
        ]
        assert isinstance(app.screen.focused, Input)  # letters typed, not run as keys
        await pilot.press("escape")  # clears the box, back to the table
        await settle(pilot)
        assert len([r for r in rows(screen) if not r.startswith("#")]) == 6
        await pilot.press("slash")
        await type_text(pilot, "queue backlog")
        assert [r for r in rows(screen) if not r.startswith("#")] == [
            "Page on queue depth over 10,000"
        ]
        await pilot.press("enter", "escape")  # back to the table, then to the list
        await settle(pilot)
        assert isinstance(app.screen, SessionListScreen)


async def test_status_owner_and_due_change_in_place_and_undo_takes_each_back(
    db: Database, incidents: dict[str, int]
) -> None:
    alert = incidents["Alert on payment errors over 2%"]
    async with running(db, size=SIZE) as (app, pilot):
        screen = await follow_ups(app, pilot)
        select(screen, "Alert on payment errors over 2%")
        await pilot.press("s")
        await settle(pilot)
        assert await read(pilot, lambda tx: action(tx, alert)) == (
            "in progress",
            "Mei Lin",
            date(2025, 3, 23),
        )
        await pilot.press("o")
        dialog = await opened(app, pilot, OwnerDialog)
        await type_text(pilot, "Jonas Becker")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, OwnerDialog)
        assert (await read(pilot, lambda tx: action(tx, alert)))[1] == "Jonas Becker"
        # Grouped by owner: it moved to Jonas's group, and the cursor went with it.
        assert rows(screen)[:2] == ["# Jonas Becker", "Alert on payment errors over 2%"]
        assert screen.query_one(FollowUpTable).cursor_row == 1
        await pilot.press("d")
        dialog = await opened(app, pilot, DueDialog)
        await type_text(pilot, "+3d")  # from the 24th in London
        assert "Thu 27 Mar 2025" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert await read(pilot, lambda tx: action(tx, alert)) == (
            "in progress",
            "Jonas Becker",
            date(2025, 3, 27),
        )
        assert "due in 3d" in screen_text(app)
        for _ in range(3):
            await pilot.press("u")
            await settle(pilot)
        assert await read(pilot, lambda tx: action(tx, alert)) == (
            "open",
            "Mei Lin",
            date(2025, 3, 23),
        )
        assert rows(screen)[:2] == ["# Mei Lin", "Alert on payment errors over 2%"]
        assert not dialog.is_attached


async def test_an_action_marked_done_stays_in_sight_until_the_view_changes(
    db: Database, incidents: dict[str, int]
) -> None:
    runbook = incidents["Runbook for CA bundle refresh"]
    async with running(db, size=SIZE) as (app, pilot):
        screen = await follow_ups(app, pilot)
        select(screen, "Runbook for CA bundle refresh")
        await pilot.press("s")  # in progress -> done
        await settle(pilot)
        assert (await read(pilot, lambda tx: action(tx, runbook)))[0] == "done"
        # Still under the cursor, so a second s acts on it, not on the next one.
        assert screen._selected_id() == runbook
        await pilot.press("s")
        await settle(pilot)
        assert (await read(pilot, lambda tx: action(tx, runbook)))[0] == "won't do"
        await pilot.press("g")
        await settle(pilot)
        assert "Runbook for CA bundle refresh" not in rows(screen)


async def test_a_refused_change_says_why_in_one_line_and_the_screen_goes_on(
    db: Database, incidents: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    alert = incidents["Alert on payment errors over 2%"]
    async with running(db, size=SIZE) as (app, pilot):
        screen = await follow_ups(app, pilot)
        select(screen, "Alert on payment errors over 2%")

        def busy(*_args: object) -> object:
            raise sa.exc.OperationalError("UPDATE action", {}, Exception("database is locked"))

        with monkeypatch.context() as patch:
            patch.setattr(ActionRepository, "follow_up", busy)
            await pilot.press("s")
            await settle(pilot)
            assert "the database is busy" in notes(app)[-1]
            assert not screen.undo_stack
            await pilot.press("d")
            await opened(app, pilot, DueDialog)
            await type_text(pilot, "fri")
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, DueDialog)  # still open, the date as typed
            assert app.screen.query_one("#due-input", Input).value == "fri"
            await pilot.press("escape")
            await settle(pilot)
        assert (await read(pilot, lambda tx: action(tx, alert)))[0] == "open"
        # Deleted in another seat meanwhile: said so, and the list shows it gone.
        await write(pilot, lambda tx: tx.actions.delete(alert))
        await pilot.press("s")
        await settle(pilot)
        assert notes(app)[-1].startswith("That action is gone")
        assert "Alert on payment errors over 2%" not in rows(screen)
        await pilot.press("s")  # the screen goes on: the next action changes
        await settle(pilot)
        assert len(screen.undo_stack) == 1


async def test_read_again_on_return(db: Database, incidents: dict[str, int]) -> None:
    cap = incidents["Cap the query planner's memory"]
    async with running(db, size=SIZE) as (app, pilot):
        screen = await follow_ups(app, pilot)
        select(screen, "Cap the query planner's memory")
        await pilot.press("o")
        await opened(app, pilot, OwnerDialog)
        # Meanwhile another seat closes the action.
        await write(pilot, lambda tx: tx.actions.set_statuses({cap: "done"}))
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert "Cap the query planner's memory" not in rows(screen)


async def test_the_actions_are_read_ahead_while_the_session_list_shows(
    db: Database, incidents: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # At a team's scale the read takes most of a second: done while the list is looked at,
    # the key shows the actions at once.
    reads: list[bool] = []
    everywhere = ActionRepository.everywhere

    def counted(self: ActionRepository, **options: Any) -> Any:
        reads.append(options.get("closed", True))
        return everywhere(self, **options)

    monkeypatch.setattr(ActionRepository, "everywhere", counted)
    async with running(db, size=SIZE) as (app, pilot):
        assert isinstance(app.screen, SessionListScreen)
        await pilot.pause(0.8)
        await settle(pilot)
        assert reads == [False]  # the open actions, once
        screen = await follow_ups(app, pilot)
        assert reads == [False]  # shown from what was read ahead
        assert "Cap the query planner's memory" in rows(screen)


async def test_shown_again_it_reads_the_actions_only_if_they_changed(
    db: Database, incidents: dict[str, int]
) -> None:
    cap = incidents["Cap the query planner's memory"]
    async with running(db, size=SIZE) as (app, pilot):
        screen = await follow_ups(app, pilot)
        board = screen.board
        await pilot.press("g", "escape")
        await settle(pilot)
        minute: list[tuple[str | None, str]] = [(None, "not an action")]
        await write(pilot, lambda tx: tx.minutes.add(1, "whys", minute, FIXED_NOW))
        assert await follow_ups(app, pilot) is screen
        assert screen.board is board  # a minute is no action: nothing read again
        assert "by incident" in screen_text(app)  # and the screen is as it was left
        await pilot.press("escape")
        await settle(pilot)
        await write(pilot, lambda tx: tx.actions.set_statuses({cap: "done"}))
        await follow_ups(app, pilot)
        assert screen.board is not board
        assert "Cap the query planner's memory" not in rows(screen)


async def test_another_seats_change_shows_while_the_screen_is_open(
    db: Database, incidents: dict[str, int]
) -> None:
    runbook = incidents["Runbook for CA bundle refresh"]
    async with running(db, size=SIZE) as (app, pilot):
        screen = await follow_ups(app, pilot)
        await write(pilot, lambda tx: tx.actions.set_statuses({runbook: "done"}))
        # As the watcher hands over what another seat committed.
        app.post_message(Changed([Change(99, 1, "action", runbook, "edit", "another-seat")]))
        await settle(pilot)
        assert "Runbook for CA bundle refresh" not in rows(screen)
        assert "5 open actions" in screen_text(app)


async def test_rows_are_added_as_the_cursor_goes_down(db: Database) -> None:
    def many(tx: Unit) -> None:
        session = tx.sessions.create("Many actions", "SEV3", timezone="UTC")
        assert session.id is not None
        for n in range(PAGE * 2 + 10):
            tx.actions.add(session.id, ActionRow(f"Add alert {n}", "SRE", date(2025, 4, 1)))

    db.write(many)
    async with running(db, size=SIZE) as (app, pilot):
        screen = await follow_ups(app, pilot)
        table = screen.query_one(FollowUpTable)
        assert len(screen.entries) == PAGE * 2 + 11
        first = table.row_count
        assert 2 * table.size.height <= first < PAGE  # two screenfuls
        await pilot.press("pagedown", "pagedown")  # a screenful from the end: a page more
        await settle(pilot)
        assert table.row_count >= first + PAGE
        while table.row_count < len(screen.entries):
            before = table.row_count
            table.move_cursor(row=before - 1)
            await settle(pilot)
            assert table.row_count > before
        assert table.row_count == len(screen.entries)


async def test_end_goes_to_the_last_action_at_once(db: Database) -> None:
    def many(tx: Unit) -> None:
        session = tx.sessions.create("Many actions", "SEV3", timezone="UTC")
        assert session.id is not None
        for n in range(450):
            due = date(2025, 4, 1 + n // 30)
            tx.actions.add(session.id, ActionRow(f"Add alert {n:03}", "SRE", due))

    db.write(many)
    async with running(db, size=SIZE) as (app, pilot):
        screen = await follow_ups(app, pilot)
        table = screen.query_one(FollowUpTable)
        assert table.row_count < len(screen.entries) == 451  # the heading and 450 actions
        await pilot.press("end")
        await settle(pilot)
        assert (table.row_count, table.cursor_row) == (451, 450)
        assert "Add alert 449" in screen_text(app)  # due last, listed last, on screen


async def test_a_wider_terminal_shows_the_smart_gaps_and_tickets_as_columns(
    db: Database, incidents: dict[str, int]
) -> None:
    async with running(db, size=(130, 30)) as (app, pilot):
        await follow_ups(app, pilot)
        lines = screen_text(app).splitlines()
        assert all(word in lines[2] for word in ("Due", "Action", "Incident", "SMART", "Ticket"))
        at = next(i for i, line in enumerate(lines) if "Investigate better alerting" in line)
        row = "\n".join(lines[at : at + 3])  # a cell wraps, never cut
        assert all(mark in row for mark in ("no owner,", "due date,", "vague"))
        await pilot.press("f1")  # the keys left out of the footer are listed here
        await opened(app, pilot, HelpScreen)
        help_text = screen_text(app)
        assert "Status filter" in help_text
        assert "Filter" in help_text
        await pilot.press("f1")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, SessionListScreen)
