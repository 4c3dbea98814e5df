"""Choose one of several links to open: the selected event's, or the session's."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from debrief_tui.core.timeline import link_name
from debrief_tui.paths import styles_path
from debrief_tui.ui.literal import literal

if TYPE_CHECKING:
    from debrief_tui.core.timeline import LinkRow


class LinkPicker(ModalScreen[str | None]):
    """Dismisses with the URL chosen (Enter), or None (Esc)."""

    CSS_PATH = styles_path("dialogs.tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self, title: str, links: list[LinkRow]) -> None:
        super().__init__()
        self.heading = title
        self.links = links

    def compose(self) -> ComposeResult:
        """The heading, then each link by name with its address."""
        with Vertical(classes="dialog"):
            yield Static(literal(self.heading), classes="dialog-title")
            options = [
                Option(
                    Text.assemble(literal(link_name(link), "bold"), "  ", literal(link.url, "dim")),
                    id=str(index),
                )
                for index, link in enumerate(self.links)
            ]
            yield OptionList(*options, id="links")
            yield Static(Text("Enter opens it and copies it; Esc closes", style="dim"))
        yield Footer()

    @on(OptionList.OptionSelected, "#links")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.links[int(event.option.id or 0)].url)

    def action_cancel(self) -> None:
        """Close without opening anything."""
        self.dismiss(None)
