"""The db: sessions, facts and attendees read back exactly as saved."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from debrief_tui.core.errors import NotFound
from debrief_tui.core.persistence.models import Minute, PostmortemSession, WhyNode
from debrief_tui.core.persistence.unit import Database, Unit
from debrief_tui.core.reference.vocab import ROLES
from debrief_tui.core.sessions.facts import InputError, parse_fact
from tests.helpers import FIXED_NOW
from tests.postgres import both_backends

pytestmark = both_backends


def test_create_and_read_back_with_aware_utc_times(db: Database) -> None:
    started = parse_fact("started_at", "2025-03-21 23:12", "Europe/Amsterdam")
    row = db.write(
        lambda tx: tx.sessions.create("Outage", "SEV2", "Europe/Amsterdam", started_at=started)
    )
    assert row.id is not None
    row_id = row.id
    again = db.read(lambda tx: tx.sessions.get(row_id))
    assert again.started_at == datetime(2025, 3, 21, 22, 12, tzinfo=UTC)
    assert again.started_at is not None
    assert again.started_at.tzinfo is not None
    assert again.created_at == FIXED_NOW
    assert again.status == "draft"


def test_naive_datetimes_are_refused(db: Database) -> None:
    naive = datetime(2025, 3, 21, 10, 0)
    with pytest.raises(sa.exc.StatementError, match="naive"):
        db.write(lambda tx: tx.sessions.create("x", "SEV3", started_at=naive))


def test_update_facts_and_status_change_is_dated(db: Database) -> None:
    row = db.write(lambda tx: tx.sessions.create("Outage", "SEV2"))
    assert row.id is not None
    row_id = row.id
    db.write(
        lambda tx: tx.sessions.update(
            row_id, users_affected=1200, status="in review", detection_method="customer"
        )
    )
    again = db.read(lambda tx: tx.sessions.get(row_id))
    assert (again.users_affected, again.status, again.detection_method) == (
        1200,
        "in review",
        "customer",
    )
    assert again.status_changed_at == FIXED_NOW


def test_empty_title_is_refused(db: Database) -> None:
    with pytest.raises(InputError, match="title"):
        db.write(lambda tx: tx.sessions.create("  ", "SEV2"))
    row = db.write(lambda tx: tx.sessions.create("x", "SEV2"))
    assert row.id is not None
    row_id = row.id
    with pytest.raises(InputError):
        db.write(lambda tx: tx.sessions.update(row_id, title=""))
    assert db.read(lambda tx: tx.sessions.get(row_id)).title == "x"


def test_list_filters_and_orders_newest_incident_first(db: Database) -> None:
    old = parse_fact("started_at", "2024-01-01 10:00", "UTC")
    new = parse_fact("started_at", "2025-01-01 10:00", "UTC")
    db.write(lambda tx: tx.sessions.create("Database failover", "SEV1", started_at=old))
    db.write(lambda tx: tx.sessions.create("Checkout errors", "SEV3", started_at=new))
    assert [r.title for r in db.read(lambda tx: tx.sessions.matching())] == [
        "Checkout errors",
        "Database failover",
    ]
    assert [r.title for r in db.read(lambda tx: tx.sessions.matching("failover"))] == [
        "Database failover"
    ]
    assert [r.title for r in db.read(lambda tx: tx.sessions.matching("sev3"))] == [
        "Checkout errors"
    ]
    assert db.read(lambda tx: tx.sessions.matching("nothing-like-this")) == []


def test_attendees_add_edit_remove(db: Database) -> None:
    row = db.write(lambda tx: tx.sessions.create("Outage", "SEV2"))
    assert row.id is not None
    row_id = row.id
    ann = db.write(lambda tx: tx.attendees.add(row_id, "Ann", "SRE", "facilitator"))
    db.write(lambda tx: tx.attendees.add(row_id, "Bo", "", "note-taker"))
    assert ann.id is not None
    ann_id = ann.id
    db.write(lambda tx: tx.attendees.update(ann_id, "Ann Lee", "Platform", "incident commander"))
    people = [(a.name, a.team, a.role) for a in db.read(lambda tx: tx.attendees.of(row_id))]
    assert people == [("Ann Lee", "Platform", "incident commander"), ("Bo", "", "note-taker")]
    db.write(lambda tx: tx.attendees.delete(ann_id))
    assert [a.name for a in db.read(lambda tx: tx.attendees.of(row_id))] == ["Bo"]
    with pytest.raises(InputError, match="role"):
        db.write(lambda tx: tx.attendees.add(row_id, "Cy", "", "hero"))
    with pytest.raises(InputError, match="name"):
        db.write(lambda tx: tx.attendees.add(row_id, " ", "", "responder"))


def test_delete_session_removes_its_attendees_and_timeline(
    db: Database, demo: PostmortemSession
) -> None:
    assert demo.id is not None
    demo_id = demo.id
    db.write(lambda tx: tx.sessions.delete(demo_id))
    with pytest.raises(NotFound):
        db.read(lambda tx: tx.sessions.get(demo_id))
    assert db.read(lambda tx: tx.attendees.of(demo_id)) == []
    assert db.read(lambda tx: tx.timeline.of(demo_id)) == []
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM timeline_event")).scalar() == 0


def test_missing_session_is_not_found(db: Database) -> None:
    with pytest.raises(NotFound):
        db.read(lambda tx: tx.sessions.get(404))
    with pytest.raises(NotFound):
        db.write(lambda tx: tx.sessions.update(404, title="x"))
    with pytest.raises(NotFound):
        db.write(lambda tx: tx.attendees.add(404, "Ann"))


def test_user_text_is_stored_as_typed(db: Database) -> None:
    title = "[bold]x[/] \x1b[31mred\x1b[0m 'quotes' \"; DROP TABLE session; --"
    row = db.write(lambda tx: tx.sessions.create(title, "SEV4"))
    assert row.id is not None
    row_id = row.id
    assert db.read(lambda tx: tx.sessions.get(row_id)).title == title


def test_a_second_connection_sees_each_commit(file_db: Database, tmp_path) -> None:
    # What one terminal confirms is visible to another at once: nothing waits for quit.
    from debrief_tui.core.persistence.engine import open_engine

    row = file_db.write(lambda tx: tx.sessions.create("Outage", "SEV2"))
    assert row.id is not None
    row_id = row.id
    file_db.write(lambda tx: tx.attendees.add(row_id, "Ann", "SRE", "facilitator"))
    other = Database(open_engine(str(tmp_path / "debrief.db")))
    assert [a.name for a in other.read(lambda tx: tx.attendees.of(row_id))] == ["Ann"]
    other.engine.dispose()


def test_demo_incident_is_complete(db: Database, demo: PostmortemSession) -> None:
    assert demo.id is not None
    demo_id = demo.id
    row: PostmortemSession = db.read(lambda tx: tx.sessions.get(demo_id))
    for name in (
        "started_at",
        "detected_at",
        "first_logged_at",
        "acknowledged_at",
        "mitigated_at",
        "resolved_at",
        "users_affected",
        "accounts_affected",
        "support_requests",
        "services_affected",
        "detection_method",
        "summary",
    ):
        assert getattr(row, name), name
    assert {a.role for a in db.read(lambda tx: tx.attendees.of(demo_id))} == set(ROLES)
    minutes = db.read(lambda tx: tx.minutes.of(demo_id))
    assert len({m.stage for m in minutes}) >= 3
    assert all(m.author for m in minutes[:5])
    assert [p.owner for p in db.read(lambda tx: tx.parking.of(demo_id))] == ["Sofia Marques", ""]
    events = db.read(lambda tx: tx.timeline.of(demo_id))
    assert len(events) >= 15
    local_days = {e.at.astimezone(ZoneInfo(row.timezone)).date() for e in events}
    assert len(local_days) == 2, "the demo timeline crosses midnight in the session's zone"


# Timeline -----------------------------------------------------------------------------------


def _session(db: Database) -> int:
    row = db.write(lambda tx: tx.sessions.create("Timeline", "SEV2", "UTC"))
    assert row.id is not None
    row_id = row.id
    return row_id


def test_timeline_events_add_in_bulk_edit_delete_restore(db: Database) -> None:
    from debrief_tui.core.timeline.events import TimelineRow

    session = _session(db)
    t = [datetime(2025, 3, 21, h, 0, tzinfo=UTC) for h in range(9, 13)]
    assert (
        db.write(
            lambda tx: tx.timeline.add_many(
                session, [TimelineRow(t[2], "c"), TimelineRow(t[0], "a")]
            )
        )
        == 2
    )
    added = db.write(
        lambda tx: tx.timeline.add(session, TimelineRow(t[1], "b", "alert", key_event=True))
    )
    assert [e.text for e in db.read(lambda tx: tx.timeline.of(session))] == ["a", "b", "c"]
    assert added.id is not None
    added_id = added.id
    db.write(lambda tx: tx.timeline.update(added_id, TimelineRow(t[3], "b later", "action")))
    assert [e.text for e in db.read(lambda tx: tx.timeline.of(session))] == ["a", "c", "b later"]
    removed = db.write(lambda tx: tx.timeline.delete(added_id))
    assert [e.text for e in db.read(lambda tx: tx.timeline.of(session))] == ["a", "c"]
    db.write(lambda tx: tx.removals.restore(removed))
    assert [(e.id, e.text) for e in db.read(lambda tx: tx.timeline.of(session))][-1] == (
        added_id,
        "b later",
    )


def test_bulk_add_is_all_or_nothing(db: Database) -> None:
    from debrief_tui.core.timeline.events import TimelineRow

    session = _session(db)
    at = datetime(2025, 3, 21, 9, tzinfo=UTC)
    with pytest.raises(InputError, match="unknown kind"):
        db.write(
            lambda tx: tx.timeline.add_many(
                session, [TimelineRow(at, "ok"), TimelineRow(at, "x", "nope")]
            )
        )
    with pytest.raises(InputError, match="needs some text"):
        db.write(
            lambda tx: tx.timeline.add_many(session, [TimelineRow(at, "ok"), TimelineRow(at, "  ")])
        )
    assert db.read(lambda tx: tx.timeline.of(session)) == []


def test_milestones_are_facts_and_move_with_their_event(db: Database) -> None:
    from debrief_tui.core.timeline.events import TimelineRow

    session = _session(db)
    at = datetime(2025, 3, 21, 9, tzinfo=UTC)
    event = db.write(lambda tx: tx.timeline.add(session, TimelineRow(at, "alert fires", "alert")))
    assert event.id is not None
    event_id = event.id
    db.write(lambda tx: tx.sessions.set_milestone(session, "detected_at", at))
    db.write(lambda tx: tx.sessions.set_milestone(session, "first_communication_at", at))
    assert db.read(lambda tx: tx.sessions.get(session)).detected_at == at
    later = datetime(2025, 3, 21, 9, 5, tzinfo=UTC)
    db.write(lambda tx: tx.timeline.update(event_id, TimelineRow(later, "alert fires", "alert")))
    row = db.read(lambda tx: tx.sessions.get(session))
    assert (row.detected_at, row.first_communication_at) == (later, later)
    db.write(lambda tx: tx.sessions.set_milestone(session, "detected_at", None))
    assert db.read(lambda tx: tx.sessions.get(session)).detected_at is None
    with pytest.raises(InputError, match="unknown milestone"):
        db.write(lambda tx: tx.sessions.set_milestone(session, "title", at))


def test_search_ignores_case_and_takes_wildcards_and_backslashes_as_typed(db: Database) -> None:
    def create(tx: Unit) -> None:
        for title in ("100% of EU checkouts failed", "1000 errors", r"C:\temp filled up", "C:temp"):
            tx.sessions.create(title, "SEV2")

    db.write(create)

    def found(query: str) -> list[str]:
        return sorted(r.title for r in db.read(lambda tx: tx.sessions.matching(query)))

    assert found("eu CHECKOUTS") == ["100% of EU checkouts failed"]
    assert found("100%") == ["100% of EU checkouts failed"]
    assert found("1_0") == []
    assert found(r"c:\t") == [r"C:\temp filled up"]


def test_rows_an_undo_brings_back_keep_their_ids_and_new_rows_get_new_ones(db: Database) -> None:
    session = _session(db)
    at = datetime(2025, 3, 21, 9, tzinfo=UTC)
    first, second = db.write(
        lambda tx: tx.minutes.add(session, "timeline", [(None, "one"), (None, "two")], at)
    )
    removed = db.write(lambda tx: tx.minutes.delete(second.id or 0))
    third = db.write(lambda tx: tx.minutes.add(session, "timeline", [(None, "three")], at))[0]
    back = cast("Minute", db.write(lambda tx: tx.removals.restore(removed)))
    fourth = db.write(lambda tx: tx.minutes.add(session, "timeline", [(None, "four")], at))[0]
    rows = {m.text: m.id for m in db.read(lambda tx: tx.minutes.of(session))}
    assert rows == {"one": first.id, "two": back.id, "three": third.id, "four": fourth.id}
    assert len(set(rows.values())) == 4
    # Its own id when that is free (PostgreSQL never reuses one); a new one when SQLite gave
    # the deleted newest row's id to the row added since.
    assert back.id == (second.id if third.id != second.id else back.id)
    assert back.id != third.id


def test_an_answer_undone_under_new_ids_keeps_its_children_and_links(db: Database) -> None:
    session = _session(db)
    root = db.write(lambda tx: tx.whys.ensure_root(session))
    answer = db.write(lambda tx: tx.whys.add(root.id or 0, "No canary"))
    child = db.write(lambda tx: tx.whys.add(answer.id or 0, "Nobody owns the pipeline"))
    factor = db.write(lambda tx: tx.factors.add(session, "process", "No canary", [child.id or 0]))
    removed = db.write(lambda tx: tx.whys.delete(answer.id or 0))
    # Two new answers may take the deleted ones' ids (SQLite reuses the largest).
    db.write(lambda tx: tx.whys.add(root.id or 0, "Taken 1"))
    db.write(lambda tx: tx.whys.add(root.id or 0, "Taken 2"))
    back = cast("WhyNode", db.write(lambda tx: tx.removals.restore(removed)))
    tree = db.read(lambda tx: tx.whys.of(session))
    by_text = {node.text: node for node in tree}
    assert by_text["No canary"].id == back.id
    assert by_text["Nobody owns the pipeline"].parent_id == back.id
    linked = db.read(lambda tx: tx.factors.links(session)).get(factor.id or 0)
    assert linked == [by_text["Nobody owns the pipeline"].id]
