"""What a session and its attendees must be before they are saved."""

from __future__ import annotations

from collections.abc import Iterable

from debrief_tui.core.errors import InputError
from debrief_tui.core.reference.vocab import ROLES
from debrief_tui.core.sessions.facts import FIELDS_BY_NAME


def check_facts(names: Iterable[str], title: object = None) -> None:
    """Refuse names that are not facts of a session, and a blank title."""
    unknown = set(names) - set(FIELDS_BY_NAME)
    if unknown:
        raise InputError(f"unknown fact(s): {', '.join(sorted(unknown))}")
    if title is not None and not str(title).strip():
        raise InputError("a title is needed", "title")


def check_attendee(name: str, team: str, role: str) -> tuple[str, str, str]:
    """An attendee's name, team and role as stored; InputError for a missing name or an
    unknown role."""
    name, team, role = name.strip(), team.strip(), role.strip().lower()
    if not name:
        raise InputError("an attendee needs a name", "name")
    if role not in ROLES:
        raise InputError(f"unknown role {role!r} (choose from {', '.join(ROLES)})", "role")
    return name, team, role
