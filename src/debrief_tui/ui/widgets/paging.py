"""Long tables laid out a page at a time: a row of wrapped text takes a millisecond or more,
so a team's 10,000 sessions or 50,000 actions are laid out as the cursor nears the last row
laid out. End still reaches the real last row."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from textual.dom import DOMNode
from textual.widgets import DataTable

CHUNK = 200
"""Rows laid out between two turns of the event loop while End lays out the rest: a fifth of
a second or so, so the screen keeps drawing and taking keys."""


async def to_last_row(
    table: DataTable[Any], total: int, add_rows: Callable[[int], None], still: Callable[[], bool]
) -> None:
    """Lay out the rows `table` lacks of `total` (`add_rows(upto)` adds them up to `upto`), a
    chunk at a time, then put the cursor on the last one; stop as soon as `still()` turns
    false (the list was read or filtered anew meanwhile)."""
    while table.row_count < total:
        add_rows(table.row_count + CHUNK)
        await asyncio.sleep(0)
        if not still():
            return
    if table.row_count:
        table.move_cursor(row=table.row_count - 1)


def go_to_last_row(
    node: DOMNode,
    table: DataTable[Any],
    rows_of: Callable[[], Sequence[object]],
    add_rows: Callable[[int], None],
) -> None:
    """End on a paged table: `to_last_row` in a worker of `node` (keys go on being handled),
    given up when `rows_of()` is another list than now (read or filtered anew)."""
    rows = rows_of()
    node.run_worker(
        to_last_row(table, len(rows), add_rows, lambda: rows_of() is rows),
        group="last-row",
        exclusive=True,
    )
