"""Reading a session document (the demo incident, or a JSON export) into checked values.

The shape is the JSON export's, stated by `data/export.schema.json`: `session`, `facts`,
`attendees`, `timeline`, `whys`, `factors`, `lessons`, `actions`, `parking_lot`, `minutes`,
`stage_time` (all but `session` optional). The document is checked whole before anything is
made from it: its text and shape first (`validation.py`), then the rules a schema cannot state
(ids unique, references found, one problem statement and no circle in the 5 Whys, times and
dates in the years debrief keeps, severities, zones, kinds and categories known). The first
problem is reported in one line with the path of the value (`timeline[3].at`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from debrief_tui.core.actions.items import ActionRow
from debrief_tui.core.clock import FIRST_YEAR, LAST_YEAR
from debrief_tui.core.export.validation import (
    check_plain,
    check_shape,
    check_version,
    parse_json,
    show,
)
from debrief_tui.core.reference.data import factor_category_keys
from debrief_tui.core.sessions.facts import InputError, parse_fact
from debrief_tui.core.timeline.events import TimelineRow, author_name, check_event
from debrief_tui.core.timeline.links import LinkRow, check_label, check_url
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
    links: tuple[LinkRow, ...] = ()
    """The session's own links (each event holds its own)."""


def load_document_file(path: Path, source: str | None = None) -> Document:
    """Read and check a JSON session document from a file."""
    return read_document_text(_file_text(path), str(path), source)


def _file_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None


_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def moved_to_this_week(raw: Any, today: date) -> Any:
    """A parsed document (the demo) with every date in it moved forward by whole weeks, so its
    meeting (the day of its last minute) was held this week and its actions fall due in the
    weeks ahead, not long ago. Whole weeks keep each weekday; times of day and zones are kept.
    """
    meeting = max(
        (date.fromisoformat(m.group(0)) for m in _ISO_DATE.finditer(_minute_times(raw))),
        default=None,
    )
    if meeting is None or meeting > today:
        return raw
    weeks = (today - meeting).days // 7

    def moved(match: re.Match[str]) -> str:
        return (date.fromisoformat(match.group(0)) + timedelta(weeks=weeks)).isoformat()

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return _ISO_DATE.sub(moved, value)
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, dict):
            return {key: walk(item) for key, item in value.items()}
        return value

    return walk(raw)


def _minute_times(raw: Any) -> str:
    minutes = raw.get("minutes", []) if isinstance(raw, dict) else []
    return " ".join(
        m["at"] for m in minutes if isinstance(m, dict) and isinstance(m.get("at"), str)
    )


def load_demo_file(path: Path, source: str, today: date) -> Document:
    """The demo incident from `path`, its dates moved so that its meeting was this week."""
    return read_document_text(_file_text(path), str(path), source, moved_to=today)


def read_document_text(
    text: str, name: str, source: str | None = None, *, moved_to: date | None = None
) -> Document:
    """Check the JSON text of a session document read from `name` (a file, `-`) and turn it
    into a Document (its dates `moved_to_this_week` of that day, when given); InputError is
    one line naming `name` and the path of the problem."""
    raw = parse_json(text, name)
    if moved_to is not None:
        raw = moved_to_this_week(raw, moved_to)
    try:
        return read_document(raw, source)
    except InputError as exc:
        raise InputError(f"{name}: {exc}", exc.field) from None


def read_document(raw: Any, source: str | None = None) -> Document:
    """Check a parsed JSON document and turn it into a Document; InputError names the path of
    the first problem (`actions[3].why_ids[1]: 2 is listed twice`)."""
    check_plain(raw)
    check_version(raw)
    check_shape(raw)
    # From here on the shape is the schema's: every key and type below is as it says.
    session = raw["session"]
    zone = str(_fact("timezone", session.get("timezone", "UTC"), "UTC", "session.timezone"))
    facts: dict[str, Any] = {}
    for key in ("title", "severity", "status", "summary"):
        if key in session:
            facts[key] = _fact(key, session[key], zone, f"session.{key}")
    for key, value in raw.get("facts", {}).items():
        facts[key] = _fact(key, value, zone, f"facts.{key}")
    title, severity = str(facts.pop("title")), str(facts.pop("severity"))
    changed = session.get("status_changed_at")
    whys = _whys(raw.get("whys", []))
    why_refs = {w.ref for w in whys}
    factors = _factors(raw.get("factors", []), why_refs)
    factor_refs = {f.ref for f in factors}
    return Document(
        title,
        severity,
        zone,
        facts,
        tuple(_attendee(a) for a in raw.get("attendees", [])),
        tuple(_event(e, i, zone) for i, e in enumerate(raw.get("timeline", []))),
        source,
        tuple(_minute(m, i, zone) for i, m in enumerate(raw.get("minutes", []))),
        tuple(_parked(p) for p in raw.get("parking_lot", [])),
        whys,
        factors,
        tuple((x["kind"], x["text"].strip()) for x in raw.get("lessons", [])),
        tuple(_action(a, i, factor_refs, why_refs) for i, a in enumerate(raw.get("actions", []))),
        tuple(_run(r, i, zone) for i, r in enumerate(raw.get("stage_time", []))),
        None if changed is None else _time(changed, "session.status_changed_at", zone),
        _links(raw.get("links", []), "links"),
    )


def _fact(key: str, value: Any, zone: str, where: str) -> Any:
    text = "" if value is None else str(value)
    try:
        return parse_fact(key, text, zone)
    except InputError as exc:
        raise InputError(f"{where}: {_shortened(exc, text)}") from None


def _shortened(exc: Exception, text: str) -> str:
    """The message of `exc`, with a long value it repeats (or a part of one) cut short."""
    message = str(exc)
    for spelled in {text, text.strip()}:
        if len(spelled) > 40:
            message = message.replace(repr(spelled), show(spelled))
    return message if len(message) <= 160 else message[:159] + "…"


def _time(value: str, where: str, zone: str) -> datetime:
    try:
        return parse_when(value, zone)
    except TimeParseError as exc:
        raise InputError(f"{where}: {_shortened(exc, value)}") from None


def _no_such(refs: list[int], known: set[int], where: str, kind: str) -> tuple[int, ...]:
    for ref in refs:
        if ref not in known:
            raise InputError(f"{where}: no such id {ref} in {kind}")
    return tuple(int(ref) for ref in refs)


def _unique(refs: list[int], list_name: str) -> None:
    """Refuse an id given to two items of a list, naming the second."""
    first: dict[int, int] = {}
    for index, ref in enumerate(refs):
        if ref in first:
            raise InputError(
                f"{list_name}[{index}].id: {ref} is already the id of {list_name}[{first[ref]}]"
            )
        first[ref] = index


def _whys(items: list[dict[str, Any]]) -> tuple[WhyRow, ...]:
    """The tree, checked: ids unique, every parent present, no circles, one problem statement."""
    _unique([item["id"] for item in items], "whys")
    rows = tuple(
        WhyRow(
            int(item["id"]),
            None if item["parent_id"] is None else int(item["parent_id"]),
            item["text"].strip(),
            item.get("root_cause", False),
            item.get("no_action_note") or None,
        )
        for item in items
    )
    by_ref = {row.ref: row for row in rows}
    for index, row in enumerate(rows):
        seen, current = {row.ref}, row.parent_ref
        while current is not None:
            if current not in by_ref:
                raise InputError(f"whys[{index}].parent_id: no such id {current}")
            if current in seen:
                raise InputError(f"whys[{index}].parent_id: its parents go round in a circle")
            seen.add(current)
            current = by_ref[current].parent_ref
    roots = [index for index, row in enumerate(rows) if row.parent_ref is None]
    if len(roots) > 1:  # none at all is a circle, found above
        raise InputError(
            f"whys[{roots[1]}].parent_id: {len(roots)} nodes without a parent "
            "(only the problem statement has none)"
        )
    return rows


def _factors(items: list[dict[str, Any]], why_refs: set[int]) -> tuple[FactorRow, ...]:
    _unique([item["id"] for item in items], "factors")
    rows = []
    for index, item in enumerate(items):
        where = f"factors[{index}]"
        category = item["category"]
        if category not in factor_category_keys():
            raise InputError(
                f"{where}.category: unknown category {show(category)} "
                f"(one of {', '.join(factor_category_keys())})"
            )
        rows.append(
            FactorRow(
                int(item["id"]),
                category,
                item["text"].strip(),
                _no_such(item.get("why_ids", []), why_refs, f"{where}.why_ids", "whys"),
                item.get("no_action_note") or None,
            )
        )
    return tuple(rows)


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _due(value: str | None, where: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        due = date.fromisoformat(value) if _DATE.fullmatch(value) else None
    except ValueError:
        due = None
    if due is None:
        raise InputError(f"{where}: not a date (YYYY-MM-DD): {show(value)}")
    if not FIRST_YEAR <= due.year <= LAST_YEAR:
        raise InputError(
            f"{where}: {show(value)} is outside the years debrief keeps "
            f"({FIRST_YEAR} to {LAST_YEAR})"
        )
    return due


def _action(
    item: dict[str, Any], index: int, factor_refs: set[int], why_refs: set[int]
) -> LinkedActionRow:
    where = f"actions[{index}]"
    fields = ActionRow(
        text=item["text"],
        owner=item.get("owner", ""),
        due_date=_due(item.get("due"), f"{where}.due"),
        priority=item.get("priority", "P2"),
        type=item.get("type", "prevent"),
        status=item.get("status", "open"),
        ticket=item.get("ticket", ""),
        proposal=item.get("proposal", False),
    )
    return LinkedActionRow(
        fields,
        _no_such(item.get("factor_ids", []), factor_refs, f"{where}.factor_ids", "factors"),
        _no_such(item.get("why_ids", []), why_refs, f"{where}.why_ids", "whys"),
    )


def _run(item: dict[str, Any], index: int, zone: str) -> StageTimeRow:
    where = f"stage_time[{index}]"
    ended = item.get("ended_at")
    return StageTimeRow(
        item["stage"],
        _time(item["started_at"], f"{where}.started_at", zone),
        None if ended is None else _time(ended, f"{where}.ended_at", zone),
    )


def _attendee(item: dict[str, Any]) -> tuple[str, str, str]:
    return item["name"].strip(), item.get("team", "").strip(), item.get("role", "responder")


def _minute(item: dict[str, Any], index: int, zone: str) -> MinuteRow:
    at = _time(item["at"], f"minutes[{index}].at", zone)
    return MinuteRow(at, item.get("stage", ""), item.get("author") or None, item["text"].strip())


def _parked(item: dict[str, Any]) -> ParkedRow:
    return ParkedRow(item["text"].strip(), item.get("stage", ""), item.get("owner", ""))


def _event(item: dict[str, Any], index: int, zone: str) -> TimelineRow:
    where = f"timeline[{index}]"
    at = _time(item["at"], f"{where}.at", zone)
    text, kind = item["text"].strip(), item.get("kind", "observation")
    try:
        check_event(text, kind)
        author = author_name(item.get("author"))
    except InputError as exc:
        raise InputError(f"{where}.{exc.field}: {_shortened(exc, kind)}") from None
    return TimelineRow(
        at=at,
        text=text,
        kind=kind,
        key_event=item.get("key", False),
        approximate=item.get("approximate", False),
        author=author,
        links=_links(item.get("links", []), f"{where}.links"),
    )


def _links(items: list[dict[str, Any]], where: str) -> tuple[LinkRow, ...]:
    """Links as checked when typed (the schema has checked their shape)."""
    out = []
    for index, item in enumerate(items):
        try:
            out.append(LinkRow(check_url(item["url"]), check_label(item.get("label", ""))))
        except InputError as exc:
            raise InputError(f"{where}[{index}]: {_shortened(exc, item['url'])}") from None
    return tuple(dict.fromkeys(out))
