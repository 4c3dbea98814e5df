"""A stage whose rows each sit in one of a few groups and hold a line of text: contributing
factors (by category) and lessons (went well, went wrong, lucky). Adding, editing, moving to
the next group and deleting work the same way in both; each stage describes its rows once, in
a `RowKind`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, NamedTuple, TypeVar

from debrief_tui.ui.screens.stage import StageScreen
from debrief_tui.ui.widgets.fitted_table import FittedTable

if TYPE_CHECKING:
    from debrief_tui.core.persistence import Removed, Unit
    from debrief_tui.ui.dialogs.choice_text import ChoiceTextDialog
    from debrief_tui.ui.dialogs.form import SaveHook

_RowT = TypeVar("_RowT")


class RowKind(NamedTuple, Generic[_RowT]):
    """What a grouped-rows stage holds, and the repository calls that keep it."""

    noun: str
    """What a row is called in messages ("factor", "lesson")."""
    groups: Callable[[], tuple[str, ...]]
    group_of: Callable[[_RowT], str]
    text_of: Callable[[_RowT], str]
    dialog: Callable[[str, str, SaveHook[tuple[str, str]]], ChoiceTextDialog]
    """Asks for a row's group and text (text empty: a new row), saving with the hook."""
    add: Callable[[Unit, int, str, str], _RowT]
    """(unit, session id, group, text) -> the saved row."""
    update: Callable[[Unit, int, str, str], _RowT]
    """(unit, row id, group, text) -> the saved row."""
    delete: Callable[[Unit, int], Removed]
    """(unit, row id) -> what undo needs to bring it back."""


class GroupedRowsScreen(StageScreen):
    """Rows in groups, in the stage's table (its main widget); `rows` in table order."""

    row_kind: ClassVar[RowKind[Any]]

    def prepare_content(self) -> None:
        """Nothing shown yet: the rows come with the stage's snapshot."""
        self.rows: list[Any] = []

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

    async def _adding(self, values: tuple[str, str]) -> None:
        kind, session_id = self.row_kind, self.context.session_id
        row = await self.context.gateway.write(lambda tx: kind.add(tx, session_id, *values))
        await self.reload(select=getattr(row, "id", None))

    def action_add_row(self) -> None:
        """Add a row to the selected row's group (dialog)."""
        kind, current = self.row_kind, self.selected_row()
        group = kind.group_of(current) if current is not None else kind.groups()[0]
        self.app.push_screen(kind.dialog(group, "", self._adding))

    def action_edit_row(self) -> None:
        """Edit the selected row's group and text."""
        kind, gateway = self.row_kind, self.context.gateway
        row, row_id = self.selected_row(), self._selected_id()
        if row is None or row_id is None:
            return

        async def save(values: tuple[str, str]) -> None:
            await gateway.write(lambda tx: kind.update(tx, row_id, *values))
            await self.reload(select=row_id)

        dialog = kind.dialog(kind.group_of(row), kind.text_of(row), save)
        dialog.as_new = self._adding  # offered if another seat deletes the row meanwhile
        self.app.push_screen(dialog)

    async def action_next_group(self) -> None:
        """Move the selected row to the next group."""
        kind = self.row_kind
        row, row_id = self.selected_row(), self._selected_id()
        if row is None or row_id is None:
            return
        keys = kind.groups()
        index = keys.index(kind.group_of(row)) if kind.group_of(row) in keys else -1
        group, text = keys[(index + 1) % len(keys)], kind.text_of(row)
        if await self.write(lambda tx: kind.update(tx, row_id, group, text)) is None:
            return
        await self.reload(select=row_id)
        self.notify(f"Now under {group}.", timeout=2)

    async def action_delete_row(self) -> None:
        """Delete the selected row (u brings it back)."""
        kind, row_id = self.row_kind, self._selected_id()
        if row_id is None:
            return
        removed = await self.write(lambda tx: kind.delete(tx, row_id))
        if removed is None:
            return
        self.context.undo.push(self.stage.key, removed)
        await self.reload()
        self.notify(f"{kind.noun.capitalize()} deleted. u brings it back.", timeout=4)
