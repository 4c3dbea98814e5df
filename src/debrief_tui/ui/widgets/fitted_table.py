"""A row table whose one flexible column takes the width the fixed columns leave."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

Column = tuple[str, str, int | None]
"""(label, key, width); the one column with width None is the flexible one."""


class FittedTable(DataTable[Text]):
    """A DataTable that never needs a horizontal scrollbar: long text in the flexible column
    is cut with an ellipsis instead. Its screen re-adds the rows when `Refit` arrives."""

    class Refit(Message):
        """The flexible column's width changed; the rows need to be added again."""

        def __init__(self, table: FittedTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> FittedTable:
            """The table that needs its rows again (lets `@on` match it by selector)."""
            return self.table

    def __init__(self, columns: Sequence[Column], **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self._spec = tuple(columns)
        self.flex_width = 0

    def _width_left(self) -> int:
        fixed = sum(width or 0 for _, _, width in self._spec)
        padding = 2 * self.cell_padding * len(self._spec)
        return max(12, self.scrollable_content_region.width - fixed - padding)

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Use these columns from the next `fit_columns` on (which lays them out again)."""
        self._spec = tuple(columns)
        self.flex_width = -1

    def fit_columns(self) -> None:
        """Clear the rows, and lay the columns out again if the width left has changed."""
        self.clear()
        width = self._width_left()
        if width == self.flex_width:
            return
        self.clear(columns=True)
        for label, key, fixed in self._spec:
            self.add_column(label, key=key, width=fixed if fixed is not None else width)
        self.flex_width = width

    def fitted(self, text: Text) -> Text:
        """`text` cut to the flexible column's width with an ellipsis."""
        text.truncate(self.flex_width, overflow="ellipsis")
        return text

    def on_resize(self) -> None:
        """Ask for the rows again when the width left for the flexible column changes."""
        if self._width_left() != self.flex_width:
            self.post_message(self.Refit(self))
