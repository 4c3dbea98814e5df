"""The JSON export: everything checkable about a session, in a documented, versioned shape.

Times are ISO-8601 with the offset of the session's time zone at that moment.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from debrief_tui.core.actions.items import ActionLinks
from debrief_tui.core.actions.smart import owners_of, smart_gaps
from debrief_tui.core.clock import today_in
from debrief_tui.core.meeting.minutes import MinuteLine
from debrief_tui.core.timeline.metrics import compute_metrics, milestone_facts
from debrief_tui.core.timeline.timeparse import zone
from debrief_tui.core.whys.tree import WhyTree

if TYPE_CHECKING:
    from debrief_tui.core.persistence.models import (
        Action,
        Attendee,
        Factor,
        Lesson,
        Link,
        ParkingItem,
        PostmortemSession,
        StageRun,
        TimelineEvent,
        WhyNode,
    )

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


class ExportSource(NamedTuple):
    """Everything an export is written from, read together."""

    session: PostmortemSession
    events: Sequence[TimelineEvent]
    attendees: Sequence[Attendee]
    whys: Sequence[WhyNode]
    factors: Sequence[Factor]
    factor_links: dict[int, list[int]]
    lessons: Sequence[Lesson]
    actions: Sequence[Action]
    action_links: dict[int, ActionLinks]
    parking: Sequence[ParkingItem]
    minutes: Sequence[MinuteLine]
    runs: Sequence[StageRun]
    links: Sequence[Link] = ()
    """The session's links and its events' (`event_id` set)."""


def build_export(source: ExportSource, today: date | None = None) -> dict[str, Any]:
    """The export document of one session as plain JSON-ready data; `today` (in the
    session's zone unless given) is what "past due" is judged against."""
    session = source.session
    tz = session.timezone
    events = source.events
    facts = milestone_facts(session)
    links = source.factor_links
    attendees = source.attendees
    people = owners_of(attendees)
    event_links: dict[int, list[dict[str, str]]] = {}
    for link in source.links:
        if link.event_id is not None:
            event_links.setdefault(link.event_id, []).append(_link(link))
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
        "links": [_link(k) for k in source.links if k.event_id is None],
        "timeline": [_event(e, tz, event_links.get(e.id or 0, [])) for e in events],
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
        "whys": _whys(source.whys),
        "factors": [
            {
                "id": f.id,
                "category": f.category,
                "text": f.text,
                "why_ids": sorted(links.get(f.id or 0, [])),
                "no_action_note": f.no_action_note,
            }
            for f in source.factors
        ],
        "lessons": [{"kind": item.kind, "text": item.text} for item in source.lessons],
        "actions": _actions(source, today or today_in(tz), people),
        "parking_lot": [
            {"text": p.text, "stage": p.stage, "owner": p.owner} for p in source.parking
        ],
        "attendees": [{"name": a.name, "team": a.team, "role": a.role} for a in attendees],
        "minutes": [
            {"at": _when(m.at, tz), "stage": m.stage, "author": m.author, "text": m.text}
            for m in source.minutes
        ],
        "stage_time": [
            {
                "stage": run.stage,
                "started_at": _when(run.started_at, tz),
                "ended_at": _when(run.ended_at, tz),
            }
            for run in source.runs
        ],
    }


def _link(link: Link) -> dict[str, str]:
    return {"label": link.label, "url": link.url}


def _event(event: TimelineEvent, tz: str, links: list[dict[str, str]]) -> dict[str, Any]:
    """A timeline event; `author` and `links` only where there are some (a chat message's
    author), so that a session without any reads as it did before they existed, in older
    debriefs too."""
    item: dict[str, Any] = {
        "at": _when(event.at, tz),
        "text": event.text,
        "kind": event.kind,
        "key": event.key_event,
        "approximate": event.approximate,
    }
    if event.author is not None:
        item["author"] = event.author
    if links:
        item["links"] = links
    return item


def _whys(nodes: Sequence[WhyNode]) -> list[dict[str, Any]]:
    """The tree from the problem statement down, each node before its answers, siblings in
    order: the same list whatever order the nodes were added in."""
    tree = WhyTree(nodes)
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


def _actions(source: ExportSource, today: date, people: list[str]) -> list[dict[str, Any]]:
    links = source.action_links
    out = []
    for action in source.actions:
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
    # Written as \u escapes, as every other format shows them: raw, a bidirectional override
    # reverses what a reader sees of the file, and a C1 control can reach a terminal. They can
    # only stand inside strings, and read back as the same characters.
    return _UNSHOWABLE.sub(_json_escape, "{\n" + ",\n".join(parts) + "\n}\n")


_UNSHOWABLE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"
