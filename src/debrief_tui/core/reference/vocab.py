"""The fixed vocabularies of a postmortem: statuses, roles, kinds and types.

Severity levels are not here: teams tune them, so they live in `data/severities.toml`
(see `debrief_tui.core.reference.data`).
"""

from __future__ import annotations

STATUSES: tuple[str, ...] = ("draft", "in review", "reviewed", "published")
"""Life cycle of a postmortem document, in order."""

ROLES: tuple[str, ...] = (
    "facilitator",
    "note-taker",
    "postmortem owner",
    "incident commander",
    "responder",
    "stakeholder",
    "affected user",
)
"""Roles an attendee can hold in the meeting."""

DETECTION_METHODS: tuple[str, ...] = ("monitoring", "internal", "customer")
"""How the incident was first noticed: by an alert, by a person inside, or by a customer."""

LESSON_KINDS: tuple[str, ...] = ("went well", "went wrong", "lucky")
"""The three lists of lessons."""

ACTION_TYPES: tuple[str, ...] = ("prevent", "mitigate", "detect", "process")
"""What an action item does about the incident."""

ACTION_STATUSES: tuple[str, ...] = ("open", "in progress", "done", "won't do")
"""Where an action item stands."""

ACTION_PRIORITIES: tuple[str, ...] = ("P1", "P2", "P3", "P4")
"""Action priority, P1 the most urgent."""
