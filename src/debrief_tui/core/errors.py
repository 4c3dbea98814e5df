"""Errors the core reports to users; each message is one line meant for them."""

from __future__ import annotations


class InputError(ValueError):
    """A value a user entered that cannot be saved; the message is one line for them."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFound(LookupError):
    """A session or item that does not exist (any more)."""
