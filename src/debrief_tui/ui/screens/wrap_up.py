"""Wrap-up: the parking lot, so every parked topic leaves the room with an owner."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from debrief_tui.core.errors import InputError, NotFound
from debrief_tui.core.text import printable
from debrief_tui.paths import styles_path
from debrief_tui.ui.dialogs.confirm import ConfirmDialog
from debrief_tui.ui.dialogs.parking_item import ParkingItemDialog
from debrief_tui.ui.literal import literal
from debrief_tui.ui.screens.stage import StageScreen
from debrief_tui.ui.widgets.fitted_table import FittedTable

if TYPE_CHECKING:
    from debrief_tui.core.models import ParkingItem


class ParkingTable(FittedTable):
    """The parking lot; its keys apply while it has focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,e", "screen.edit_parked", "Edit topic/owner", id="edit-parked"),
        Binding("d,delete", "screen.delete_parked", "Remove topic", id="delete-parked"),
    ]


class WrapUpScreen(StageScreen):
    """The last stage: the parking lot above the minutes."""

    CSS_PATH = styles_path("wrap_up.tcss")

    def compose_content(self) -> ComposeResult:
        """The parking lot with its heading."""
        with Vertical(id="parking"):
            yield Static(id="parking-title")
            yield ParkingTable(
                (("Topic", "topic", None), ("Owner", "owner", 16), ("Raised in", "stage", 12)),
                id="parking-table",
            )

    def prepare_content(self) -> None:
        """Set up the table."""
        self.items: list[ParkingItem] = []
        self._load_parking()

    def refresh_view(self) -> None:
        """Also reload the parking lot: topics are parked from every stage."""
        super().refresh_view()
        if self.query(ParkingTable):  # not before the screen has composed it
            self._load_parking()

    @on(StageScreen.Parked)
    def _parked_here(self) -> None:
        self._load_parking()

    @on(FittedTable.Refit, "#parking-table")
    def _refit(self) -> None:
        self._show_parking()

    def main_widget(self) -> Widget:
        """The parking lot when it has topics, the minutes box otherwise."""
        if getattr(self, "items", None):
            return self.query_one(ParkingTable)
        return super().main_widget()

    def _load_parking(self) -> None:
        store = self.context.store
        self.items = store.list_parking(self.context.session_id) if store else []
        self._show_parking()

    def _show_parking(self) -> None:
        table = self.query_one(ParkingTable)
        table.fit_columns()
        titles = {s.key: s.title for s in self.context.meeting.agenda.stages}
        for item in self.items:
            table.add_row(
                table.fitted(literal(item.text)),
                literal(item.owner) if item.owner else Text("needs an owner", style="bold #ffb000"),
                Text(titles.get(item.stage, item.stage)),
                key=str(item.id),
            )
        missing = sum(1 for item in self.items if not item.owner)
        heading = Text("Parking lot", style="bold")
        if not self.items:
            heading.append("  empty: nothing was parked (f9 parks a topic)", style="dim")
        elif missing:
            heading.append(f"  {missing} of {len(self.items)} without an owner", style="#ffb000")
        else:
            heading.append(f"  {len(self.items)} topics, all owned", style="green")
        self.query_one("#parking-title", Static).update(heading)
        table.display = bool(self.items)
        self.refresh_bindings()

    def _selected_item(self) -> ParkingItem | None:
        table = self.query_one(ParkingTable)
        if not self.items or not 0 <= table.cursor_row < len(self.items):
            return None
        return self.items[table.cursor_row]

    def action_edit_parked(self) -> None:
        """Edit the selected topic's text and owner."""
        item = self._selected_item()
        if item is None or item.id is None or self.context.store is None:
            return
        item_id, store = item.id, self.context.store

        def done(values: tuple[str, str] | None) -> None:
            if values is None:
                return
            try:
                store.update_parking_item(item_id, *values)
            except (InputError, NotFound) as exc:
                self.notify(printable(str(exc)), severity="error", markup=False)
            self._load_parking()

        self.app.push_screen(ParkingItemDialog(item.text, item.owner), done)

    def action_delete_parked(self) -> None:
        """Remove the selected topic after confirmation."""
        item = self._selected_item()
        if item is None or item.id is None or self.context.store is None:
            return
        item_id, store = item.id, self.context.store

        def confirmed(yes: bool | None) -> None:
            if yes:
                with contextlib.suppress(NotFound):
                    store.delete_parking_item(item_id)
                self._load_parking()

        question = Text.assemble("Remove ", literal(item.text, "bold"), " from the parking lot?")
        self.app.push_screen(ConfirmDialog(question, confirm_label="Remove"), confirmed)
