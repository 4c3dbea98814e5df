"""Reading a session document (the demo incident, or a JSON export) into checked values.

The shape is the JSON export's: `session`, `facts`, `attendees`, `timeline`, `whys`,
`factors`, `lessons`, `actions`, `parking_lot`, `minutes`, `stage_time` (all but `session`
optional). Every problem is reported with the path of the value (`timeline[3].at`), and
nothing is created from a document that has any problem.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from debrief_tui.core.actions.items import ActionRow
from debrief_tui.core.reference.data import factor_category_keys
from debrief_tui.core.reference.vocab import (
    ACTION_PRIORITIES,
    ACTION_STATUSES,
    ACTION_TYPES,
    LESSON_KINDS,
    ROLES,
)
from debrief_tui.core.sessions.facts import FIELDS_BY_NAME, InputError, parse_fact
from debrief_tui.core.timeline.events import TimelineRow
from debrief_tui.core.timeline.timeparse import TimeParseError, parse_when


@dataclass(frozen=True)
class MinuteRow:
    """A minute before it is saved."""

    at: datetime
    stage: str
    author: str | None
    text: str


@dataclass(frozen=True)
class ParkedRow:
    """A parked topic before it is saved."""

    text: str
    stage: str
    owner: str


@dataclass(frozen=True)
class WhyRow:
    """A why-node read from a document: `ref` and `parent_ref` are the document's own ids."""

    ref: int
    parent_ref: int | None
    text: str
    root_cause: bool = False
    no_action_note: str | None = None


@dataclass(frozen=True)
class FactorRow:
    """A contributing factor read from a document, with the why-nodes (refs) it came from."""

    ref: int
    category: str
    text: str
    why_refs: tuple[int, ...] = ()
    no_action_note: str | None = None


@dataclass(frozen=True)
class LinkedActionRow:
    """An action read from a document, with the factors and why-nodes (refs) it answers."""

    fields: ActionRow
    factor_refs: tuple[int, ...] = ()
    why_refs: tuple[int, ...] = ()


@dataclass(frozen=True)
class StageTimeRow:
    """Time spent on one stage, read from a document."""

    stage: str
    started_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True)
class Document:
    """A validated session document, ready for `tx.documents.create`."""

    title: str
    severity: str
    timezone: str
    facts: dict[str, Any] = field(default_factory=dict)
    attendees: tuple[tuple[str, str, str], ...] = ()
    timeline: tuple[TimelineRow, ...] = ()
    source: str | None = None
    minutes: tuple[MinuteRow, ...] = ()
    parking_lot: tuple[ParkedRow, ...] = ()
    whys: tuple[WhyRow, ...] = ()
    factors: tuple[FactorRow, ...] = ()
    lessons: tuple[tuple[str, str], ...] = ()
    actions: tuple[LinkedActionRow, ...] = ()
    stage_time: tuple[StageTimeRow, ...] = ()
    status_changed_at: datetime | None = None


def load_document_file(path: Path, source: str | None = None) -> Document:
    """Read and check a JSON session document from a file."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    return read_document(raw, source)


def _need(obj: Any, key: str, where: str) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise InputError(f"{where}: missing {key!r}")
    return obj[key]


def read_document(raw: Any, source: str | None = None) -> Document:
    """Check a parsed JSON document and turn it into a Document; InputError names the problem."""
    session = _need(raw, "session", "document")
    zone = str(parse_fact("timezone", str(session.get("timezone", "UTC")), "UTC"))
    title = str(parse_fact("title", str(_need(session, "title", "session")), zone))
    severity = str(parse_fact("severity", str(_need(session, "severity", "session")), zone))
    facts: dict[str, Any] = {}
    for key in ("status", "summary"):
        if key in session:
            facts[key] = _fact(key, session[key], zone, f"session.{key}")
    for key, value in (raw.get("facts") or {}).items():
        if key not in FIELDS_BY_NAME:
            raise InputError(f"facts.{key}: not a fact debrief knows")
        facts[key] = _fact(key, value, zone, f"facts.{key}")
    attendees = tuple(_attendee(a, i) for i, a in enumerate(raw.get("attendees") or []))
    timeline = tuple(_event(e, i, zone) for i, e in enumerate(raw.get("timeline") or []))
    minutes = tuple(_minute(m, i, zone) for i, m in enumerate(raw.get("minutes") or []))
    parked = tuple(_parked(p, i) for i, p in enumerate(raw.get("parking_lot") or []))
    whys = _whys(raw.get("whys") or [])
    why_refs = {w.ref for w in whys}
    factors = tuple(_factor(f, i, why_refs) for i, f in enumerate(raw.get("factors") or []))
    factor_refs = {f.ref for f in factors}
    if len(factor_refs) != len(factors):
        raise InputError("factors: two factors share an id")
    lessons = tuple(_lesson(x, i) for i, x in enumerate(raw.get("lessons") or []))
    actions = tuple(
        _action(a, i, factor_refs, why_refs) for i, a in enumerate(raw.get("actions") or [])
    )
    runs = tuple(_run(r, i, zone) for i, r in enumerate(raw.get("stage_time") or []))
    changed = session.get("status_changed_at")
    return Document(
        title,
        severity,
        zone,
        facts,
        attendees,
        timeline,
        source,
        minutes,
        parked,
        whys,
        factors,
        lessons,
        actions,
        runs,
        _at({"at": changed}, "session.status_changed_at", zone) if changed else None,
    )


def _ref(item: Any, key: str, where: str) -> int:
    value = _need(item, key, where)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{where}.{key}: not a whole number")
    return value


def _refs(item: Any, key: str, where: str, known: set[int]) -> tuple[int, ...]:
    values = item.get(key) or []
    if not isinstance(values, list):
        raise InputError(f"{where}.{key}: not a list")
    for value in values:
        if value not in known:
            raise InputError(f"{where}.{key}: no such id {value!r}")
    return tuple(values)


def _note(item: Any) -> str | None:
    note = item.get("no_action_note")
    return str(note) if note else None


def _whys(items: list[Any]) -> tuple[WhyRow, ...]:
    """The tree, checked: one problem statement, every parent present, no cycles."""
    if not isinstance(items, list):
        raise InputError("whys: not a list")
    rows: list[WhyRow] = []
    for index, item in enumerate(items):
        where = f"whys[{index}]"
        parent = item.get("parent_id") if isinstance(item, dict) else None
        if parent is not None and (isinstance(parent, bool) or not isinstance(parent, int)):
            raise InputError(f"{where}.parent_id: not a whole number")
        rows.append(
            WhyRow(
                _ref(item, "id", where),
                parent,
                _text(item, where),
                bool(item.get("root_cause", False)),
                _note(item),
            )
        )
    by_ref = {row.ref: row for row in rows}
    if len(by_ref) != len(rows):
        raise InputError("whys: two nodes share an id")
    roots = [row for row in rows if row.parent_ref is None]
    if rows and len(roots) != 1:
        raise InputError(f"whys: {len(roots)} nodes without a parent (the problem is one)")
    for index, row in enumerate(rows):
        seen, current = {row.ref}, row.parent_ref
        while current is not None:
            if current not in by_ref:
                raise InputError(f"whys[{index}].parent_id: no such id {current!r}")
            if current in seen:
                raise InputError(f"whys[{index}]: its parents go round in a circle")
            seen.add(current)
            current = by_ref[current].parent_ref
    return tuple(rows)


def _factor(item: Any, index: int, why_refs: set[int]) -> FactorRow:
    where = f"factors[{index}]"
    category = str(_need(item, "category", where))
    if category not in factor_category_keys():
        raise InputError(f"{where}.category: unknown category {category!r}")
    return FactorRow(
        _ref(item, "id", where),
        category,
        _text(item, where),
        _refs(item, "why_ids", where, why_refs),
        _note(item),
    )


def _lesson(item: Any, index: int) -> tuple[str, str]:
    where = f"lessons[{index}]"
    kind = str(_need(item, "kind", where))
    if kind not in LESSON_KINDS:
        raise InputError(f"{where}.kind: unknown list {kind!r}")
    return kind, _text(item, where)


def _action(item: Any, index: int, factor_refs: set[int], why_refs: set[int]) -> LinkedActionRow:
    where = f"actions[{index}]"
    due = item.get("due")
    try:
        due_date = date.fromisoformat(str(due)) if due else None
    except ValueError:
        raise InputError(f"{where}.due: not a date (YYYY-MM-DD)") from None
    fields = ActionRow(
        text=_text(item, where),
        owner=str(item.get("owner") or ""),
        due_date=due_date,
        priority=str(item.get("priority", "P2")),
        type=str(item.get("type", "prevent")),
        status=str(item.get("status", "open")),
        ticket=str(item.get("ticket") or ""),
        proposal=bool(item.get("proposal", False)),
    )
    for name, allowed in (
        ("priority", ACTION_PRIORITIES),
        ("type", ACTION_TYPES),
        ("status", ACTION_STATUSES),
    ):
        if getattr(fields, name) not in allowed:
            raise InputError(f"{where}.{name}: unknown {name} {getattr(fields, name)!r}")
    return LinkedActionRow(
        fields,
        _refs(item, "factor_ids", where, factor_refs),
        _refs(item, "why_ids", where, why_refs),
    )


def _run(item: Any, index: int, zone: str) -> StageTimeRow:
    where = f"stage_time[{index}]"
    started = _at({"at": _need(item, "started_at", where)}, f"{where}.started_at", zone)
    ended = item.get("ended_at")
    return StageTimeRow(
        str(_need(item, "stage", where)),
        started,
        _at({"at": ended}, f"{where}.ended_at", zone) if ended else None,
    )


def _fact(key: str, value: Any, zone: str, where: str) -> Any:
    text = "" if value is None else str(value)
    try:
        return parse_fact(key, text, zone)
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None


def _attendee(item: Any, index: int) -> tuple[str, str, str]:
    where = f"attendees[{index}]"
    name = str(_need(item, "name", where)).strip()
    role = str(item.get("role", "responder")).strip().lower()
    if not name:
        raise InputError(f"{where}.name: empty")
    if role not in ROLES:
        raise InputError(f"{where}.role: unknown role {role!r}")
    return name, str(item.get("team", "")).strip(), role


def _text(item: Any, where: str) -> str:
    text = str(_need(item, "text", where)).strip()
    if not text:
        raise InputError(f"{where}.text: empty")
    return text


def _at(item: Any, where: str, zone: str) -> datetime:
    try:
        return parse_when(str(_need(item, "at", where)), zone)
    except TimeParseError as exc:
        raise InputError(f"{where}.at: {exc}") from None


def _minute(item: Any, index: int, zone: str) -> MinuteRow:
    where = f"minutes[{index}]"
    at = _at(item, where, zone)
    author = item.get("author")
    return MinuteRow(
        at, str(item.get("stage", "")), str(author) if author else None, _text(item, where)
    )


def _parked(item: Any, index: int) -> ParkedRow:
    where = f"parking_lot[{index}]"
    return ParkedRow(_text(item, where), str(item.get("stage", "")), str(item.get("owner") or ""))


def _event(item: Any, index: int, zone: str) -> TimelineRow:
    where = f"timeline[{index}]"
    at = _at(item, where, zone)
    text = str(_need(item, "text", where))
    return TimelineRow(
        at=at,
        text=text,
        kind=str(item.get("kind", "observation")),
        key_event=bool(item.get("key", False)),
        approximate=bool(item.get("approximate", False)),
    )
