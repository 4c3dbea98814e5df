"""Errors the core reports to users; each message is one line meant for them.

Every refusal a user can meet is one of these, so the UI and the command line have one error
path: show the message, keep what was typed.
"""

from __future__ import annotations


class Refusal(Exception):
    """Something debrief will not do; the message is one line for the user."""


class InputError(Refusal, ValueError):
    """A value a user entered that cannot be saved."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFound(Refusal, LookupError):
    """A session or item that does not exist (any more): deleted, perhaps in another seat."""

    def __init__(self, message: str, what: str | None = None) -> None:
        super().__init__(message)
        self.what = what
        """The kind of item looked for ("action", "why", ...), when one was."""


class DatabaseRefused(Refusal):
    """The database cannot be used by this release (foreign, newer, unreachable)."""


class ReadOnly(DatabaseRefused):
    """The database file (or its folder) cannot be written by this user or on this disk."""


class Unavailable(Refusal):
    """The database could not take a change now (busy past the timeout, read-only, gone)."""


def first_line(exc: BaseException) -> str:
    """The driver's own first line of an error, which says what went wrong (for an error
    SQLAlchemy wraps, the driver's error it wraps)."""
    cause = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    return lines[0][:200] if lines else exc.__class__.__name__
