"""The roles a seat at the meeting sits in."""

from __future__ import annotations

FACILITATOR = "facilitator"
"""Drives the agenda: its stage moves are the meeting's, and it records the meeting's time."""
NOTE_TAKER = "note-taker"
"""Types the minutes: the box stays focused, and the seat follows the facilitator."""
ROLES = (FACILITATOR, NOTE_TAKER)
