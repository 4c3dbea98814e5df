"""A row table laid out to its width: one flexible column takes what the others leave, short
columns that do not fit are left out whole, and every cell wraps instead of being cut, as
far as the table's height leaves room."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Self

from rich.cells import cell_len
from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowDoesNotExist, RowKey

from debrief_tui.ui.widgets.wrapping import wrap_text

Column = tuple[str, str, int | None]
"""(label, key, width); the one column with width None is the flexible one."""

MIN_FLEX = 36
"""The flexible column keeps at least this many cells before the optional columns go: about
six words a line, so a sentence reads as one in two or three lines."""

ROWS_IN_VIEW = 3
"""When the rows do not all fit wrapped, a row takes at most a third of the table's height
(two lines at the least), its last line ending in … where text was left out; while they do
fit, every row wraps whole."""


def _lines_allowed(height: int) -> int:
    return max(2, (height - 1) // ROWS_IN_VIEW)  # the header row takes one line


def widest(header: str, labels: Iterable[str]) -> int:
    """The width of a column of labels: its header's or its longest label's, whichever is
    wider, so that no label in it is cut or wrapped."""
    return max([cell_len(header), *(cell_len(label) for label in labels)])


class FittedTable(DataTable[Text]):
    """A DataTable that never needs a horizontal scrollbar and never cuts a word: each cell
    wraps to its column and its row grows to the tallest cell. The columns named in
    `optional` (in the order they give way) are shown only while the flexible column keeps
    `MIN_FLEX` cells beside them; what they hold must be readable elsewhere on the screen.
    Its screen adds the rows again when `Refit` arrives."""

    class Refit(Message):
        """The layout changed with the width; the rows need to be added again."""

        def __init__(self, table: FittedTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> FittedTable:
            """The table that needs its rows again (lets `@on` match it by selector)."""
            return self.table

    def __init__(
        self, columns: Sequence[Column], *, optional: Sequence[str] = (), **kwargs: object
    ) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self._spec = tuple(columns)
        self._optional = tuple(optional)
        self._layout: tuple[tuple[int, int], ...] = ()
        """(index in the spec, width) of each column shown, in order."""
        self._rows: list[tuple[Sequence[Text], str | None, int]] = []
        """Every row's cells as given, its key and its height wrapped whole, in order: to
        wrap them again when the room changes."""
        self._capped = False
        """Whether rows are kept to `_lines_allowed` lines (they do not all fit wrapped)."""
        self._wrapped_at = 0
        """The height the rows were last wrapped for."""
        self._room_check_due = False
        self.flex_width = 0

    def _fit(self) -> tuple[tuple[int, int], ...]:
        """The columns shown at the present width, each with its width."""
        # The vertical scrollbar's columns are always left free: it appears once the rows
        # are added, without a resize, and would cover the last columns' ends.
        available = self.content_region.width - self.styles.scrollbar_size_vertical
        shown = list(range(len(self._spec)))
        keys = [key for _, key, _ in self._spec]
        dropping = [keys.index(key) for key in self._optional if key in keys]
        while True:
            used = sum(self._spec[i][2] or 0 for i in shown) + 2 * self.cell_padding * len(shown)
            flex = available - used
            if flex >= MIN_FLEX or not dropping:
                break
            shown.remove(dropping.pop(0))
        flex = max(12, flex)
        return tuple((i, self._spec[i][2] or flex) for i in shown)

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Use these columns from the next `fit_columns` on (which lays them out again)."""
        self._spec = tuple(columns)
        self._layout = ()

    def fit_columns(self) -> None:
        """Clear the rows, and lay the columns out again if the width has changed what fits."""
        self.clear()
        self._rows.clear()
        layout = self._fit()
        if layout == self._layout:
            return
        self.clear(columns=True)
        for index, width in layout:
            label, key, fixed = self._spec[index]
            self.add_column(label, key=key, width=width)
            if fixed is None:
                self.flex_width = width
        self._layout = layout

    def _wrapped(self, cells: Sequence[Text]) -> tuple[list[Text], int, int]:
        """The cells of the columns shown, each wrapped to its column (kept to the lines a row
        may take while the table is short of room), the row's height, and its height whole."""
        whole = [wrap_text(cells[index], width) for index, width in self._layout]
        full = max((cell.plain.count("\n") + 1 for cell in whole), default=1)
        if not self._capped:
            return whole, full, full
        lines = _lines_allowed(self.size.height)
        shown = [
            _at_most(cell, lines, width)
            for cell, (_i, width) in zip(whole, self._layout, strict=True)
        ]
        return shown, min(full, lines), full

    def add_fitted(self, cells: Sequence[Text], key: str | None = None) -> None:
        """Add a row given a cell for every column (those left out at this width are
        skipped), wrapped, as tall as its tallest cell."""
        shown, height, full = self._wrapped(cells)
        self.add_row(*shown, height=height, key=key)
        self._rows.append((cells, key, full))
        if not self._capped and 0 < self.size.height <= len(self._rows):
            # More rows than lines already: they cannot all fit, whatever the rest hold. Keep
            # to the shares now, wrapping again the few added so far rather than thousands.
            self._capped = True
            self._rewrap()
        self._check_room_soon()

    def put_fitted(self, cells: Sequence[Text], key: str) -> bool:
        """Show a row's new cells in place, or add it at the end if it is not there yet;
        True if the row went to the end.

        A row whose height changes is added again at the end (DataTable keeps a row's height
        from when it was added), so a table kept in an order sorts after that."""
        shown, height, full = self._wrapped(cells)
        self._check_room_soon()
        try:
            index = self.get_row_index(key)
        except RowDoesNotExist:
            self.add_row(*shown, height=height, key=key)
            self._rows.append((cells, key, full))
            return True
        if self.ordered_rows[index].height != height:
            self.remove_row(key)
            self.add_row(*shown, height=height, key=key)
            self._rows.append((cells, key, full))
            return True
        self._rows[index] = (cells, key, full)
        for column, cell in zip(self.columns, shown, strict=True):
            self.update_cell(key, column, cell)
        return False

    def remove_row(self, row_key: RowKey | str) -> None:
        """Remove a row (and forget its cells)."""
        index = self.get_row_index(row_key)
        super().remove_row(row_key)
        del self._rows[index]
        self._check_room_soon()

    def sort(self, *columns: ColumnKey | str, **kwargs: Any) -> Self:
        """Sort the rows; the cells kept for wrapping again follow the new order."""
        result = super().sort(*columns, **kwargs)
        by_key = {row[1]: row for row in self._rows if row[1] is not None}
        if len(by_key) == len(self._rows):
            self._rows = [by_key[row.key.value] for row in self.ordered_rows if row.key.value]
        return result

    # Room ---------------------------------------------------------------------------------

    def _check_room_soon(self) -> None:
        if not self._room_check_due:
            self._room_check_due = True
            self.call_after_refresh(self._check_room)

    def _check_room(self) -> None:
        """Wrap every row whole while they all fit; else keep each to its share of lines."""
        self._room_check_due = False
        if not self._rows or not self._layout or not self.size.height:
            return
        whole = sum(full for _cells, _key, full in self._rows)
        capped = whole + 1 > self.size.height  # the header takes a line
        if capped != self._capped or (capped and self.size.height != self._wrapped_at):
            self._capped = capped
            self._rewrap()

    def _rewrap(self) -> None:
        self._wrapped_at = self.size.height
        cursor, scroll = self.cursor_coordinate, self.scroll_y
        super().clear()
        for cells, key, _full in self._rows:
            shown, height, _ = self._wrapped(cells)
            self.add_row(*shown, height=height, key=key)
        if self.row_count:
            self.move_cursor(row=min(cursor.row, self.row_count - 1), column=cursor.column)
            self.scroll_to(y=scroll, animate=False)

    def on_resize(self) -> None:
        """Ask for the rows again when the width changes what fits or how text wraps; wrap
        them again here when the height changes the room they have."""
        if self._fit() != self._layout:
            self.post_message(self.Refit(self))
        elif self._rows:
            self._check_room_soon()


def _at_most(cell: Text, lines: int, width: int) -> Text:
    """`cell` (wrapped) kept to `lines` lines (0: all), the last ending in … when some were
    left out."""
    rows = cell.split("\n")
    if not lines or len(rows) <= lines:
        return cell
    kept = rows[:lines]
    last = kept[-1]
    last.truncate(max(1, width - 1))
    last.rstrip()
    last.append("…")
    return Text("\n").join(kept)
