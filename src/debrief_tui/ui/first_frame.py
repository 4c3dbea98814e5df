"""Deferring work until the first frame is on the terminal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.message_pump import MessagePump

# Textual hands a finished frame to a writer thread. Work started right after the refresh
# (mounting the footer, importing the ORM) holds the GIL while that thread is still writing,
# and the frame reaches the screen later; a short pause lets it out first.
FRAME_OUT_SECONDS = 0.05


def after_first_frame(node: MessagePump, callback: Callable[[], Any]) -> None:
    """Run `callback` on `node` once the frame being drawn now has been written out."""
    node.call_after_refresh(lambda: node.set_timer(FRAME_OUT_SECONDS, callback))
