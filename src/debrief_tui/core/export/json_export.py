"""The JSON export: everything checkable about a session, in a documented, versioned shape.

Times are ISO-8601 with the offset of the session's time zone at that moment.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from debrief_tui.core.actions.due_dates import today_in
from debrief_tui.core.actions.smart import owners_of, smart_gaps
from debrief_tui.core.store_types import ActionLinks
from debrief_tui.core.timeline.metrics import MILESTONES, compute_metrics
from debrief_tui.core.timeline.timeparse import zone
from debrief_tui.core.whys.tree import WhyTree

if TYPE_CHECKING:
    from debrief_tui.core.persistence.models import PostmortemSession
    from debrief_tui.core.persistence.store import Store

SCHEMA_VERSION = 1

_IMPACT_FACTS = (
    "detection_method",
    "users_affected",
    "accounts_affected",
    "support_requests",
    "services_affected",
)


def _when(moment: datetime | None, zone_name: str) -> str | None:
    return None if moment is None else moment.astimezone(zone(zone_name)).isoformat()


def session_facts(session: PostmortemSession) -> dict[str, datetime | None]:
    """The milestone facts of a session by name (`started_at`, ...)."""
    return {name: getattr(session, name) for name, _ in MILESTONES}


def build_export(store: Store, session_id: int, today: date | None = None) -> dict[str, Any]:
    """The export document of one session as plain JSON-ready data; `today` (in the
    session's zone unless given) is what "past due" is judged against."""
    session = store.get_session(session_id)
    tz = session.timezone
    events = store.list_timeline(session_id)
    facts = session_facts(session)
    links = store.factor_links(session_id)
    attendees = store.list_attendees(session_id)
    people = owners_of(attendees)
    metrics = compute_metrics(
        facts, [e.at for e in events], session.severity, session.detection_method
    )
    return {
        "schema_version": SCHEMA_VERSION,
        "session": {
            "id": session.id,
            "title": session.title,
            "severity": session.severity,
            "status": session.status,
            "timezone": tz,
            "summary": session.summary,
            "status_changed_at": _when(session.status_changed_at, tz),
        },
        "facts": {name: _when(value, tz) for name, value in facts.items()}
        | {name: getattr(session, name) for name in _IMPACT_FACTS}
        | {"review_at": _when(session.review_at, tz)},
        "timeline": [
            {
                "at": _when(e.at, tz),
                "text": e.text,
                "kind": e.kind,
                "key": e.key_event,
                "approximate": e.approximate,
            }
            for e in events
        ],
        "metrics": {
            "minutes_to_detect": metrics.minutes_to_detect,
            "minutes_to_acknowledge": metrics.minutes_to_acknowledge,
            "minutes_to_mitigate": metrics.minutes_to_mitigate,
            "minutes_to_resolve": metrics.minutes_to_resolve,
            "downtime_minutes": metrics.downtime_minutes,
            "longest_gap_minutes": metrics.longest_gap_minutes,
            "sla": [c._asdict() for c in metrics.sla],
            "breaches": list(metrics.breaches),
            "out_of_order": list(metrics.problems),
            "observability_gap": metrics.observability_gap,
        },
        "whys": _whys(store, session_id),
        "factors": [
            {
                "id": f.id,
                "category": f.category,
                "text": f.text,
                "why_ids": sorted(links.get(f.id or 0, [])),
                "no_action_note": f.no_action_note,
            }
            for f in store.list_factors(session_id)
        ],
        "lessons": [
            {"kind": item.kind, "text": item.text} for item in store.list_lessons(session_id)
        ],
        "actions": _actions(store, session_id, today or today_in(tz), people),
        "parking_lot": [
            {"text": p.text, "stage": p.stage, "owner": p.owner}
            for p in store.list_parking(session_id)
        ],
        "attendees": [{"name": a.name, "team": a.team, "role": a.role} for a in attendees],
        "minutes": [
            {"at": _when(m.at, tz), "stage": m.stage, "author": m.author, "text": m.text}
            for m in store.minute_rows(session_id)
        ],
        "stage_time": [
            {
                "stage": run.stage,
                "started_at": _when(run.started_at, tz),
                "ended_at": _when(run.ended_at, tz),
            }
            for run in store.list_stage_runs(session_id)
        ],
    }


def _whys(store: Store, session_id: int) -> list[dict[str, Any]]:
    """The tree from the problem statement down, each node before its answers, siblings in
    order: the same list whatever order the nodes were added in."""
    tree = WhyTree(store.list_whys(session_id))
    out = []
    for node_id, _depth in tree.visible(set()):
        node = tree.nodes[node_id]
        out.append(
            {
                "id": node.id,
                "parent_id": node.parent_id,
                "text": node.text,
                "root_cause": node.root_cause,
                "position": node.position,
                "no_action_note": node.no_action_note,
            }
        )
    return out


def _actions(store: Store, session_id: int, today: date, people: list[str]) -> list[dict[str, Any]]:
    links = store.action_links(session_id)
    out = []
    for action in store.list_actions(session_id):
        linked = links.get(action.id or 0, ActionLinks())
        out.append(
            {
                "id": action.id,
                "text": action.text,
                "owner": action.owner,
                "due": action.due_date.isoformat() if action.due_date else None,
                "priority": action.priority,
                "type": action.type,
                "status": action.status,
                "ticket": action.ticket,
                "proposal": action.proposal,
                "factor_ids": list(linked.factor_ids),
                "why_ids": list(linked.why_ids),
                "smart_gaps": [gap.code for gap in smart_gaps(action, today, people)],
            }
        )
    return out


def render_json(document: dict[str, Any]) -> str:
    """The export as text, UTF-8 kept readable, ending with a newline: one key per line
    (in the parts too), and one item per line in the lists (timeline, minutes, ...).

    Python's indenting encoder is pure Python and took most of the time of exporting a large
    session; this uses the fast one, item by item.
    """
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    parts = []
    for key, value in document.items():
        if isinstance(value, list) and value:
            items = ",\n".join(f"    {dumps(item)}" for item in value)
            parts.append(f"  {dumps(key)}: [\n{items}\n  ]")
        elif isinstance(value, dict) and value:
            fields = ",\n".join(f"    {dumps(k)}: {dumps(v)}" for k, v in value.items())
            parts.append(f"  {dumps(key)}: {{\n{fields}\n  }}")
        else:
            parts.append(f"  {dumps(key)}: {dumps(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"
