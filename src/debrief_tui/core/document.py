"""Reading a session document (the demo incident, and later JSON exports) into checked values.

The shape follows the JSON export: `session`, `facts`, `attendees`, `timeline`. Every problem is
reported with the path of the value (`timeline[3].at`), and nothing is created from a document
that has any problem.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from debrief_tui.core.facts import FIELDS_BY_NAME, InputError, parse_fact
from debrief_tui.core.store_types import MinuteRow, ParkedRow, TimelineRow
from debrief_tui.core.timeparse import TimeParseError, parse_when
from debrief_tui.core.vocab import ROLES


@dataclass(frozen=True)
class Document:
    """A validated session document, ready for `Store.create_from_document`."""

    title: str
    severity: str
    timezone: str
    facts: dict[str, Any] = field(default_factory=dict)
    attendees: tuple[tuple[str, str, str], ...] = ()
    timeline: tuple[TimelineRow, ...] = ()
    source: str | None = None
    minutes: tuple[MinuteRow, ...] = ()
    parking_lot: tuple[ParkedRow, ...] = ()


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
    return Document(title, severity, zone, facts, attendees, timeline, source, minutes, parked)


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
