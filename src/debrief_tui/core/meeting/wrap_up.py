"""What the wrap-up shows: a checklist computed from the session, and a summary of the meeting.

Each checklist line says what is missing and where to go to fix it (a stage and, where there
is one, the row); nothing here reads the database itself: the caller gathers a `SessionData`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from debrief_tui.core.actions.items import ActionLinks
from debrief_tui.core.actions.smart import owners_of, smart_gaps
from debrief_tui.core.meeting.agenda import Agenda
from debrief_tui.core.meeting.minutes import ACTION, DECISION, minute_kind
from debrief_tui.core.text import counted, shorten

if TYPE_CHECKING:
    from debrief_tui.core.persistence.models import (
        Action,
        Attendee,
        Factor,
        Minute,
        ParkingItem,
        PostmortemSession,
        WhyNode,
    )

# The impact facts a postmortem states; `users or accounts affected` counts as one.
IMPACT_FACTS = (
    ("started_at", "when the impact started"),
    ("resolved_at", "when it was resolved"),
    ("services_affected", "the services affected"),
)


class SessionData(NamedTuple):
    """Everything the checklist and summary read, gathered once."""

    session: PostmortemSession
    attendees: Sequence[Attendee]
    whys: Sequence[WhyNode]
    factors: Sequence[Factor]
    actions: Sequence[Action]
    links: dict[int, ActionLinks]
    parking: Sequence[ParkingItem]
    factor_whys: Mapping[int, Sequence[int]] = MappingProxyType({})
    """The why-nodes each factor came from (promoted with f in the 5 Whys)."""


class Target(NamedTuple):
    """Where a checklist line jumps: a stage key (or "setup"), and a row there."""

    stage: str
    kind: str = ""  # "why", "factor", "action", "parking", or a setup field name
    row_id: int = 0


class CheckLine(NamedTuple):
    """One line of the checklist."""

    ok: bool
    text: str
    target: Target


def checklist(data: SessionData, today: date) -> list[CheckLine]:
    """The wrap-up checklist: first what is missing (each line jumps there), then what holds."""
    lines: list[CheckLine] = []
    lines += _causes_answered(data)
    lines += _actions_smart(data, today)
    lines += _session_facts(data)
    lines += _parking(data)
    return sorted(lines, key=lambda line: line.ok)


def factors_answered(links: ActionLinks, factor_whys: Mapping[int, Sequence[int]]) -> set[int]:
    """The factors an action answers: those it links, and those promoted from a why-node it
    links (the action on the why answers the factor that came from it)."""
    whys = set(links.why_ids)
    came_from = {factor for factor, ids in factor_whys.items() if whys.intersection(ids)}
    return set(links.factor_ids) | came_from


def _answered(data: SessionData) -> tuple[set[int], set[int]]:
    whys: set[int] = set()
    factors: set[int] = set()
    for links in data.links.values():
        whys.update(links.why_ids)
        factors.update(factors_answered(links, data.factor_whys))
    return whys, factors


def _causes_answered(data: SessionData) -> list[CheckLine]:
    answered_whys, answered_factors = _answered(data)
    lines = []
    roots = [n for n in data.whys if n.root_cause]
    if not roots:
        lines.append(
            CheckLine(False, "No root cause is marked in the 5 Whys (r marks one)", Target("whys"))
        )
    lines += _each_answered(roots, answered_whys, "Root cause", "root cause", Target("whys"), "why")
    lines += _each_answered(
        data.factors, answered_factors, "Factor", "factor", Target("factors"), "factor"
    )
    return lines


def _each_answered(
    rows: Sequence[WhyNode] | Sequence[Factor],
    answered: set[int],
    label: str,
    noun: str,
    stage: Target,
    kind: str,
) -> list[CheckLine]:
    """A line per root cause or factor with no action and no accepted note; or one line
    saying they all have one."""
    missing = [r for r in rows if r.id not in answered and not r.no_action_note]
    lines = [
        CheckLine(
            False,
            f"{label} “{shorten(r.text, 120)}” has no action (n adds one, x accepts it)",
            stage._replace(kind=kind, row_id=r.id or 0),
        )
        for r in missing
    ]
    if rows and not missing:
        every = f"Every {noun} ({len(rows)}) has an action or an accepted note"
        lines.append(CheckLine(True, every, stage))
    return lines


def _actions_smart(data: SessionData, today: date) -> list[CheckLine]:
    lines = []
    people = owners_of(data.attendees)
    committed = [a for a in data.actions if not a.proposal]
    for action in committed:
        gaps = smart_gaps(action, today, people)
        if gaps:
            lines.append(
                CheckLine(
                    False,
                    f"Action “{shorten(action.text, 120)}”: {', '.join(g.mark for g in gaps)}",
                    Target("actions", "action", action.id or 0),
                )
            )
    if not data.actions:
        lines.append(CheckLine(False, "No action items yet", Target("actions")))
    elif not any(not line.ok for line in lines):
        proposals = len(data.actions) - len(committed)
        note = f", {counted(proposals, 'proposal')} to weigh" if proposals else ""
        lines.append(
            CheckLine(True, f"Every action is SMART ({len(committed)}){note}", Target("actions"))
        )
    return lines


def _session_facts(data: SessionData) -> list[CheckLine]:
    session, lines = data.session, []
    owners = [a.name for a in data.attendees if a.role == "postmortem owner"]
    if owners:
        lines.append(
            CheckLine(True, f"Postmortem owner: {', '.join(owners)}", Target("setup", "attendees"))
        )
    else:
        lines.append(
            CheckLine(
                False,
                "No postmortem owner: give an attendee that role in setup",
                Target("setup", "attendees"),
            )
        )
    missing = [label for name, label in IMPACT_FACTS if not getattr(session, name)]
    if session.users_affected is None and session.accounts_affected is None:
        missing.append("how many users or accounts were affected")
    if missing:
        first = next((n for n, label in IMPACT_FACTS if label == missing[0]), "users_affected")
        lines.append(
            CheckLine(False, "Impact facts missing: " + "; ".join(missing), Target("setup", first))
        )
    else:
        lines.append(CheckLine(True, "Impact facts are filled in", Target("setup", "started_at")))
    if session.review_at is None:
        lines.append(
            CheckLine(
                False, "No review meeting date: set it in setup", Target("setup", "review_at")
            )
        )
    else:
        lines.append(CheckLine(True, "Review meeting date is set", Target("setup", "review_at")))
    return lines


def _parking(data: SessionData) -> list[CheckLine]:
    unowned = [p for p in data.parking if not p.owner.strip()]
    lines = [
        CheckLine(
            False,
            f"Parked “{shorten(item.text, 120)}” has no owner",
            Target("wrap-up", "parking", item.id or 0),
        )
        for item in unowned
    ]
    if not unowned:
        text = (
            f"Every parked topic ({len(data.parking)}) has an owner"
            if data.parking
            else "The parking lot is empty"
        )
        lines.append(CheckLine(True, text, Target("wrap-up")))
    return lines


class StageTime(NamedTuple):
    """Time spent on one stage against its timebox (seconds)."""

    key: str
    title: str
    spent: float
    timebox: int
    minutes: int


class MeetingSummary(NamedTuple):
    """What the wrap-up reports about the meeting itself."""

    stages: list[StageTime]
    total_spent: float
    total_timebox: int
    minutes: int
    actions_by_type: dict[str, int]
    actions_by_owner: dict[str, int]


def meeting_summary(
    agenda: Agenda,
    spent: dict[str, float],
    minutes: Sequence[Minute],
    actions: Sequence[Action],
) -> MeetingSummary:
    """Time per stage against its timebox (`spent`: seconds per stage key, as the meeting
    clock counts them), minutes taken, actions by type and by owner."""
    per_stage = Counter(m.stage for m in minutes)
    stages = [
        StageTime(s.key, s.title, spent.get(s.key, 0.0), s.timebox_seconds, per_stage[s.key])
        for s in agenda.stages
    ]
    return MeetingSummary(
        stages=stages,
        total_spent=sum(spent.values()),
        total_timebox=agenda.total_seconds,
        minutes=len(minutes),
        actions_by_type=dict(Counter(a.type for a in actions)),
        actions_by_owner=dict(Counter(a.owner or "(no owner)" for a in actions)),
    )


class MinuteMark(NamedTuple):
    """A decision or an action found in the minutes: the minute, and its text without the
    label."""

    minute: Minute
    text: str


def _marked(minutes: Sequence[Minute], kind: str) -> list[MinuteMark]:
    found = []
    for minute in minutes:
        kinded = minute_kind(minute.text)
        if kinded.kind == kind:
            found.append(MinuteMark(minute, kinded.text))
    return found


def decisions_taken(minutes: Sequence[Minute]) -> list[MinuteMark]:
    """The `Decision:` minutes, in the order they were taken."""
    return _marked(minutes, DECISION)


def _same_words(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(".")


def actions_not_created(minutes: Sequence[Minute], actions: Sequence[Action]) -> list[MinuteMark]:
    """The `Action:` minutes that no action item has been made from yet: none of the actions
    has the same words (any case and spacing), or holds them, or is held in them."""
    made = [_same_words(action.text) for action in actions]
    return [
        mark
        for mark in _marked(minutes, ACTION)
        if not any(
            _same_words(mark.text) in text or (text and text in _same_words(mark.text))
            for text in made
        )
    ]
