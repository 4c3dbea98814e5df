"""A stage whose rows each sit in one of a few groups and hold a line of text: contributing
factors (by category) and lessons (went well, went wrong, lucky). Adding, editing, moving to
the next group, deleting and undoing work the same way in both; each stage describes its
rows once, in a `RowKind`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, NamedTuple, TypeVar

from debrief_tui.ui.screens.stage import StageScreen
from debrief_tui.ui.widgets.fitted_table import FittedTable

if TYPE_CHECKING:
    from debrief_tui.core.persistence.store import Store
    from debrief_tui.ui.dialogs.choice_text import ChoiceTextDialog

_RowT = TypeVar("_RowT")


class RowKind(NamedTuple, Generic[_RowT]):
    """What a grouped-rows stage holds, and the store calls that keep it."""

    noun: str
    """What a row is called in messages ("factor", "lesson")."""
    groups: Callable[[], tuple[str, ...]]
    group_of: Callable[[_RowT], str]
    text_of: Callable[[_RowT], str]
    dialog: Callable[[str, str], ChoiceTextDialog]
    """Asks for a row's group and text (text empty: a new row)."""
    add: Callable[[Store, int, str, str], _RowT]
    """(store, session id, group, text) -> the saved row."""
    update: Callable[[Store, int, str, str], _RowT]
    """(store, row id, group, text) -> the saved row."""
    delete: Callable[[Store, int], Any]
    """(store, row id) -> what `restore` needs to bring it back."""
    restore: Callable[[Store, Any], _RowT]


class GroupedRowsScreen(StageScreen):
    """Rows in groups, in the stage's table (its main widget); `rows` in table order."""

    row_kind: ClassVar[RowKind[Any]]

    def prepare_content(self) -> None:
        """Nothing shown yet, nothing deleted yet; then the stage loads its rows."""
        self.rows: list[Any] = []
        self._deleted_rows: list[Any] = []
        self.load_rows()

    def load_rows(self, select: int | None = None) -> None:
        """Read the rows and show them, selecting the row with this id (stages say how)."""

    def selected_row(self) -> Any | None:
        """The row under the table's cursor."""
        table = self.main_widget()
        if not isinstance(table, FittedTable) or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def selected_topic(self) -> str | None:
        """The selected row's text, to park."""
        row = self.selected_row()
        return self.row_kind.text_of(row) if row is not None else None

    def _selected_id(self) -> int | None:
        row = self.selected_row()
        return getattr(row, "id", None) if row is not None else None

    def action_add_row(self) -> None:
        """Add a row to the selected row's group (dialog)."""
        kind, store = self.row_kind, self.context.store
        if store is None:
            return
        current = self.selected_row()
        group = kind.group_of(current) if current is not None else kind.groups()[0]

        def done(values: tuple[str, str] | None) -> None:
            if values is None:
                return
            session_id = self.context.session_id
            row = self.attempt(lambda: kind.add(store, session_id, *values))
            if row is not None:
                self.load_rows(select=getattr(row, "id", None))

        self.app.push_screen(kind.dialog(group, ""), done)

    def action_edit_row(self) -> None:
        """Edit the selected row's group and text."""
        kind, store = self.row_kind, self.context.store
        row, row_id = self.selected_row(), self._selected_id()
        if row is None or row_id is None or store is None:
            return

        def done(values: tuple[str, str] | None) -> None:
            if values is None:
                return
            if self.attempt(lambda: kind.update(store, row_id, *values)) is not None:
                self.load_rows(select=row_id)

        self.app.push_screen(kind.dialog(kind.group_of(row), kind.text_of(row)), done)

    def action_next_group(self) -> None:
        """Move the selected row to the next group."""
        kind, store = self.row_kind, self.context.store
        row, row_id = self.selected_row(), self._selected_id()
        if row is None or row_id is None or store is None:
            return
        keys = kind.groups()
        index = keys.index(kind.group_of(row)) if kind.group_of(row) in keys else -1
        group, text = keys[(index + 1) % len(keys)], kind.text_of(row)
        if self.attempt(lambda: kind.update(store, row_id, group, text)) is None:
            return
        self.load_rows(select=row_id)
        self.notify(f"Now under {group}.", timeout=2)

    def action_delete_row(self) -> None:
        """Delete the selected row (u brings it back)."""
        kind, store, row_id = self.row_kind, self.context.store, self._selected_id()
        if row_id is None or store is None:
            return
        saved = self.attempt(lambda: kind.delete(store, row_id))
        if saved is None:
            return
        self._deleted_rows.append(saved)
        self.load_rows()
        self.notify(f"{kind.noun.capitalize()} deleted. u brings it back.", timeout=4)

    def action_undo_row(self) -> None:
        """Bring back the last deleted row."""
        kind, store = self.row_kind, self.context.store
        if not self._deleted_rows or store is None:
            self.notify("Nothing to undo.", timeout=3)
            return
        saved = self._deleted_rows.pop()
        restored = self.attempt(lambda: kind.restore(store, saved))
        if restored is not None:
            self.load_rows(select=getattr(restored, "id", None))
