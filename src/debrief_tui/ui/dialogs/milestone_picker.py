"""Choose which milestone an event marks: one key per milestone."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from debrief_tui.core.timeline import MILESTONES
from debrief_tui.paths import styles_path
from debrief_tui.ui.literal import literal


class MilestonePicker(ModalScreen[str | None]):
    """Dismisses with a milestone fact name (`detected_at`), or None.

    The digits 1-7 pick at once, as they do on the timeline table itself; choosing a milestone
    the event already marks clears it.
    """

    CSS_PATH = styles_path("dialogs.tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        *(
            Binding(str(i), f"pick({i - 1})", label, show=False)
            for i, (_, label) in enumerate(MILESTONES, start=1)
        ),
    ]

    def __init__(self, event_text: str, marked: set[str]) -> None:
        super().__init__()
        self.event_text = event_text
        self.marked = marked

    def compose(self) -> ComposeResult:
        """The event, then the seven milestones with their keys."""
        with Vertical(classes="dialog"):
            yield Static("Set a milestone at this event's time", classes="dialog-title")
            yield Static(Text.assemble(("Event: ", "dim"), literal(self.event_text)))
            options = []
            for i, (name, label) in enumerate(MILESTONES, start=1):
                mark = "  ✓ (choose again to clear)" if name in self.marked else ""
                options.append(Option(f"{i}  {label}{mark}", id=name))
            yield OptionList(*options, id="milestones")
        yield Footer()

    @on(OptionList.OptionSelected, "#milestones")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_pick(self, index: int) -> None:
        """A digit: that milestone."""
        self.dismiss(MILESTONES[index][0])

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)
