"""An action item's fields and links as typed, and what they must be before they are saved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from debrief_tui.core.errors import InputError
from debrief_tui.core.reference.vocab import ACTION_PRIORITIES, ACTION_STATUSES, ACTION_TYPES


@dataclass(frozen=True)
class ActionRow:
    """An action item's fields before it is saved (its links are passed beside it)."""

    text: str
    owner: str = ""
    due_date: date | None = None
    priority: str = "P2"
    type: str = "prevent"
    status: str = "open"
    ticket: str = ""
    proposal: bool = False


@dataclass(frozen=True)
class ActionLinks:
    """The factors and why-nodes an action answers."""

    factor_ids: tuple[int, ...] = ()
    why_ids: tuple[int, ...] = ()


MAX_ACTION_CHARS = 2000
"""An action is one sentence or a short paragraph; more belongs in its ticket."""


def check_action(fields: ActionRow) -> ActionRow:
    """The fields as stored (white space folded); InputError for no description, one too long,
    or an unknown priority, type or status."""
    text = " ".join(fields.text.split())
    if not text:
        raise InputError("an action needs a description", "text")
    if len(text) > MAX_ACTION_CHARS:
        raise InputError(
            f"an action's description takes at most {MAX_ACTION_CHARS:,} characters "
            f"({len(text):,} given): put the detail in its ticket",
            "text",
        )
    for value, allowed, name in (
        (fields.priority, ACTION_PRIORITIES, "priority"),
        (fields.type, ACTION_TYPES, "type"),
        (fields.status, ACTION_STATUSES, "status"),
    ):
        if value not in allowed:
            raise InputError(f"unknown {name} {value!r} (one of {', '.join(allowed)})", name)
    return ActionRow(
        text,
        " ".join(fields.owner.split()),
        fields.due_date,
        fields.priority,
        fields.type,
        fields.status,
        fields.ticket.strip(),
        fields.proposal,
    )
