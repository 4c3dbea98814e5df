"""The editable facts of a session: their labels, and reading each from what a user typed.

The CLI and the setup screen both go through `parse_fact`, so a value is validated the same way
wherever it is entered.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from debrief_tui.core.errors import InputError
from debrief_tui.core.reference.data import normalise_severity, severity_keys
from debrief_tui.core.reference.vocab import DETECTION_METHODS, STATUSES
from debrief_tui.core.timeline.timeparse import TimeParseError, parse_when, validate_timezone

__all__ = [
    "FACT_FIELDS",
    "FIELDS_BY_NAME",
    "FactField",
    "InputError",
    "parse_fact",
]

MAX_COUNT = 2**31 - 1
"""The largest count a database stores as INTEGER on every backend (PostgreSQL's limit)."""

FactKind = Literal[
    "title", "text", "count", "time", "severity", "status", "zone", "detection", "agenda"
]


@dataclass(frozen=True)
class FactField:
    """One editable fact of a session."""

    name: str
    label: str
    kind: FactKind


FACT_FIELDS: tuple[FactField, ...] = (
    FactField("title", "Title", "title"),
    FactField("severity", "Severity", "severity"),
    FactField("status", "Status", "status"),
    FactField("timezone", "Time zone", "zone"),
    FactField("summary", "Summary", "text"),
    FactField("started_at", "Started", "time"),
    FactField("detected_at", "Detected", "time"),
    FactField("first_logged_at", "First logged", "time"),
    FactField("acknowledged_at", "Acknowledged", "time"),
    FactField("first_communication_at", "First communication", "time"),
    FactField("mitigated_at", "Mitigated", "time"),
    FactField("resolved_at", "Resolved", "time"),
    FactField("detection_method", "Detected by", "detection"),
    FactField("users_affected", "Users affected", "count"),
    FactField("accounts_affected", "Accounts affected", "count"),
    FactField("support_requests", "Support requests", "count"),
    FactField("services_affected", "Services affected", "text"),
    FactField("review_at", "Review meeting", "time"),
    FactField("agenda_path", "Agenda file", "agenda"),
)
FIELDS_BY_NAME = {f.name: f for f in FACT_FIELDS}


def parse_fact(name: str, text: str, zone_name: str) -> object:
    """The value to store for fact `name` typed as `text`; times are read in `zone_name`.

    Raises InputError with a message naming what is wrong.
    """
    field = FIELDS_BY_NAME[name]
    value = text.strip()
    try:
        return _parse(field, value, zone_name)
    except TimeParseError as exc:
        raise InputError(str(exc), name) from None


def _parse(field: FactField, value: str, zone_name: str) -> object:
    match field.kind:
        case "title":
            if not value:
                raise InputError("a title is needed", field.name)
            return value
        case "text":
            return value
        case "severity":
            key = normalise_severity(value)
            if key is None:
                raise InputError(
                    f"unknown severity {value!r} (choose from {', '.join(severity_keys())})",
                    field.name,
                )
            return key
        case "status":
            if value.lower() not in STATUSES:
                raise InputError(
                    f"unknown status {value!r} (choose from {', '.join(STATUSES)})", field.name
                )
            return value.lower()
        case "zone":
            return validate_timezone(value)
        case "detection":
            if not value:
                return None
            if value.lower() not in DETECTION_METHODS:
                raise InputError(
                    f"unknown detection {value!r} (choose from {', '.join(DETECTION_METHODS)})",
                    field.name,
                )
            return value.lower()
        case "count":
            if not value:
                return None
            digits = value.replace(",", "").replace("_", "").replace(" ", "")
            if not (digits.isascii() and digits.isdecimal()):
                raise InputError(f"{field.label.lower()} must be a whole number", field.name)
            digits = digits.lstrip("0") or "0"
            if len(digits) > len(str(MAX_COUNT)) or int(digits) > MAX_COUNT:
                raise InputError(f"{field.label.lower()} must be at most {MAX_COUNT:,}", field.name)
            return int(digits)
        case "time":
            if not value:
                return None
            return parse_when(value, zone_name)
        case "agenda":
            if not value:
                return None
            from debrief_tui.core.meeting.agenda import AgendaError, load_agenda

            try:
                load_agenda(value)
            except AgendaError as exc:
                raise InputError(str(exc), field.name) from None
            return str(Path(value).expanduser().resolve())
    raise AssertionError(field.kind)  # pragma: no cover - every kind is matched above
