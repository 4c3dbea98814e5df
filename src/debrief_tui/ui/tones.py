"""Colours for text that Python draws, taken from the theme shown now.

Styles are written as in TCSS, with the theme's variables: `tone(self, "bold $text-warning")`.
No colour is written in Python; a second theme is complete by construction, and a stage that
redraws after the theme changes (f3) draws in the new one. The `$text-*` variables are the
theme's colours made readable on its background (over 7:1 in both debrief themes).
"""

from __future__ import annotations

from typing import Protocol

from rich.style import Style
from textual.dom import DOMNode

ERROR = "bold $text-error"
WARNING = "bold $text-warning"
OK = "$text-success"
LABEL = "$text-primary"
ALARM = "bold $background on $error"
"""A span that must stand out as over time or broken (the overrun timer, the impact window)."""
CAUTION = "bold $background on $warning"
"""A span that asks for attention (a timer near its end, the detection delay)."""
HEADER_MUTED = "$header-muted"
"""Quieter text on the meeting header's $primary (the position, the meeting's total time):
`dim` there fell to 3.4:1."""
PROGRESS_DONE = "$progress-done"
"""The header's square of a stage already held (3:1 or more on $primary)."""
PROGRESS_NOW = "bold $progress-now"
"""The header's square of the stage on show (3:1 or more on $primary)."""


class Tone(Protocol):
    """Turns a TCSS-like style into a Rich style in the current theme."""

    def __call__(self, spec: str) -> Style: ...


def tone(node: DOMNode, spec: str) -> Style:
    """The Rich style `spec` (TCSS syntax, theme variables allowed) means in the theme shown
    now."""
    return node.app.stylesheet.parse_style(spec).rich_style


def toner(node: DOMNode) -> Tone:
    """`tone` for one node, for drawing code that is not a widget's method."""
    return lambda spec: tone(node, spec)
