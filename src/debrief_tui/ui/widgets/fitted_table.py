"""A row table laid out to its width: one flexible column takes what the others leave, short
columns that do not fit are left out whole, and every cell wraps instead of being cut."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from debrief_tui.ui.widgets.wrapping import wrap_text

Column = tuple[str, str, int | None]
"""(label, key, width); the one column with width None is the flexible one."""

MIN_FLEX = 24
"""The flexible column keeps at least this many cells before the optional columns go: about
four words a line, so a sentence still reads as one in a few lines."""


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

    def _wrapped(self, cells: Sequence[Text]) -> tuple[list[Text], int]:
        """The cells of the columns shown, each wrapped to its column, and the row's height."""
        shown = [wrap_text(cells[index], width) for index, width in self._layout]
        return shown, max((cell.plain.count("\n") + 1 for cell in shown), default=1)

    def add_fitted(self, cells: Sequence[Text], key: str | None = None) -> None:
        """Add a row given a cell for every column (those left out at this width are
        skipped), wrapped, as tall as its tallest cell."""
        shown, height = self._wrapped(cells)
        self.add_row(*shown, height=height, key=key)

    def put_fitted(self, cells: Sequence[Text], key: str) -> bool:
        """Show a row's new cells in place, or add it at the end if it is not there yet;
        True if the row went to the end.

        A row whose height changes is added again at the end (DataTable keeps a row's height
        from when it was added), so a table kept in an order sorts after that."""
        shown, height = self._wrapped(cells)
        try:
            index = self.get_row_index(key)
        except RowDoesNotExist:
            self.add_row(*shown, height=height, key=key)
            return True
        if self.ordered_rows[index].height != height:
            self.remove_row(key)
            self.add_row(*shown, height=height, key=key)
            return True
        for column, cell in zip(self.columns, shown, strict=True):
            self.update_cell(key, column, cell)
        return False

    def on_resize(self) -> None:
        """Ask for the rows again when the width changes what fits or how text wraps."""
        if self._fit() != self._layout:
            self.post_message(self.Refit(self))
