"""Lessons and actions without a terminal: due dates, the SMART and proportion checks, the
db, the wrap-up checklist and the JSON export."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from debrief_tui.core.actions.due_dates import parse_due
from debrief_tui.core.actions.items import ActionLinks, ActionRow
from debrief_tui.core.actions.smart import default_due, proportion_hints, smart_gaps
from debrief_tui.core.clock import today_in
from debrief_tui.core.errors import InputError
from debrief_tui.core.export.json_export import build_export
from debrief_tui.core.meeting.wrap_up import checklist, meeting_summary
from debrief_tui.core.persistence.models import PostmortemSession
from debrief_tui.core.persistence.unit import Database, Unit
from tests.full_session import add_root_cause
from tests.postgres import both_backends

pytestmark = both_backends

FRIDAY = date(2026, 1, 30)  # a Friday at the end of January


@pytest.mark.parametrize(
    ("said", "due"),
    [
        ("2026-02-10", date(2026, 2, 10)),
        ("2026/2/3", date(2026, 2, 3)),
        ("today", FRIDAY),
        ("tomorrow", date(2026, 1, 31)),
        ("fri", date(2026, 2, 6)),  # said on a Friday: a week on, never today
        ("Friday", date(2026, 2, 6)),
        ("mon", date(2026, 2, 2)),
        ("thurs", date(2026, 2, 5)),
        ("next friday", date(2026, 2, 6)),  # the Friday of next week
        ("next mon", date(2026, 2, 2)),
        ("+2w", date(2026, 2, 13)),
        ("+10d", date(2026, 2, 9)),
        ("in 10 days", date(2026, 2, 9)),
        ("in 2 weeks", date(2026, 2, 13)),
        ("+1m", date(2026, 2, 28)),  # 31 Jan + 1 month: the end of February, not 3 March
        ("in 1 month", date(2026, 2, 28)),
        ("end of month", date(2026, 1, 31)),
        ("end of next month", date(2026, 2, 28)),
        ("eow", date(2026, 2, 6)),
        ("end of quarter", date(2026, 3, 31)),
        ("4 dec", date(2026, 12, 4)),
        ("Dec 4th, 2027", date(2027, 12, 4)),
        ("29 jan", date(2027, 1, 29)),  # already past this year: next year's
        ("  In  3  Weeks ", date(2026, 2, 20)),
    ],
)
def test_due_dates_as_people_say_them(said: str, due: date) -> None:
    assert parse_due(said, FRIDAY) == due


def test_due_dates_around_month_ends_and_leap_years() -> None:
    assert parse_due("+1m", date(2028, 1, 31)) == date(2028, 2, 29)
    assert parse_due("end of month", date(2028, 2, 1)) == date(2028, 2, 29)
    assert parse_due("+1m", date(2026, 3, 31)) == date(2026, 4, 30)
    assert parse_due("next monday", date(2026, 12, 27)) == date(2026, 12, 28)  # a Sunday
    assert parse_due("fri", date(2026, 12, 31)) == date(2027, 1, 1)


@pytest.mark.parametrize("said", ["", "someday", "2026-02-30", "feb 30", "+2x", "next", "in days"])
def test_bad_due_dates_say_what_is_accepted(said: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_due(said, FRIDAY)
    assert "+2w" in str(caught.value)


def test_today_and_so_every_due_date_follow_the_session_zone() -> None:
    # 23:30 UTC on Friday 30 January: still Friday in London, already Saturday in Tokyo,
    # so "tomorrow" and "fri" land on different days for the two sessions.
    late = datetime(2026, 1, 30, 23, 30, tzinfo=UTC)
    london, tokyo = today_in("Europe/London", late), today_in("Asia/Tokyo", late)
    assert (london, tokyo) == (date(2026, 1, 30), date(2026, 1, 31))
    assert parse_due("tomorrow", london) == date(2026, 1, 31)
    assert parse_due("tomorrow", tokyo) == date(2026, 2, 1)
    assert parse_due("fri", london) == date(2026, 2, 6)
    assert parse_due("fri", tokyo) == date(2026, 2, 6)
    assert today_in("America/Los_Angeles", late) == date(2026, 1, 30)


def _action(**changes: object) -> ActionRow:
    base = ActionRow("Add an alert on queue depth over 5,000", "Ana", date(2026, 2, 13))
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_smart_check_marks_each_gap() -> None:
    def codes(row: ActionRow) -> list[str]:
        return [g.code for g in smart_gaps(row, FRIDAY, ["Ana", "Ben", "sre"])]

    assert codes(_action()) == []
    assert codes(_action(owner="")) == ["no_owner"]
    assert codes(_action(owner="Ana and Ben")) == ["several_owners"]
    assert codes(_action(owner="sre/dba")) == ["several_owners"]
    assert codes(_action(text="Ana and Ben add an alert on lag")) == ["several_owners"]
    assert codes(_action(due_date=None)) == ["no_due_date"]
    assert codes(_action(due_date=date(2026, 1, 2))) == ["past_due"]
    assert codes(_action(due_date=date(2026, 1, 2), status="done")) == []
    assert codes(_action(text="Improve monitoring")) == ["vague"]
    assert codes(_action(text="Look into better caching")) == ["vague"]
    assert codes(_action(text="Improve p99 latency to under 200 ms")) == []
    assert codes(_action(text="Improve the runbook for failover")) == []
    assert codes(_action(text="Moreover, add a canary")) == []
    # An "-ing" word names an activity, not the deliverable inside it.
    assert codes(_action(text="Investigate better alerting")) == ["vague"]
    assert codes(_action(text="Improve alerts for EU checkout")) == []
    assert codes(_action(text="Improve the automated bundle refresh")) == []
    gap = smart_gaps(_action(text="Investigate the outage"), FRIDAY)[0]
    assert "investigate" in gap.explain


def test_proportion_to_severity() -> None:
    prevent = _action(type="prevent")
    assert proportion_hints("SEV1", [prevent]) == [
        "A SEV1 usually wants at least one detect action."
    ]
    assert proportion_hints("SEV1", [prevent, _action(type="detect")]) == []
    # A proposal does not count: it is not committed yet.
    assert len(proportion_hints("SEV1", [prevent, _action(type="detect", proposal=True)])) == 1
    many = [prevent] * 4
    (hint,) = proportion_hints("SEV4", many)
    assert "proportionate" in hint
    assert proportion_hints("SEV4", many[:3]) == []
    assert default_due("SEV1", "P1", FRIDAY) == date(2026, 2, 27)
    assert default_due("SEV3", "P2", FRIDAY) == date(2026, 4, 24)
    assert default_due("SEV1", "P4", FRIDAY) is None


def test_store_lessons_in_three_lists(db: Database, bare_demo: PostmortemSession) -> None:
    # From empty lists: the positions below are those of the lessons added here.
    assert bare_demo.id is not None
    demo_id = bare_demo.id
    well = db.write(lambda tx: tx.lessons.add(demo_id, "went well", "Rollback took two minutes"))
    db.write(lambda tx: tx.lessons.add(demo_id, "went wrong", "The alert went to an old channel"))
    lucky = db.write(lambda tx: tx.lessons.add(demo_id, "lucky", "It happened at low traffic"))
    second = db.write(
        lambda tx: tx.lessons.add(demo_id, "went well", "The status page was up in 5 min")
    )
    assert [(x.kind, x.position) for x in db.read(lambda tx: tx.lessons.of(demo_id))] == [
        ("went well", 0),
        ("went well", 1),
        ("went wrong", 0),
        ("lucky", 0),
    ]
    assert db.write(lambda tx: tx.lessons.move(second.id or 0, -1))
    assert not db.write(lambda tx: tx.lessons.move(second.id or 0, -1))
    assert [x.id for x in db.read(lambda tx: tx.lessons.of(demo_id))][:2] == [second.id, well.id]
    db.write(lambda tx: tx.lessons.update(well.id or 0, "lucky", "Rollback took two minutes"))
    lessons = db.read(lambda tx: tx.lessons.of(demo_id))
    assert [(x.kind, x.position) for x in lessons if x.kind != "went wrong"] == [
        ("went well", 0),
        ("lucky", 0),
        ("lucky", 1),
    ]
    deleted = db.write(lambda tx: tx.lessons.delete(lucky.id or 0))
    db.write(lambda tx: tx.removals.restore(deleted))
    assert [x.id for x in db.read(lambda tx: tx.lessons.of(demo_id)) if x.kind == "lucky"] == [
        lucky.id,
        well.id,
    ]
    with pytest.raises(InputError):
        db.write(lambda tx: tx.lessons.add(demo_id, "meh", "text"))
    with pytest.raises(InputError):
        db.write(lambda tx: tx.lessons.add(demo_id, "lucky", "   "))


def test_store_actions_links_survive_edits_and_undo(
    db: Database, bare_demo: PostmortemSession
) -> None:
    # From no actions: deleting the one added here leaves none.
    assert bare_demo.id is not None
    demo_id = bare_demo.id
    root = db.write(lambda tx: tx.whys.ensure_root(demo_id))
    why = db.write(lambda tx: tx.whys.add(root.id or 0, "The cache had no TTL"))
    factor = db.write(
        lambda tx: tx.factors.add(demo_id, "technical", "No TTL on cache entries", [why.id or 0])
    )
    action = db.write(
        lambda tx: tx.actions.add(
            demo_id,
            _action(text="Set a 10 min TTL", owner="  Ana  "),
            ActionLinks((factor.id or 0,), (why.id or 0,)),
        )
    )
    assert action.owner == "Ana"
    links = db.read(lambda tx: tx.actions.links(demo_id))[action.id or 0]
    assert links == ActionLinks((factor.id or 0,), (why.id or 0,))
    db.write(
        lambda tx: tx.actions.update(
            action.id or 0, _action(text="Set a 5 min TTL", status="in progress")
        )
    )
    assert db.read(lambda tx: tx.actions.links(demo_id))[action.id or 0] == links
    assert why.id in db.read(lambda tx: tx.whys.answered(demo_id))
    saved = db.write(lambda tx: tx.actions.delete(action.id or 0))
    assert db.read(lambda tx: tx.actions.of(demo_id)) == []
    db.write(lambda tx: tx.removals.restore(saved))
    assert [a.id for a in db.read(lambda tx: tx.actions.of(demo_id))] == [action.id]
    assert db.read(lambda tx: tx.actions.links(demo_id))[action.id or 0] == links
    with pytest.raises(InputError):
        db.write(lambda tx: tx.actions.add(demo_id, _action(type="fix")))
    with pytest.raises(InputError):
        db.write(lambda tx: tx.actions.add(demo_id, _action(text=" ")))


def test_checklist_on_an_incomplete_then_a_complete_session(
    db: Database, bare_demo: PostmortemSession
) -> None:
    # From empty stages: complete means every line holds, so only what is added here counts.
    assert bare_demo.id is not None
    demo_id = bare_demo.id
    root = db.write(lambda tx: tx.whys.ensure_root(demo_id))
    cause = add_root_cause(db, root.id or 0, "Deploys skip the config check")
    other = add_root_cause(db, root.id or 0, "The runbook was stale")
    factor = db.write(lambda tx: tx.factors.add(demo_id, "process", "No owner for the runbook"))
    vague = db.write(lambda tx: tx.actions.add(demo_id, _action(text="Improve deploys", owner="")))
    db.write(lambda tx: tx.parking.add(demo_id, "Budget for a second region", "whys"))

    lines = checklist(db.read(lambda tx: tx.snapshots.wrap_up(demo_id)), FRIDAY)
    missing = [line for line in lines if not line.ok]
    texts = "\n".join(line.text for line in missing)
    assert "Deploys skip the config check" in texts
    assert "No owner for the runbook" in texts
    assert "no owner, vague" in texts
    assert "Budget for a second region" in texts
    assert all(line.ok is False for line in lines[: len(missing)])  # what is missing first
    targets = {line.target for line in missing}
    assert ("whys", "why", cause.id) in targets
    assert ("factors", "factor", factor.id) in targets
    assert ("actions", "action", vague.id) in targets

    # Complete it: an action answers the first cause, a note accepts the second and the factor.
    db.write(lambda tx: tx.actions.delete(vague.id or 0))
    db.write(
        lambda tx: tx.actions.add(
            demo_id,
            _action(text="Add a config check to the deploy job"),
            ActionLinks((), (cause.id or 0,)),
        )
    )
    db.write(lambda tx: tx.whys.set_no_action_note(other.id or 0, "runbooks are being retired"))
    db.write(
        lambda tx: tx.factors.set_no_action_note(
            factor.id or 0, "covered by the runbook retirement"
        )
    )

    def own_every_topic(tx: Unit) -> None:
        for item in tx.parking.of(demo_id):
            tx.parking.update(item.id or 0, item.text, item.owner or "Ana")

    db.write(own_every_topic)
    db.write(lambda tx: tx.attendees.add(demo_id, "Ana", "sre", "postmortem owner"))
    db.write(
        lambda tx: tx.sessions.update(
            demo_id,
            review_at=datetime(2026, 2, 4, 15, tzinfo=UTC),
            users_affected=1200,
            services_affected="checkout",
        )
    )
    lines = checklist(db.read(lambda tx: tx.snapshots.wrap_up(demo_id)), FRIDAY)
    assert [line.text for line in lines if not line.ok] == []


def test_summary_counts_time_minutes_and_actions(
    db: Database, bare_demo: PostmortemSession
) -> None:
    # From no actions: the counts are those of the two added here.
    from debrief_tui.core.meeting.agenda import load_agenda
    from debrief_tui.core.meeting.timer import spent_by_stage

    assert bare_demo.id is not None
    demo_id = bare_demo.id
    db.write(lambda tx: tx.actions.add(demo_id, _action(type="detect")))
    db.write(lambda tx: tx.actions.add(demo_id, _action(type="detect", owner="Ben")))
    summary = meeting_summary(
        load_agenda(),
        spent_by_stage(db.read(lambda tx: tx.meeting.runs(demo_id))),
        db.read(lambda tx: tx.minutes.of(demo_id)),
        db.read(lambda tx: tx.actions.of(demo_id)),
    )
    assert summary.actions_by_type == {"detect": 2}
    assert summary.actions_by_owner == {"Ana": 1, "Ben": 1}
    assert summary.minutes == len(db.read(lambda tx: tx.minutes.of(demo_id)))
    assert [s.key for s in summary.stages][-1] == "wrap-up"


def test_export_gains_lessons_actions_parking_and_attendees(
    db: Database, bare_demo: PostmortemSession
) -> None:
    # From empty lists: the export holds exactly the lesson and action added here.
    assert bare_demo.id is not None
    demo_id = bare_demo.id
    db.write(lambda tx: tx.lessons.add(demo_id, "lucky", "Low traffic"))
    root = db.write(lambda tx: tx.whys.ensure_root(demo_id))
    why = db.write(lambda tx: tx.whys.add(root.id or 0, "No TTL"))
    db.write(
        lambda tx: tx.actions.add(
            demo_id,
            _action(text="Improve caching", owner="", proposal=True),
            ActionLinks((), (why.id or 0,)),
        )
    )
    export = build_export(db.read(lambda tx: tx.snapshots.export(demo_id)), today=FRIDAY)
    assert export["lessons"] == [{"kind": "lucky", "text": "Low traffic"}]
    (action,) = export["actions"]
    assert action["proposal"] is True
    assert action["why_ids"] == [why.id]
    assert action["due"] == "2026-02-13"
    assert action["smart_gaps"] == ["no_owner", "vague"]
    assert {a["name"] for a in export["attendees"]} == {
        a.name for a in db.read(lambda tx: tx.attendees.of(demo_id))
    }
    assert "parking_lot" in export


@pytest.mark.parametrize("said", ["9999-12-31", "0001-01-01", "1969-12-31"])
def test_a_due_date_outside_the_years_kept_is_refused_naming_it(said: str) -> None:
    with pytest.raises(InputError) as refused:
        parse_due(said, FRIDAY)
    assert str(refused.value) == f"{said!r} is outside the years debrief keeps (1970 to 9998)"


def test_an_action_too_long_is_refused_saying_where_the_detail_goes() -> None:
    from debrief_tui.core.actions.items import ActionRow, check_action

    row = ActionRow("x" * 2001)
    with pytest.raises(InputError) as refused:
        check_action(row)
    assert str(refused.value) == (
        "an action's description takes at most 2,000 characters (2,001 given): "
        "put the detail in its ticket"
    )


def test_an_action_on_a_why_answers_the_factor_promoted_from_it(
    db: Database, bare_demo: PostmortemSession
) -> None:
    """f on a node already acted on: the factor shows the action and the wrap-up counts it."""
    # From no factors: the one promoted here is the only one.
    assert bare_demo.id is not None
    demo_id = bare_demo.id
    root = db.write(lambda tx: tx.whys.ensure_root(demo_id))
    cause = add_root_cause(db, root.id or 0, "The CA bundle is baked into the image")
    db.write(
        lambda tx: tx.actions.add(
            demo_id,
            _action(text="Refresh the bundle at start-up"),
            ActionLinks((), (cause.id or 0,)),
        )
    )
    factor, _ = db.write(lambda tx: tx.factors.promote(cause.id or 0))
    snapshot = db.read(lambda tx: tx.snapshots.factors(demo_id))
    assert snapshot.actions_for == {factor.id: 1}
    lines = checklist(db.read(lambda tx: tx.snapshots.wrap_up(demo_id)), FRIDAY)
    assert not any("has no action" in line.text for line in lines if not line.ok)
    assert any(line.ok and line.text.startswith("Every factor (1)") for line in lines)


@given(
    st.text(alphabet="ab _-.é1٣\u0301 ", max_size=12),
    st.text(alphabet="ab _-.é1٣\u0301", min_size=1, max_size=4),
)
def test_a_name_counts_in_an_actions_text_only_as_a_whole_word(text: str, name: str) -> None:
    # Found without compiling a pattern per attendee, and exactly where \bname\b matches.
    from debrief_tui.core.actions.smart import _has_word

    assert _has_word(text, name) == bool(re.search(r"\b" + re.escape(name) + r"\b", text))


def test_an_action_naming_two_attendees_is_flagged_and_one_is_not() -> None:
    people = ["Mei Lin", "Ade", "SRE"]
    two = ActionRow("Ade and mei lin pair on the SRE runbook", "Ade", date(2026, 1, 9))
    marks = [g.code for g in smart_gaps(two, date(2026, 1, 1), people)]
    assert "several_owners" in marks
    one = ActionRow("Adequate alerting runbook for sre-oncall_x", "Ade", date(2026, 1, 9))
    assert "several_owners" not in [g.code for g in smart_gaps(one, date(2026, 1, 1), people)]
