"""The Follow-ups screen's rules without the screen: narrowing and grouping (`Board`), and one
field changed in place by the repository on both backends, giving the old value for undo."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from debrief_tui.core.actions import ActionRow, Board, FollowUpChange, View, to_follow_up
from debrief_tui.core.errors import InputError, NotFound
from debrief_tui.core.persistence.unit import Database
from tests.postgres import both_backends
from tests.test_follow_ups import tracked

pytestmark = both_backends

NOW = datetime(2025, 4, 3, 11, 30, tzinfo=UTC)


def board() -> Board:
    """Four actions of two incidents: one overdue, one owned by a team, one done."""
    return Board(
        to_follow_up(
            [
                tracked(action_id=1, owner="Mei Lin", due_date=date(2025, 4, 1)),
                tracked(action_id=2, owner="mei lin", due_date=date(2025, 4, 9)),
                tracked(
                    action_id=3,
                    session_id=2,
                    incident="Search was slow",
                    owner="SRE",
                    text="Cap the planner's memory at 2 GB",
                ),
                tracked(action_id=4, owner="José Álvarez", status="done"),
            ],
            NOW,
        )
    )


def ids(items: object) -> list[int]:
    return [item.action.action_id for item in items]  # type: ignore[attr-defined]


def test_groups_by_owner_as_written_in_any_case_the_most_overdue_first() -> None:
    groups = board().groups(View())
    assert [(g.title, ids(g.items), g.overdue) for g in groups] == [
        ("Mei Lin", [1, 2], 1),
        ("SRE", [3], 0),
    ]
    groups = board().groups(View(by="incident", closed=True))
    assert [(g.session_id, g.title, ids(g.items)) for g in groups] == [
        (1, "Checkout failed", [1, 2, 4]),
        (2, "Search was slow", [3]),
    ]


def test_narrowed_by_overdue_status_and_words_as_the_command_line_reads_owners() -> None:
    items = board()
    assert ids(items.shown(View(overdue=True))) == [1]
    assert ids(items.shown(View(status="done"))) == [4]
    # A team finds its people's actions (Mei Lin is in Payments); accents and case do not
    # matter; every word must be found, in the owner, the incident, the text or the ticket.
    assert ids(items.shown(View(words="payments"))) == [1, 2]
    assert ids(items.shown(View(words="jose", closed=True))) == [4]
    assert ids(items.shown(View(words="search 2 GB"))) == [3]
    assert ids(items.shown(View(words="search payments"))) == []
    # An action changed here stays in sight whatever the view says, until it changes.
    assert ids(items.shown(View(overdue=True), pinned=frozenset({4}))) == [1, 4]


def test_one_field_changes_alone_and_gives_its_old_value(db: Database) -> None:
    def add(tx):
        session = tx.sessions.create("Checkout failed", "SEV2", timezone="Europe/London")
        return tx.actions.add(session.id, ActionRow("Add an alert", "Mei Lin", date(2025, 4, 1))).id

    action_id = db.write(add)
    before = db.write(
        lambda tx: tx.actions.follow_up(action_id, FollowUpChange("owner", " Ade  O "))
    )
    assert before == FollowUpChange("owner", "Mei Lin")
    before = db.write(
        lambda tx: tx.actions.follow_up(action_id, FollowUpChange("due_date", date(2025, 5, 2)))
    )
    assert before == FollowUpChange("due_date", date(2025, 4, 1))
    db.write(lambda tx: tx.actions.follow_up(action_id, FollowUpChange("status", "done")))
    [row] = db.read(lambda tx: tx.actions.of(1))
    assert (row.text, row.owner, row.due_date, row.status) == (
        "Add an alert",
        "Ade O",
        date(2025, 5, 2),
        "done",
    )
    with pytest.raises(InputError):
        db.write(lambda tx: tx.actions.follow_up(action_id, FollowUpChange("status", "closed")))
    with pytest.raises(NotFound):
        db.write(lambda tx: tx.actions.follow_up(action_id + 1, FollowUpChange("owner", "x")))
    # The open ones alone, as the screen first reads them.
    assert db.read(lambda tx: tx.actions.everywhere(closed=False)) == []
    [read] = db.read(lambda tx: tx.actions.everywhere())
    # Read on the driver's own cursor: the day and the flag come back typed on both backends.
    assert (read.action_id, read.due_date, read.proposal, read.zone, read.teams) == (
        action_id,
        date(2025, 5, 2),
        False,
        "Europe/London",
        (),
    )
