"""A checkbox that shows its state by its mark (☑ on, ☐ off), not only by colour.

Textual's Checkbox draws the same X in both states and tells them apart by its colour alone,
which a projector, a colour-blind reader or the light theme can lose."""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.geometry import Size
from textual.widgets import Checkbox

MARKS = {True: "☑", False: "☐"}
"""The mark for each state; each one cell wide."""


class TickBox(Checkbox):
    """A Checkbox drawn as `☑ label` or `☐ label`, in the label's colours."""

    BUTTON_LEFT: ClassVar[str] = ""  # type: ignore[misc]
    BUTTON_INNER: ClassVar[str] = ""  # type: ignore[misc]
    BUTTON_RIGHT: ClassVar[str] = ""  # type: ignore[misc]

    def render(self) -> Content:
        """The mark for the current value, then the label."""
        style = self.get_visual_style("toggle--label")
        label = self.label.pad(1, 1).stylize_before(style)
        return Content.assemble((MARKS[self.value], style), label)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """The label's width and one cell for the mark."""
        return 1 + super().get_content_width(container, viewport)
