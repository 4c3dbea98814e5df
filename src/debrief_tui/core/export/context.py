"""What the document formats are written from: the JSON export, arranged the way a postmortem
reads (the 5 Whys as a tree, factors by category, the sections common templates ask for).

Every template and writer gets the same context, so a team's own `--template` sees exactly
what the built-in layouts see.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from debrief_tui.core.actions.smart import GAP_MARKS
from debrief_tui.core.meeting.agenda import Agenda
from debrief_tui.core.meeting.minutes import ACTION, DECISION, QUESTION, minute_kind
from debrief_tui.core.meeting.timer import format_duration
from debrief_tui.core.reference.data import factor_category_keys, sla_targets
from debrief_tui.core.reference.vocab import LESSON_KINDS
from debrief_tui.core.timeline.links import LinkRow, link_name
from debrief_tui.core.timeline.metrics import MILESTONE_LABELS
from debrief_tui.core.timeline.timeparse import zone

_IMPACT_LABELS = {
    "users_affected": "Users affected",
    "accounts_affected": "Accounts affected",
    "support_requests": "Support requests",
    "services_affected": "Services affected",
    "detection_method": "Detected by",
}
_METRIC_LABELS = {
    "minutes_to_detect": "Time to detect",
    "minutes_to_acknowledge": "Time to acknowledge",
    "minutes_to_mitigate": "Time to mitigate",
    "minutes_to_resolve": "Time to resolve",
    "downtime_minutes": "Downtime",
    "longest_gap_minutes": "Longest gap between events",
}


def shown_time(iso: str | None, zone_name: str | None = None) -> str:
    """`2025-03-21 10:12 CET` from an exported ISO time, in the session's zone."""
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso)
    if zone_name:
        moment = moment.astimezone(zone(zone_name))
    return moment.strftime("%Y-%m-%d %H:%M ") + (moment.tzname() or "")


def minutes_text(value: int | None) -> str:
    """`2 h 7 min`, `45 min`, or an empty string for no figure."""
    if value is None:
        return ""
    hours, minutes = divmod(value, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def _tree(whys: list[dict[str, Any]]) -> dict[str, Any] | None:
    nodes = {w["id"]: {**w, "children": [], "depth": 0} for w in whys}
    root = None
    for why in whys:  # the export lists parents before their answers, in order
        node = nodes[why["id"]]
        parent = nodes.get(why["parent_id"])
        if parent is None:
            root = node
        else:
            node["depth"] = parent["depth"] + 1
            parent["children"].append(node)
    return root


def _kinded(minute: dict[str, Any]) -> dict[str, Any]:
    """An exported minute with its `kind` (decision, action, question or None) and its `body`
    (the text without the kind's label)."""
    kinded = minute_kind(minute["text"])
    return {**minute, "kind": kinded.kind, "body": kinded.text}


def build_context(export: dict[str, Any], agenda: Agenda) -> dict[str, Any]:
    """The template context: the export itself, plus the arrangements a document needs."""
    session, facts, metrics = export["session"], export["facts"], export["metrics"]
    whys = export["whys"]
    by_id = {w["id"]: w for w in whys}
    factors = export["factors"]
    factor_by_id = {f["id"]: f for f in factors}
    # Every event has an author for templates (None when no one is named), though the JSON
    # export writes one only where there is one.
    timeline = [{"author": None, **event} for event in export["timeline"]]
    stages = {s.key: s for s in agenda.stages}

    def events_of(*kinds: str) -> list[dict[str, Any]]:
        return [e for e in timeline if e["kind"] in kinds]

    spent: dict[str, float] = {}
    for run in export.get("stage_time", []):
        if run["ended_at"]:
            seconds = (
                datetime.fromisoformat(run["ended_at"]) - datetime.fromisoformat(run["started_at"])
            ).total_seconds()
            spent[run["stage"]] = spent.get(run["stage"], 0.0) + max(0.0, seconds)
    minutes = [_kinded(m) for m in export.get("minutes", [])]
    minutes_by_stage = []
    for stage in agenda.stages:
        lines = [m for m in minutes if m["stage"] == stage.key]
        minutes_by_stage.append(
            {
                "key": stage.key,
                "title": stage.title,
                "spent": format_duration(spent.get(stage.key, 0.0)),
                "timebox": format_duration(stage.timebox_seconds),
                "minutes": lines,
            }
        )
    known = {s.key for s in agenda.stages}
    others = [m for m in minutes if m["stage"] not in known]
    if others:
        minutes_by_stage.append(
            {"key": "", "title": "Other", "spent": "", "timebox": "", "minutes": others}
        )

    supporting = [
        {**k, "name": link_name(LinkRow(k["url"], k["label"])), "event": None}
        for k in export.get("links", [])
    ]
    for event in timeline:
        for k in event.get("links", []):
            supporting.append(
                {**k, "name": link_name(LinkRow(k["url"], k["label"])), "event": event}
            )
    targets = sla_targets().get(session["severity"])
    actions = export["actions"]
    trigger = next((e for e in timeline if e.get("key")), timeline[0] if timeline else None)
    return {
        **export,
        "timeline": timeline,
        "stage_titles": {k: s.title for k, s in stages.items()},
        "milestones": [
            {"name": name, "label": label, "at": facts.get(name)}
            for name, label in MILESTONE_LABELS.items()
        ],
        "impact": [
            {"label": label, "value": facts.get(name)}
            for name, label in _IMPACT_LABELS.items()
            if facts.get(name) not in (None, "")
        ],
        "metric_rows": [
            {"label": label, "value": minutes_text(metrics.get(name))}
            for name, label in _METRIC_LABELS.items()
            if metrics.get(name) is not None
        ],
        "sla_rows": [
            {
                "label": row["name"][:1].upper() + row["name"][1:],
                "target": minutes_text(row["target_minutes"]),
                "actual": minutes_text(row["actual_minutes"]) or "unknown",
                "result": {True: "breached", False: "met", None: "—"}[row["breached"]],
            }
            for row in metrics.get("sla", [])
        ],
        "downtime_budget": minutes_text(targets.downtime_budget_minutes if targets else None),
        "whys_tree": _tree(whys),
        "root_causes": [w for w in whys if w["root_cause"]],
        "why_by_id": by_id,
        "factor_by_id": factor_by_id,
        "factors_by_category": [
            {"category": key, "factors": [f for f in factors if f["category"] == key]}
            for key in factor_category_keys()
            if any(f["category"] == key for f in factors)
        ],
        "lessons_by_kind": [
            {"kind": kind, "lessons": [x for x in export["lessons"] if x["kind"] == kind]}
            for kind in LESSON_KINDS
        ],
        "committed_actions": [a for a in actions if not a["proposal"]],
        "proposed_actions": [a for a in actions if a["proposal"]],
        "gap_marks": GAP_MARKS,
        "owner_names": [a["name"] for a in export["attendees"] if a["role"] == "postmortem owner"],
        "trigger": trigger,
        "supporting_links": supporting,
        "ticketed_actions": [a for a in actions if a["ticket"]],
        "detection_events": events_of("alert"),
        "response_events": events_of("action", "comms", "status page"),
        "recovery_events": events_of("resolution"),
        "minutes_by_stage": minutes_by_stage,
        # `Decision:`, `Action:` and `Question:` minutes, each with its stage's title.
        "decisions": _of_kind(minutes, DECISION, stages),
        "action_mentions": _of_kind(minutes, ACTION, stages),
        "questions": _of_kind(minutes, QUESTION, stages),
    }


def _of_kind(minutes: list[dict[str, Any]], kind: str, stages: dict[str, Any]) -> list[Any]:
    return [
        {**m, "stage_title": stages[m["stage"]].title if m["stage"] in stages else m["stage"]}
        for m in minutes
        if m["kind"] == kind
    ]
