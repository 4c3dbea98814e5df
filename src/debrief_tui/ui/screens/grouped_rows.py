"""A stage whose rows each sit in one of a few groups and hold a line of text: contributing
factors (by category) and lessons (went well, went wrong, lucky). Adding, editing, moving to
the next group, deleting and undoing work the same way in both; the stages say what the rows
are and which store calls keep them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

from debrief_tui.ui.screens.stage import StageScreen

if TYPE_CHECKING:
    from debrief_tui.core.store import Store
    from debrief_tui.ui.dialogs.choice_text import ChoiceTextDialog

_RowT = TypeVar("_RowT")


class GroupedRowsScreen(StageScreen, Generic[_RowT]):
    """Rows in groups, shown in a table; subclasses supply the store calls and the dialog."""

    noun = "row"
    """What a row is called in messages ("factor", "lesson")."""

    rows: list[_RowT]
    _deleted_rows: list[Any]

    # What a stage supplies --------------------------------------------------------------

    def group_keys(self) -> tuple[str, ...]:
        """The groups, in order."""
        raise NotImplementedError

    def group_of(self, row: _RowT) -> str:
        """The group a row is in."""
        raise NotImplementedError

    def text_of(self, row: _RowT) -> str:
        """A row's text."""
        raise NotImplementedError

    def row_dialog(self, group: str, text: str) -> ChoiceTextDialog:
        """The dialog that asks for a row's group and text (text empty: a new row)."""
        raise NotImplementedError

    def store_add(self, store: Store, group: str, text: str) -> _RowT:
        """Save a new row."""
        raise NotImplementedError

    def store_update(self, store: Store, row_id: int, group: str, text: str) -> _RowT:
        """Save a changed row."""
        raise NotImplementedError

    def store_delete(self, store: Store, row_id: int) -> Any:
        """Delete a row; returns what `store_restore` needs to bring it back."""
        raise NotImplementedError

    def store_restore(self, store: Store, saved: Any) -> _RowT:
        """Bring a deleted row back."""
        raise NotImplementedError

    def load_rows(self, select: int | None = None) -> None:
        """Read the rows from the store and show them, selecting the row with this id."""
        raise NotImplementedError

    def selected_row(self) -> _RowT | None:
        """The row under the table's cursor."""
        raise NotImplementedError

    # The shared flow --------------------------------------------------------------------

    def selected_topic(self) -> str | None:
        """The selected row's text, to park."""
        row = self.selected_row()
        return self.text_of(row) if row is not None else None

    def _selected_id(self) -> int | None:
        row = self.selected_row()
        return getattr(row, "id", None) if row is not None else None

    def action_add_row(self) -> None:
        """Add a row to the selected row's group (dialog)."""
        store = self.context.store
        if store is None:
            return
        current = self.selected_row()
        group = self.group_of(current) if current is not None else self.group_keys()[0]

        def done(values: tuple[str, str] | None) -> None:
            if values is None:
                return
            row = self.attempt(lambda: self.store_add(store, *values))
            if row is not None:
                self.load_rows(select=getattr(row, "id", None))

        self.app.push_screen(self.row_dialog(group, ""), done)

    def action_edit_row(self) -> None:
        """Edit the selected row's group and text."""
        row, row_id, store = self.selected_row(), self._selected_id(), self.context.store
        if row is None or row_id is None or store is None:
            return

        def done(values: tuple[str, str] | None) -> None:
            if values is None:
                return
            if self.attempt(lambda: self.store_update(store, row_id, *values)) is not None:
                self.load_rows(select=row_id)

        self.app.push_screen(self.row_dialog(self.group_of(row), self.text_of(row)), done)

    def action_next_group(self) -> None:
        """Move the selected row to the next group."""
        row, row_id, store = self.selected_row(), self._selected_id(), self.context.store
        if row is None or row_id is None or store is None:
            return
        keys = self.group_keys()
        index = keys.index(self.group_of(row)) if self.group_of(row) in keys else -1
        group, text = keys[(index + 1) % len(keys)], self.text_of(row)
        if self.attempt(lambda: self.store_update(store, row_id, group, text)) is None:
            return
        self.load_rows(select=row_id)
        self.notify(f"Now under {group}.", timeout=2)

    def action_delete_row(self) -> None:
        """Delete the selected row (u brings it back)."""
        row_id, store = self._selected_id(), self.context.store
        if row_id is None or store is None:
            return
        saved = self.attempt(lambda: self.store_delete(store, row_id))
        if saved is None:
            return
        self._deleted_rows.append(saved)
        self.load_rows()
        self.notify(f"{self.noun.capitalize()} deleted. u brings it back.", timeout=4)

    def action_undo_row(self) -> None:
        """Bring back the last deleted row."""
        store = self.context.store
        if not self._deleted_rows or store is None:
            self.notify("Nothing to undo.", timeout=3)
            return
        saved = self._deleted_rows.pop()
        restored = self.attempt(lambda: self.store_restore(store, saved))
        if restored is not None:
            self.load_rows(select=getattr(restored, "id", None))
