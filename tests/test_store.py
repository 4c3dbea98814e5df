"""The store: sessions, facts and attendees read back exactly as saved."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.store import NotFound, Store
from debrief_tui.core.reference.vocab import ROLES
from debrief_tui.core.sessions.facts import InputError, parse_fact
from tests.conftest import FIXED_NOW


def test_create_and_read_back_with_aware_utc_times(store: Store) -> None:
    started = parse_fact("started_at", "2025-03-21 23:12", "Europe/Amsterdam")
    row = store.create_session("Outage", "SEV2", "Europe/Amsterdam", started_at=started)
    assert row.id is not None
    again = store.get_session(row.id)
    assert again.started_at == datetime(2025, 3, 21, 22, 12, tzinfo=UTC)
    assert again.started_at is not None
    assert again.started_at.tzinfo is not None
    assert again.created_at == FIXED_NOW
    assert again.status == "draft"


def test_naive_datetimes_are_refused(store: Store) -> None:
    naive = datetime(2025, 3, 21, 10, 0)
    with pytest.raises(sa.exc.StatementError, match="naive"):
        store.create_session("x", "SEV3", started_at=naive)


def test_update_facts_and_status_change_is_dated(store: Store) -> None:
    row = store.create_session("Outage", "SEV2")
    assert row.id is not None
    store.update_session(
        row.id, users_affected=1200, status="in review", detection_method="customer"
    )
    again = store.get_session(row.id)
    assert (again.users_affected, again.status, again.detection_method) == (
        1200,
        "in review",
        "customer",
    )
    assert again.status_changed_at == FIXED_NOW


def test_empty_title_is_refused(store: Store) -> None:
    with pytest.raises(InputError, match="title"):
        store.create_session("  ", "SEV2")
    row = store.create_session("x", "SEV2")
    assert row.id is not None
    with pytest.raises(InputError):
        store.update_session(row.id, title="")
    assert store.get_session(row.id).title == "x"


def test_list_filters_and_orders_newest_incident_first(store: Store) -> None:
    old = parse_fact("started_at", "2024-01-01 10:00", "UTC")
    new = parse_fact("started_at", "2025-01-01 10:00", "UTC")
    store.create_session("Database failover", "SEV1", started_at=old)
    store.create_session("Checkout errors", "SEV3", started_at=new)
    assert [r.title for r in store.list_sessions()] == ["Checkout errors", "Database failover"]
    assert [r.title for r in store.list_sessions("failover")] == ["Database failover"]
    assert [r.title for r in store.list_sessions("sev3")] == ["Checkout errors"]
    assert store.list_sessions("nothing-like-this") == []


def test_attendees_add_edit_remove(store: Store) -> None:
    row = store.create_session("Outage", "SEV2")
    assert row.id is not None
    ann = store.add_attendee(row.id, "Ann", "SRE", "facilitator")
    store.add_attendee(row.id, "Bo", "", "note-taker")
    assert ann.id is not None
    store.update_attendee(ann.id, "Ann Lee", "Platform", "incident commander")
    people = [(a.name, a.team, a.role) for a in store.list_attendees(row.id)]
    assert people == [("Ann Lee", "Platform", "incident commander"), ("Bo", "", "note-taker")]
    store.delete_attendee(ann.id)
    assert [a.name for a in store.list_attendees(row.id)] == ["Bo"]
    with pytest.raises(InputError, match="role"):
        store.add_attendee(row.id, "Cy", "", "hero")
    with pytest.raises(InputError, match="name"):
        store.add_attendee(row.id, " ", "", "responder")


def test_delete_session_removes_its_attendees_and_timeline(
    store: Store, demo: PostmortemSession
) -> None:
    assert demo.id is not None
    store.delete_session(demo.id)
    with pytest.raises(NotFound):
        store.get_session(demo.id)
    assert store.list_attendees(demo.id) == []
    assert store.list_timeline(demo.id) == []
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM timeline_event")).scalar() == 0


def test_missing_session_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        store.get_session(404)
    with pytest.raises(NotFound):
        store.update_session(404, title="x")
    with pytest.raises(NotFound):
        store.add_attendee(404, "Ann")


def test_user_text_is_stored_as_typed(store: Store) -> None:
    title = "[bold]x[/] \x1b[31mred\x1b[0m 'quotes' \"; DROP TABLE session; --"
    row = store.create_session(title, "SEV4")
    assert row.id is not None
    assert store.get_session(row.id).title == title


def test_a_second_connection_sees_each_commit(file_store: Store, tmp_path) -> None:
    # What one terminal confirms is visible to another at once: nothing waits for quit.
    from debrief_tui.core.persistence.db import open_engine

    row = file_store.create_session("Outage", "SEV2")
    assert row.id is not None
    file_store.add_attendee(row.id, "Ann", "SRE", "facilitator")
    other = Store(open_engine(str(tmp_path / "debrief.db")))
    assert [a.name for a in other.list_attendees(row.id)] == ["Ann"]
    other.engine.dispose()


def test_demo_incident_is_complete(store: Store, demo: PostmortemSession) -> None:
    assert demo.id is not None
    row: PostmortemSession = store.get_session(demo.id)
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
    assert {a.role for a in store.list_attendees(demo.id)} == set(ROLES)
    minutes = store.list_minutes(demo.id)
    assert len({m.stage for m in minutes}) >= 3
    assert all(m.author for m in minutes[:5])
    assert [p.owner for p in store.list_parking(demo.id)] == ["Sofia Marques", ""]
    events = store.list_timeline(demo.id)
    assert len(events) >= 15
    local_days = {e.at.astimezone(ZoneInfo(row.timezone)).date() for e in events}
    assert len(local_days) == 2, "the demo timeline crosses midnight in the session's zone"


# Timeline -----------------------------------------------------------------------------------


def _session(store: Store) -> int:
    row = store.create_session("Timeline", "SEV2", "UTC")
    assert row.id is not None
    return row.id


def test_timeline_events_add_in_bulk_edit_delete_restore(store: Store) -> None:
    from debrief_tui.core.store_types import TimelineRow

    session = _session(store)
    t = [datetime(2025, 3, 21, h, 0, tzinfo=UTC) for h in range(9, 13)]
    assert store.add_timeline_events(session, [TimelineRow(t[2], "c"), TimelineRow(t[0], "a")]) == 2
    added = store.add_timeline_event(session, TimelineRow(t[1], "b", "alert", key_event=True))
    assert [e.text for e in store.list_timeline(session)] == ["a", "b", "c"]
    assert added.id is not None
    store.update_timeline_event(added.id, TimelineRow(t[3], "b later", "action"))
    assert [e.text for e in store.list_timeline(session)] == ["a", "c", "b later"]
    removed = store.delete_timeline_event(added.id)
    assert [e.text for e in store.list_timeline(session)] == ["a", "c"]
    store.restore_timeline_event(removed)
    assert [(e.id, e.text) for e in store.list_timeline(session)][-1] == (added.id, "b later")


def test_bulk_add_is_all_or_nothing(store: Store) -> None:
    from debrief_tui.core.store_types import TimelineRow

    session = _session(store)
    at = datetime(2025, 3, 21, 9, tzinfo=UTC)
    with pytest.raises(InputError, match="unknown kind"):
        store.add_timeline_events(session, [TimelineRow(at, "ok"), TimelineRow(at, "x", "nope")])
    with pytest.raises(InputError, match="needs some text"):
        store.add_timeline_events(session, [TimelineRow(at, "ok"), TimelineRow(at, "  ")])
    assert store.list_timeline(session) == []


def test_milestones_are_facts_and_move_with_their_event(store: Store) -> None:
    from debrief_tui.core.store_types import TimelineRow

    session = _session(store)
    at = datetime(2025, 3, 21, 9, tzinfo=UTC)
    event = store.add_timeline_event(session, TimelineRow(at, "alert fires", "alert"))
    assert event.id is not None
    store.set_milestone(session, "detected_at", at)
    store.set_milestone(session, "first_communication_at", at)
    assert store.get_session(session).detected_at == at
    later = datetime(2025, 3, 21, 9, 5, tzinfo=UTC)
    store.update_timeline_event(event.id, TimelineRow(later, "alert fires", "alert"))
    row = store.get_session(session)
    assert (row.detected_at, row.first_communication_at) == (later, later)
    store.set_milestone(session, "detected_at", None)
    assert store.get_session(session).detected_at is None
    with pytest.raises(InputError, match="unknown milestone"):
        store.set_milestone(session, "title", at)
