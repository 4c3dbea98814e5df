"""A session with something in every part (timeline, 5 Whys, factors, lessons, actions,
parking lot, minutes, stage time), built through the repositories; optionally with hostile
text."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from debrief_tui.core.actions.items import ActionLinks, ActionRow
from debrief_tui.core.persistence.models import WhyNode
from debrief_tui.core.persistence.unit import Database, Unit
from debrief_tui.core.timeline.events import TimelineRow

HOSTILE = (
    "[bold]x[/] <script>alert(1)</script> | pipe *star* _u_ `tick` # hash "
    "\"quote\" 'apos' ; $(touch pwned) `touch pwned` =1+2 @SUM(A1) 🔥 "
    "مرحبا \u202eRTL\u202c \x1b[31m\x07"
)
"""Markup, pipes, quotes, shell and formula starts, emoji, right-to-left text, controls."""

T0 = datetime(2025, 3, 21, 9, 0, tzinfo=UTC)
TODAY = date(2025, 3, 24)


def add_root_cause(db: Database, parent_id: int, text: str) -> WhyNode:
    """An answer under `parent_id`, marked as a root cause."""
    node = db.write(lambda tx: tx.whys.add(parent_id, text))
    assert node.id is not None
    node_id = node.id
    return db.write(lambda tx: tx.whys.set_root_cause(node_id, True))


def build_full_session(db: Database, hostile: bool = False) -> int:
    """Create the session; returns its id. With `hostile`, user text carries `HOSTILE`."""

    def say(text: str) -> str:
        return f"{text} {HOSTILE}" if hostile else text

    session = db.write(
        lambda tx: tx.sessions.create(
            say("Checkout failed for EU shoppers"),
            "SEV2",
            "Europe/Berlin",
            summary=say("Card payments failed for 2 h after a certificate rotation."),
        )
    )
    sid = session.id
    assert sid is not None
    db.write(
        lambda tx: tx.sessions.update(
            sid,
            started_at=T0,
            detected_at=T0 + timedelta(minutes=12),
            acknowledged_at=T0 + timedelta(minutes=15),
            mitigated_at=T0 + timedelta(minutes=95),
            resolved_at=T0 + timedelta(minutes=130),
            detection_method="customer",
            users_affected=1200,
            services_affected=say("checkout, payments"),
            review_at=datetime(2025, 3, 28, 14, tzinfo=UTC),
            status="in review",
        )
    )
    owner = db.write(
        lambda tx: tx.attendees.add(sid, say("Mei Lin"), "payments", "postmortem owner")
    )
    db.write(lambda tx: tx.attendees.add(sid, "Sofia Marques", "sre", "incident commander"))
    db.write(lambda tx: tx.attendees.add(sid, "Luca Romano", "", "note-taker"))
    db.write(
        lambda tx: tx.timeline.add_many(
            sid,
            [
                TimelineRow(
                    T0, say("Gateway rotates its certificate"), "observation", key_event=True
                ),
                TimelineRow(T0 + timedelta(minutes=12), say("Customer reports failures"), "alert"),
                TimelineRow(
                    T0 + timedelta(minutes=95),
                    "CA bundle rolled forward",
                    "action",
                    approximate=True,
                ),
            ],
        )
    )
    root = db.write(lambda tx: tx.whys.ensure_root(sid))
    assert root.id is not None
    root_id = root.id
    a1 = db.write(
        lambda tx: tx.whys.add(root_id, say("The new chain was not in our pinned bundle"))
    )
    a2 = add_root_cause(db, a1.id or 0, "Nobody is told when the gateway rotates")
    b1 = add_root_cause(db, root_id, "Errors were not alerted on")
    c1 = add_root_cause(db, root_id, "The bundle is pinned at build time")
    db.write(
        lambda tx: tx.whys.set_no_action_note(c1.id or 0, say("Pinning goes away with the new SDK"))
    )
    factor = db.write(
        lambda tx: tx.factors.add(sid, "technical", say("Pinned CA bundle"), [a1.id or 0])
    )
    quiet = db.write(
        lambda tx: tx.factors.add(sid, "detection and observability", "No alert on payment errors")
    )
    db.write(lambda tx: tx.factors.add(sid, "external", "Rotation e-mails go to one inbox"))
    db.write(lambda tx: tx.factors.set_no_action_note(quiet.id or 0, "covered by the alert action"))
    db.write(lambda tx: tx.lessons.add(sid, "went well", say("Rollback took two minutes")))
    db.write(lambda tx: tx.lessons.add(sid, "went wrong", "The alert went to an old channel"))
    db.write(lambda tx: tx.lessons.add(sid, "lucky", "It happened at low traffic"))
    db.write(
        lambda tx: tx.actions.add(
            sid,
            ActionRow(
                say("Alert when a pinned CA expires within 30 days"),
                owner.name,
                date(2025, 4, 18),
                "P1",
                "detect",
                ticket="PAY-123",
            ),
            ActionLinks((factor.id or 0,), (a2.id or 0,)),
        )
    )
    db.write(
        lambda tx: tx.actions.add(
            sid,
            ActionRow(
                "Alert on payment error rate over 2%", "sre", date(2025, 4, 4), "P1", "detect"
            ),
            ActionLinks((), (b1.id or 0,)),
        )
    )
    db.write(
        lambda tx: tx.actions.add(
            sid,
            ActionRow("Improve vendor communication", "", None, "P3", "process", proposal=True),
        )
    )
    db.write(lambda tx: tx.parking.add(sid, say("Do other services pin CA bundles?"), "whys"))
    meeting = T0 + timedelta(days=3)
    db.write(
        lambda tx: tx.minutes.add(
            sid, "ground-rules", [(None, "We start with the timeline")], meeting
        )
    )
    db.write(
        lambda tx: tx.minutes.add(
            sid,
            "timeline",
            [("Sofia Marques", say("Alert was late"))],
            meeting + timedelta(minutes=9),
        )
    )
    db.write(
        lambda tx: tx.minutes.add(
            sid, "whys", [("Mei Lin", "Nobody owns rotation")], meeting + timedelta(minutes=30)
        )
    )

    def ten_minutes_each(tx: Unit) -> None:
        for index, stage in enumerate(("ground-rules", "timeline", "whys")):
            began = meeting + timedelta(minutes=10 * index)
            run = tx.meeting.start_run(sid, stage, began)
            tx.meeting.touch_run(run.id or 0, began + timedelta(minutes=8), sid)

    db.write(ten_minutes_each)
    return sid


def without_ids(export: dict[str, Any]) -> dict[str, Any]:
    """The export with every id replaced by its place in its list (links follow), so two
    exports of the same content compare equal whatever ids the database gave."""
    out = dict(export)
    out["session"] = {**export["session"], "id": None}
    whys = {w["id"]: i for i, w in enumerate(export["whys"])}
    factors = {f["id"]: i for i, f in enumerate(export["factors"])}
    out["whys"] = [
        {**w, "id": whys[w["id"]], "parent_id": whys.get(w["parent_id"])} for w in export["whys"]
    ]
    out["factors"] = [
        {**f, "id": factors[f["id"]], "why_ids": sorted(whys[i] for i in f["why_ids"])}
        for f in export["factors"]
    ]
    out["actions"] = [
        {
            **a,
            "id": i,
            "factor_ids": sorted(factors[x] for x in a["factor_ids"]),
            "why_ids": sorted(whys[x] for x in a["why_ids"]),
        }
        for i, a in enumerate(export["actions"])
    ]
    return out
